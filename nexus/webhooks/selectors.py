"""Reads: the webhooks an actor manages, a webhook's delivery log, the deliveries due now."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from nexus.webhooks.access import Actor, webhooks_visible_to
from nexus.webhooks.models import Webhook, WebhookDelivery


def webhook_list(*, actor: Actor, cohort: str | None = None, channel: int | None = None) -> QuerySet[Webhook]:
    """Webhooks the actor manages, newest first, optionally of one cohort (by slug) or channel."""
    qs = webhooks_visible_to(actor).select_related("cohort", "created_by")
    if cohort:
        qs = qs.filter(cohort__slug=cohort)
    if channel:
        qs = qs.filter(channel_id=channel)
    return qs


def delivery_list(*, webhook: Webhook, state: str | None = None) -> QuerySet[WebhookDelivery]:
    """A webhook's delivery log, newest first, optionally in one state."""
    qs = WebhookDelivery.objects.filter(webhook=webhook)
    if state:
        qs = qs.filter(state=state)
    return qs


def deliveries_due(*, now: dt.datetime, limit: int) -> list[int]:
    """Pending deliveries whose next attempt is due and that no worker holds, oldest due first."""
    return list(
        WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
