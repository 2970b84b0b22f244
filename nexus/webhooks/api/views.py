"""Webhooks of a cohort, their secrets, test pings and delivery logs. Views parse, call one service, shape."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nexus.core.api.pagination import CursorPagination
from nexus.core.api.schema import problems
from nexus.webhooks import access, selectors, services
from nexus.webhooks.api import serializers

WEBHOOK_ID = OpenApiParameter("webhook_id", int, OpenApiParameter.PATH, description="The webhook's id.")
DELIVERY_ID = OpenApiParameter("delivery_id", int, OpenApiParameter.PATH, description="The delivery's id.")
TAGS = ["webhooks"]


class WebhookListApi(GenericAPIView):
    serializer_class = serializers.WebhookSerializer
    pagination_class = CursorPagination
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="webhooks_list",
        parameters=[serializers.WebhookFilterSerializer],
        responses={200: serializers.WebhookSerializer(many=True), **problems(400, 401)},
        summary="Webhooks of the cohorts you mentor or staff, newest first",
    )
    def get(self, request: Request) -> Response:
        params = serializers.WebhookFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.webhook_list(actor=request.user, **params.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=serializers.WebhookCreateSerializer,
        responses={201: serializers.WebhookWithSecretSerializer, **problems(400, 401, 403, 409)},
        summary="Add a webhook to a cohort (mentors and staff); the answer shows its secret once",
    )
    def post(self, request: Request) -> Response:
        data = serializers.WebhookCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        webhook = services.webhook_create(actor=request.user, **data.validated_data)
        return Response(serializers.WebhookWithSecretSerializer(webhook).data, status=status.HTTP_201_CREATED)


class WebhookDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        parameters=[WEBHOOK_ID],
        responses={200: serializers.WebhookSerializer, **problems(401, 404)},
        summary="A webhook you manage (without its secret)",
    )
    def get(self, request: Request, webhook_id: int) -> Response:
        return Response(serializers.WebhookSerializer(access.access_webhook(request.user, webhook_id)).data)

    @extend_schema(
        tags=TAGS,
        parameters=[WEBHOOK_ID],
        request=serializers.WebhookUpdateSerializer,
        responses={200: serializers.WebhookSerializer, **problems(400, 401, 404)},
        summary="Change a webhook's name, URL, format, event types or active flag",
    )
    def patch(self, request: Request, webhook_id: int) -> Response:
        data = serializers.WebhookUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        webhook = services.webhook_update(actor=request.user, webhook_id=webhook_id, **data.validated_data)
        return Response(serializers.WebhookSerializer(webhook).data)

    @extend_schema(
        tags=TAGS,
        parameters=[WEBHOOK_ID],
        responses={204: None, **problems(401, 404)},
        summary="Remove a webhook and its delivery log",
    )
    def delete(self, request: Request, webhook_id: int) -> Response:
        services.webhook_delete(actor=request.user, webhook_id=webhook_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookSecretApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        parameters=[WEBHOOK_ID],
        request=None,
        responses={200: serializers.WebhookSecretSerializer, **problems(401, 404)},
        summary="Rotate a webhook's secret; the answer shows the new one once",
    )
    def post(self, request: Request, webhook_id: int) -> Response:
        webhook = services.webhook_secret_rotate(actor=request.user, webhook_id=webhook_id)
        return Response(serializers.WebhookSecretSerializer({"secret": webhook.secret}).data)


class WebhookPingApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        parameters=[WEBHOOK_ID],
        request=None,
        responses={202: serializers.WebhookDeliverySerializer, **problems(401, 404)},
        summary="Send a webhook.ping event now; the delivery shows how it went (or is pending)",
    )
    def post(self, request: Request, webhook_id: int) -> Response:
        delivery = services.webhook_ping(actor=request.user, webhook_id=webhook_id)
        delivery.refresh_from_db()  # in-process workers have already made the attempt
        return Response(serializers.WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveryListApi(GenericAPIView):
    serializer_class = serializers.WebhookDeliverySerializer
    pagination_class = CursorPagination
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="webhooks_deliveries_list",
        parameters=[WEBHOOK_ID, serializers.DeliveryFilterSerializer],
        responses={200: serializers.WebhookDeliverySerializer(many=True), **problems(400, 401, 404)},
        summary="A webhook's delivery log, newest first",
    )
    def get(self, request: Request, webhook_id: int) -> Response:
        params = serializers.DeliveryFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        webhook = access.access_webhook(request.user, webhook_id)
        page = self.paginate_queryset(selectors.delivery_list(webhook=webhook, **params.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class WebhookRedeliverApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        parameters=[WEBHOOK_ID, DELIVERY_ID],
        request=None,
        responses={202: serializers.WebhookDeliverySerializer, **problems(401, 404, 409)},
        summary="Send a succeeded or failed delivery again, with a fresh set of attempts",
    )
    def post(self, request: Request, webhook_id: int, delivery_id: int) -> Response:
        delivery = services.delivery_redeliver(actor=request.user, webhook_id=webhook_id, delivery_id=delivery_id)
        delivery.refresh_from_db()
        return Response(serializers.WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
