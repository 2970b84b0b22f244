"""The API registry over REST. Views parse, call one service or selector, shape the answer."""

from __future__ import annotations

import json

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nexus.core.api.pagination import CursorPagination
from nexus.core.api.schema import problems
from nexus.registry import access, readiness, selectors, services
from nexus.registry.api import serializers
from nexus.registry.badge import badge_svg

SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The API's slug.")
NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="The version number.")
TAGS = ["registry"]


def _schema_text(data: dict) -> dict:
    """The `schema` field (an object or text) as the text the service parses."""
    if "schema" in data:
        schema = data.pop("schema")
        if schema is not None:
            data["schema_text"] = schema if isinstance(schema, str) else json.dumps(schema)
    return data


class ApiListApi(GenericAPIView):
    serializer_class = serializers.ApiSerializer
    pagination_class = CursorPagination
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        tags=TAGS,
        operation_id="apis_list",
        parameters=[serializers.ApiFilterSerializer],
        responses={200: serializers.ApiSerializer(many=True), **problems(400)},
        summary="Registered APIs you may see, newest first",
    )
    def get(self, request: Request) -> Response:
        params = serializers.ApiFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.api_list(actor=request.user, **params.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=serializers.ApiCreateSerializer,
        responses={201: serializers.ApiSerializer, **problems(400, 401)},
        summary="Register an API with its OpenAPI 3 schema (by URL or inline, JSON or YAML)",
    )
    def post(self, request: Request) -> Response:
        data = serializers.ApiCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        api = services.api_create(actor=request.user, **_schema_text(dict(data.validated_data)))
        return Response(serializers.ApiSerializer(api).data, status=status.HTTP_201_CREATED)


class ConsumedListApi(GenericAPIView):
    serializer_class = serializers.ConsumedSerializer
    pagination_class = CursorPagination
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="apis_consumed_list",
        responses={200: serializers.ConsumedSerializer(many=True), **problems(401)},
        summary="APIs you consume, with their health state",
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.consumed_list(actor=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class AlertListApi(GenericAPIView):
    serializer_class = serializers.AlertSerializer
    pagination_class = CursorPagination
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="apis_alerts_list",
        parameters=[serializers.AlertFilterSerializer],
        responses={200: serializers.AlertSerializer(many=True), **problems(400, 401)},
        summary="Your registry alerts (breaking changes, changes, down, up), newest first",
    )
    def get(self, request: Request) -> Response:
        params = serializers.AlertFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.alert_list(actor=request.user, **params.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class AlertReadApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        request=serializers.AlertReadSerializer,
        responses={200: serializers.AlertReadResultSerializer, **problems(400, 401)},
        summary="Mark your alerts read (the listed ids, or all)",
    )
    def post(self, request: Request) -> Response:
        data = serializers.AlertReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.alert_mark_read(actor=request.user, alert_ids=data.validated_data.get("ids"))
        return Response({"marked": marked})


class ApiDetailApi(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        tags=TAGS,
        parameters=[SLUG],
        responses={200: serializers.ApiDetailSerializer, **problems(404)},
        summary="A registered API with its uptime and newest schema version",
    )
    def get(self, request: Request, slug: str) -> Response:
        api = access.access_api(request.user, slug)
        return Response(serializers.ApiDetailSerializer(selectors.api_detail(api=api)).data)

    @extend_schema(
        tags=TAGS,
        parameters=[SLUG],
        request=serializers.ApiUpdateSerializer,
        responses={200: serializers.ApiSerializer, **problems(400, 401, 403, 404)},
        summary="Change your API; a new schema (URL or inline) becomes a new version",
    )
    def patch(self, request: Request, slug: str) -> Response:
        data = serializers.ApiUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        api = services.api_update(actor=request.user, slug=slug, **_schema_text(dict(data.validated_data)))
        return Response(serializers.ApiSerializer(api).data)

    @extend_schema(
        tags=TAGS, parameters=[SLUG], responses={204: None, **problems(401, 403, 404)}, summary="Remove your API"
    )
    def delete(self, request: Request, slug: str) -> Response:
        services.api_delete(actor=request.user, slug=slug)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OperationListApi(GenericAPIView):
    serializer_class = serializers.OperationSerializer
    pagination_class = CursorPagination
    permission_classes = [IsAuthenticatedOrReadOnly]
    cursor_ordering = "path"

    @extend_schema(
        tags=TAGS,
        operation_id="apis_operations_list",
        parameters=[SLUG, serializers.OperationFilterSerializer],
        responses={200: serializers.OperationSerializer(many=True), **problems(400, 404)},
        summary="The operations of an API's newest schema, by path",
    )
    def get(self, request: Request, slug: str) -> Response:
        params = serializers.OperationFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        api = access.access_api(request.user, slug)
        page = self.paginate_queryset(selectors.operation_list(api=api, **params.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ConsumerApi(GenericAPIView):
    serializer_class = serializers.ConsumerSerializer
    pagination_class = CursorPagination
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="apis_consumers_list",
        parameters=[SLUG],
        responses={200: serializers.ConsumerSerializer(many=True), **problems(401, 403, 404)},
        summary="Who consumes your API (owner only)",
    )
    def get(self, request: Request, slug: str) -> Response:
        api = access.access_api(request.user, slug, must_own=True)
        page = self.paginate_queryset(selectors.consumer_list(api=api))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        parameters=[SLUG],
        request=serializers.SubscribeSerializer,
        responses={201: serializers.ConsumerSerializer, **problems(400, 401, 404)},
        summary="Consume an API, or some of its operations (again: replace the list)",
    )
    def post(self, request: Request, slug: str) -> Response:
        data = serializers.SubscribeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consumer = services.consumer_subscribe(actor=request.user, slug=slug, **data.validated_data)
        return Response(serializers.ConsumerSerializer(consumer).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS, parameters=[SLUG], responses={204: None, **problems(401, 404)}, summary="Stop consuming an API"
    )
    def delete(self, request: Request, slug: str) -> Response:
        services.consumer_unsubscribe(actor=request.user, slug=slug)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VersionListApi(GenericAPIView):
    serializer_class = serializers.VersionSerializer
    pagination_class = CursorPagination
    permission_classes = [IsAuthenticatedOrReadOnly]
    cursor_ordering = "-number"

    @extend_schema(
        tags=TAGS,
        operation_id="apis_versions_list",
        parameters=[SLUG],
        responses={200: serializers.VersionSerializer(many=True), **problems(404)},
        summary="An API's changelog: its schema versions, newest first, each with its diff to the one before",
    )
    def get(self, request: Request, slug: str) -> Response:
        api = access.access_api(request.user, slug)
        page = self.paginate_queryset(selectors.version_list(api=api))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class VersionDetailApi(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        tags=TAGS,
        parameters=[SLUG, NUMBER],
        responses={200: serializers.VersionSerializer, **problems(404)},
        summary="One schema version and its diff to the one before",
    )
    def get(self, request: Request, slug: str, number: int) -> Response:
        api = access.access_api(request.user, slug)
        return Response(serializers.VersionSerializer(selectors.version_get(api=api, number=number)).data)


class DiffApi(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        tags=TAGS,
        parameters=[SLUG, serializers.DiffParamsSerializer],
        responses={200: serializers.DiffSerializer, **problems(400, 404)},
        summary="The classified changes between two schema versions",
    )
    def get(self, request: Request, slug: str) -> Response:
        params = serializers.DiffParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        api = access.access_api(request.user, slug)
        return Response(serializers.DiffSerializer(selectors.version_diff(api=api, **params.validated_data)).data)


class RefreshApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        parameters=[SLUG],
        request=None,
        responses={
            201: serializers.VersionSerializer,
            204: OpenApiResponse(description="The schema has not changed."),
            **problems(400, 401, 403, 404, 409),
        },
        summary="Fetch your API's schema URL now; a changed schema becomes a new version",
    )
    def post(self, request: Request, slug: str) -> Response:
        version = services.api_schema_refresh_for(actor=request.user, slug=slug)
        if version is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(serializers.VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class HealthCheckListApi(GenericAPIView):
    serializer_class = serializers.HealthCheckSerializer
    pagination_class = CursorPagination
    permission_classes = [IsAuthenticatedOrReadOnly]
    cursor_ordering = "-checked_at"

    @extend_schema(
        tags=TAGS,
        operation_id="apis_health_list",
        parameters=[SLUG],
        responses={200: serializers.HealthCheckSerializer(many=True), **problems(404)},
        summary="An API's health checks, newest first",
    )
    def get(self, request: Request, slug: str) -> Response:
        api = access.access_api(request.user, slug)
        page = self.paginate_queryset(selectors.health_check_list(api=api))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ReadinessApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        parameters=[SLUG],
        request=serializers.ReadinessRequestSerializer,
        responses={200: serializers.ReadinessSerializer, **problems(400, 401, 404)},
        summary="Check an API against what a frontend expects; a scored checklist with reasons",
    )
    def post(self, request: Request, slug: str) -> Response:
        data = serializers.ReadinessRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        api = access.access_api(request.user, slug)
        return Response(serializers.ReadinessSerializer(readiness.readiness_check(api=api, **data.validated_data)).data)


@extend_schema(
    tags=TAGS,
    parameters=[SLUG],
    responses={(200, "image/svg+xml"): OpenApiTypes.STR, (404, "image/svg+xml"): OpenApiTypes.STR},
    summary="A status badge (up/down/unknown and 24 h uptime) to embed in a README",
)
class BadgeApi(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get(self, request: Request, slug: str) -> HttpResponse:
        api = access.apis_visible_to(request.user).filter(slug=slug).first()
        if api is None:
            svg, code, state = badge_svg(label="api", state="unknown"), 404, "unknown"
        else:
            state, code = api.health_state, 200
            svg = badge_svg(label=api.name, state=state, uptime=selectors.uptime(api=api)["24h"])
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8", status=code)
        response["Cache-Control"] = (
            "public, max-age=60" if code == 200 and api.visibility == "public" else "private, max-age=60"
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
