"""Outgoing webhooks and their delivery logs over GraphQL (the reads of `nexus/webhooks/api/views.py`).

| query            | REST                              | rule                                           |
|------------------|-----------------------------------|------------------------------------------------|
| webhooks         | GET webhooks/?cohort=&channel=    | selectors.webhook_list (webhooks_visible_to)   |
| webhook          | GET webhooks/{id}/                | access.access_webhook                          |
| webhookDeliveries| GET webhooks/{id}/deliveries/     | access.access_webhook + selectors.delivery_list|

Cohort mentors and staff (and platform staff) only: anyone else gets an empty list or NOT_FOUND,
as REST answers 404. The secret is never a field (create and rotate return it once).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry_django.relay import DjangoCursorConnection

from nexus.core.graphql import actor, bare, narrowed, optimized, signed_in, validated
from nexus.webhooks import access, selectors
from nexus.webhooks.api import serializers as api_serializers
from nexus.webhooks.models import Webhook, WebhookDelivery


@strawberry_django.type(
    Webhook, description="An outgoing webhook (its secret is only ever shown by create and rotate)."
)
class WebhookType(relay.Node):
    name: str
    url: str
    format: str
    event_types: list[str]
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @strawberry_django.field(description="The id REST uses.", only=["id"])
    def database_id(self) -> int:
        return self.pk  # type: ignore[attr-defined]

    @strawberry_django.field(
        description="The cohort's slug, for a cohort webhook.", select_related=["cohort"], only=["cohort__slug"]
    )
    def cohort(self) -> str | None:
        return self.cohort.slug if self.cohort_id else None  # type: ignore[attr-defined]

    @strawberry_django.field(description="The channel's id, for a channel webhook.", only=["channel_id"])
    def channel(self) -> int | None:
        return self.channel_id  # type: ignore[attr-defined]

    @strawberry_django.field(
        description="Who added it (username).", select_related=["created_by"], only=["created_by__username"]
    )
    def created_by(self) -> str | None:
        return self.created_by.username if self.created_by_id else None  # type: ignore[attr-defined]

    @classmethod
    def get_queryset(cls, queryset: QuerySet[Webhook], info: Info, **kwargs: Any) -> QuerySet[Webhook]:
        return narrowed(queryset, access.webhooks_visible_to(actor(info)))

    @classmethod
    def of(cls, webhook: Webhook) -> Any:
        """What a mutation returns for a changed webhook (the model instance: its fields resolve on it)."""
        return webhook


@strawberry_django.type(
    WebhookDelivery, description="One event sent (or to be sent) to a webhook, with its last attempt."
)
class WebhookDeliveryType(relay.Node):
    event_type: str
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    status_code: int | None
    response_snippet: str
    error: str
    duration_ms: int | None
    payload: JSON
    created_at: datetime

    @strawberry_django.field(description="The id REST uses.", only=["id"])
    def database_id(self) -> int:
        return self.pk  # type: ignore[attr-defined]

    @strawberry_django.field(only=["event_id"])
    def event_id(self) -> str:
        return str(self.event_id)  # type: ignore[attr-defined]

    @classmethod
    def of(cls, delivery: WebhookDelivery) -> Any:
        """What a mutation returns for a queued delivery: read again, as in-process workers already made the attempt."""
        delivery.refresh_from_db()
        return delivery


@strawberry.type
class Query:
    @strawberry_django.connection(
        DjangoCursorConnection[WebhookType],
        description="Webhooks of the cohorts and channels you mentor or staff, newest first (as REST /webhooks/).",
    )
    def webhooks(self, info: Info, cohort: str | None = None, channel: int | None = None) -> QuerySet[Webhook]:
        filters = validated(api_serializers.WebhookFilterSerializer, cohort=cohort, channel=channel)
        return bare(selectors.webhook_list(actor=signed_in(info), **filters)).order_by("-created_at", "-id")

    @strawberry_django.field(description="A webhook you manage, by its REST id (NOT_FOUND otherwise).")
    def webhook(self, info: Info, id: int) -> WebhookType:
        return optimized(access.access_webhook(signed_in(info), id), info)  # type: ignore[no-any-return]

    @strawberry_django.connection(
        DjangoCursorConnection[WebhookDeliveryType],
        description="A webhook's delivery log, newest first (as REST /webhooks/{id}/deliveries/).",
    )
    def webhook_deliveries(self, info: Info, webhook: int, state: str | None = None) -> QuerySet[WebhookDelivery]:
        filters = validated(api_serializers.DeliveryFilterSerializer, state=state)
        found = access.access_webhook(signed_in(info), webhook)
        return bare(selectors.delivery_list(webhook=found, **filters)).order_by("-created_at", "-id")
