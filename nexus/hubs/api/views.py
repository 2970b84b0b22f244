"""Hubs, entries and revisions. Views parse input, call one service or selector, shape output."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nexus.core.api.pagination import CursorPagination
from nexus.core.api.schema import problems
from nexus.core.api.views import CachedReadApi
from nexus.hubs import access, selectors, services
from nexus.hubs.access import Actor
from nexus.hubs.api import serializers
from nexus.hubs.http import cached_response
from nexus.hubs.models import Entry, Hub


def _stamp(obj: Hub | Entry) -> float:
    return obj.updated_at.timestamp()


HUB_REF = OpenApiParameter("hub", str, OpenApiParameter.PATH, description="Hub id or slug.")
ENTRY_ID = OpenApiParameter("entry_id", int, OpenApiParameter.PATH, description="The entry's id.")


class HubListApi(GenericAPIView):
    serializer_class = serializers.HubSerializer

    @extend_schema(
        tags=["hubs"],
        operation_id="hubs_list",
        parameters=[serializers.HubFilterSerializer],
        summary="Hubs you may see",
    )
    def get(self, request: Request) -> Response:
        params = serializers.HubFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.hub_list(actor=request.user, **params.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=["hubs"],
        request=serializers.HubCreateSerializer,
        responses={201: serializers.HubSerializer, **problems(400, 401)},
        summary="Create your hub for a program",
    )
    def post(self, request: Request) -> Response:
        data = serializers.HubCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hub = services.hub_create(actor=request.user, **data.validated_data)
        return Response(serializers.HubSerializer(hub).data, status=status.HTTP_201_CREATED)


class HubDetailApi(GenericAPIView):
    serializer_class = serializers.HubSerializer

    @extend_schema(tags=["hubs"], parameters=[HUB_REF], responses={200: serializers.HubSerializer, **problems(404)})
    def get(self, request: Request, hub: str) -> Response:
        obj = access.access_hub(request.user, hub)
        return Response(serializers.HubSerializer(obj).data, headers={"Last-Modified": http_date(_stamp(obj))})

    @extend_schema(
        tags=["hubs"],
        parameters=[HUB_REF],
        request=serializers.HubUpdateSerializer,
        responses={200: serializers.HubSerializer, **problems(400, 401, 403, 404)},
    )
    def patch(self, request: Request, hub: str) -> Response:
        data = serializers.HubUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        obj = services.hub_update(actor=request.user, hub=hub, data=data.validated_data)
        return Response(serializers.HubSerializer(obj).data)

    @extend_schema(tags=["hubs"], parameters=[HUB_REF], responses={204: None, **problems(401, 403, 404)})
    def delete(self, request: Request, hub: str) -> Response:
        services.hub_delete(actor=request.user, hub=hub)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HubImportApi(APIView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        tags=["hubs"],
        request={
            "application/json": serializers.HubImportSerializer,
            "multipart/form-data": serializers.HubImportSerializer,
        },
        responses={
            200: serializers.ReadmeImportSerializer,
            201: serializers.ReadmeImportSerializer,
            **problems(400, 401, 413, 415),
        },
        summary="Import a README into your hub (201 when the hub is new); dry_run previews",
    )
    def post(self, request: Request) -> Response:
        data = serializers.HubImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        upload = params.get("file")
        raw = upload.read(settings.README_MAX_BYTES + 1) if upload is not None else params["markdown"]
        result = services.hub_import_readme(
            actor=request.user,
            markdown=services.readme_decode(raw),
            program=params.get("program"),
            dry_run=params["dry_run"],
        )
        body = serializers.ReadmeImportSerializer({**vars(result), "dry_run": params["dry_run"]}).data
        created = result.hub_created and not params["dry_run"]
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class HubReadmeApi(CachedReadApi):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["hubs"],
        parameters=[HUB_REF],
        responses={
            (200, "text/markdown"): OpenApiResponse(OpenApiTypes.STR, description="The README, with an ETag."),
            304: OpenApiResponse(description="Not modified (If-None-Match matched the ETag)."),
            **problems(404),
        },
        summary="The hub exported as a README (what you may see of it)",
    )
    def get(self, request: Request, hub: str) -> HttpResponse:
        return super().get(request, hub=hub)

    def respond(self, request: HttpRequest, actor: Actor, hub: str) -> HttpResponse:
        found = selectors.hub_readme(actor=actor, ref=hub)
        response = cached_response(request, found, content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="README.md"'
        return response


class HubPageApi(CachedReadApi):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["hubs"],
        parameters=[HUB_REF],
        responses={
            200: serializers.HubPageSerializer,
            304: OpenApiResponse(description="Not modified (If-None-Match matched the ETag)."),
            **problems(404),
        },
        summary="Everything a hub's page shows, in one response (cached)",
    )
    def get(self, request: Request, hub: str) -> HttpResponse:
        return super().get(request, hub=hub)

    def respond(self, request: HttpRequest, actor: Actor, hub: str) -> HttpResponse:
        return cached_response(request, selectors.hub_page_json(actor=actor, ref=hub), content_type="application/json")


def _entries_data(rows: list[dict]) -> list[dict]:
    topics = selectors.entry_topics([row["id"] for row in rows])
    return [selectors.entry_data(row, topics[row["id"]]) for row in rows]


def _entry_response(request: Request, entry_id: int, **kwargs) -> Response:
    """One visible entry as output (404 if the actor may not read it), in two queries."""
    row = selectors.entry_row(actor=request.user, entry_id=entry_id)
    if row is None:
        raise Http404(f"No entry {entry_id}.")
    # The hub's time moves with every write to any of its entries or to the hub itself.
    modified = max(row["updated_at"], row["hub__updated_at"]).timestamp()
    return Response(_entries_data([row])[0], headers={"Last-Modified": http_date(modified)}, **kwargs)


class EntryListApi(GenericAPIView):
    serializer_class = serializers.EntrySerializer
    pagination_class = CursorPagination

    @extend_schema(
        tags=["entries"],
        parameters=[serializers.EntryFilterSerializer],
        responses={200: serializers.EntrySerializer(many=True), **problems(400)},
        summary="Entries you may see, filtered and cursor-paginated",
    )
    def get(self, request: Request) -> Response:
        filters = serializers.entry_filters(request.query_params)
        self.cursor_ordering = filters.pop("ordering")
        page = self.paginate_queryset(selectors.entry_keys(actor=request.user, **filters))
        return self.get_paginated_response(_entries_data(selectors.entry_rows([key["id"] for key in page])))

    @extend_schema(
        tags=["entries"],
        request=serializers.EntryCreateSerializer,
        responses={201: serializers.EntrySerializer, **problems(400, 401, 403, 404)},
        summary="Add an entry to your hub",
    )
    def post(self, request: Request) -> Response:
        data = serializers.EntryCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_create(actor=request.user, **data.validated_data)
        return _entry_response(request, entry.pk, status=status.HTTP_201_CREATED)


class EntryDetailApi(GenericAPIView):
    serializer_class = serializers.EntrySerializer

    @extend_schema(
        tags=["entries"], parameters=[ENTRY_ID], responses={200: serializers.EntrySerializer, **problems(404)}
    )
    def get(self, request: Request, entry_id: int) -> Response:
        return _entry_response(request, entry_id)

    @extend_schema(
        tags=["entries"],
        parameters=[ENTRY_ID],
        request=serializers.EntryUpdateSerializer,
        responses={200: serializers.EntrySerializer, **problems(400, 401, 403, 404)},
    )
    def patch(self, request: Request, entry_id: int) -> Response:
        data = serializers.EntryUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.entry_update(actor=request.user, entry_id=entry_id, data=data.validated_data)
        return _entry_response(request, entry_id)

    @extend_schema(tags=["entries"], parameters=[ENTRY_ID], responses={204: None, **problems(401, 403, 404)})
    def delete(self, request: Request, entry_id: int) -> Response:
        services.entry_delete(actor=request.user, entry_id=entry_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EntryRevisionListApi(GenericAPIView):
    serializer_class = serializers.RevisionSerializer

    class pagination_class(CursorPagination):  # noqa: N801 - DRF attribute name
        ordering = ("-number",)

    @extend_schema(
        tags=["entries"],
        parameters=[ENTRY_ID],
        responses={200: serializers.RevisionSerializer(many=True), **problems(404)},
        summary="An entry's revisions, newest first (drafts' history only to the author)",
    )
    def get(self, request: Request, entry_id: int) -> Response:
        entry = access.access_entry(request.user, entry_id)
        page = self.paginate_queryset(selectors.revision_list(entry=entry))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
