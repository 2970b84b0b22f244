"""Outgoing webhook mutations: the REST writes of `nexus/webhooks/api/views.py`, over GraphQL.

| mutation              | REST                                              | service                |
|-----------------------|---------------------------------------------------|------------------------|
| createWebhook         | POST webhooks/ (secret shown once)                | webhook_create         |
| updateWebhook         | PATCH webhooks/{id}/                              | webhook_update         |
| deleteWebhook         | DELETE webhooks/{id}/                             | webhook_delete         |
| rotateWebhookSecret   | POST webhooks/{id}/secret/ (shown once)           | webhook_secret_rotate  |
| pingWebhook           | POST webhooks/{id}/ping/                          | webhook_ping           |
| redeliverWebhook      | POST webhooks/{id}/deliveries/{delivery}/redeliver/ | delivery_redeliver   |

Cohort mentors and staff only (the services' `access_webhook`); anyone else is told NOT_FOUND.
The webhook and delivery types are those of the queries (`nexus/webhooks/graphql.py`).
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from nexus.core.graphql_mutations import DeletePayload, FieldError, input_from_serializer, mutate, pk_of
from nexus.webhooks import services
from nexus.webhooks.api import serializers
from nexus.webhooks.graphql import WebhookDeliveryType, WebhookType
from nexus.webhooks.models import Webhook


@strawberry.type(description="A webhook after a change; `secret` only after create and rotate (keep it: shown once).")
class WebhookPayload:
    webhook: WebhookType | None = None
    secret: str | None = None
    errors: list[FieldError] = strawberry.field(default_factory=list)


@strawberry.type(description="A delivery that was queued (ping, redeliver).")
class WebhookDeliveryPayload:
    delivery: WebhookDeliveryType | None = None
    errors: list[FieldError] = strawberry.field(default_factory=list)


WebhookCreateInput = input_from_serializer(serializers.WebhookCreateSerializer, "WebhookCreateInput")
WebhookUpdateInput = input_from_serializer(serializers.WebhookUpdateSerializer, "WebhookUpdateInput")


def _with_secret(webhook: Webhook) -> WebhookPayload:
    return WebhookPayload(webhook=WebhookType.of(webhook), secret=webhook.secret)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Add a webhook to a cohort or channel you mentor (POST /api/v1/webhooks/).")
    def create_webhook(self, info: Info, input: WebhookCreateInput) -> WebhookPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            WebhookPayload,
            lambda actor, data: _with_secret(services.webhook_create(actor=actor, **data)),
            input=input,
            serializer=serializers.WebhookCreateSerializer,
            node_name=None,
        )

    @strawberry.mutation(description="Change a webhook (PATCH /api/v1/webhooks/{id}/).")
    def update_webhook(self, info: Info, id: strawberry.ID, input: WebhookUpdateInput) -> WebhookPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            WebhookPayload,
            lambda actor, data: WebhookPayload(
                webhook=WebhookType.of(
                    services.webhook_update(actor=actor, webhook_id=pk_of(id, what="webhook"), **data)
                )
            ),
            input=input,
            serializer=serializers.WebhookUpdateSerializer,
            partial=True,
            node_name=None,
        )

    @strawberry.mutation(description="Delete a webhook and its delivery log (DELETE /api/v1/webhooks/{id}/).")
    def delete_webhook(self, info: Info, id: strawberry.ID) -> DeletePayload:
        def call(actor: Any, _: dict[str, Any]) -> strawberry.ID:
            services.webhook_delete(actor=actor, webhook_id=pk_of(id, what="webhook"))
            return id

        return mutate(info, DeletePayload, call, node_name="deleted_id")

    @strawberry.mutation(description="A new secret; the old one stops signing at once (POST webhooks/{id}/secret/).")
    def rotate_webhook_secret(self, info: Info, id: strawberry.ID) -> WebhookPayload:
        return mutate(
            info,
            WebhookPayload,
            lambda actor, _: _with_secret(
                services.webhook_secret_rotate(actor=actor, webhook_id=pk_of(id, what="webhook"))
            ),
            node_name=None,
        )

    @strawberry.mutation(description="Send a test event now (POST /api/v1/webhooks/{id}/ping/).")
    def ping_webhook(self, info: Info, id: strawberry.ID) -> WebhookDeliveryPayload:
        return mutate(
            info,
            WebhookDeliveryPayload,
            lambda actor, _: WebhookDeliveryType.of(
                services.webhook_ping(actor=actor, webhook_id=pk_of(id, what="webhook"))
            ),
            node_name="delivery",
        )

    @strawberry.mutation(
        description="Send a finished delivery again with fresh attempts (POST webhooks/{id}/deliveries/{d}/redeliver/)."
    )
    def redeliver_webhook(self, info: Info, id: strawberry.ID, delivery: strawberry.ID) -> WebhookDeliveryPayload:
        return mutate(
            info,
            WebhookDeliveryPayload,
            lambda actor, _: WebhookDeliveryType.of(
                services.delivery_redeliver(
                    actor=actor, webhook_id=pk_of(id, what="webhook"), delivery_id=pk_of(delivery, what="delivery")
                )
            ),
            node_name="delivery",
        )
