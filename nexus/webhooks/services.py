"""Writes: managing webhooks, dispatching events to them, and delivering (docs/webhooks.md).

Delivery is a row, not a message. `webhooks_dispatch` writes one `WebhookDelivery` per matching
webhook (at most one per webhook and event id) and, after commit, hands each to the
`webhooks.delivery_send` task. An attempt claims its row with a lease, sends through the outbound
guard with no transaction open, and records the outcome; a failure worth retrying sets
`next_attempt_at` (exponential backoff with jitter) and the `webhooks.deliveries_due` beat task
sends again whatever is due. So a lost message, a broker outage or a dead worker delays a
delivery but never loses it, and two copies of a message cannot send twice while a lease holds.
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from nexus.accounts.models import User
from nexus.cohorts import selectors as cohort_selectors
from nexus.core import outbound
from nexus.core.errors import ApplicationError
from nexus.discussions.access import access_channel
from nexus.webhooks import payloads, selectors
from nexus.webhooks.access import access_delivery, access_webhook, check_channel_manager, check_cohort_manager
from nexus.webhooks.models import Webhook, WebhookDelivery, event_matches

logger = logging.getLogger(__name__)

SNIPPET_CHARS = 1000  # of the receiver's answer kept in the log
ERROR_CHARS = 1000
_READ_BYTES = 4096  # of the receiver's answer read at all


def _new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def _schedule(delivery_ids: list[int]) -> None:
    """Hand deliveries to the worker once the current transaction commits (at once outside one).

    A failure to enqueue (broker down) is logged and otherwise ignored: the rows are committed
    and due, and `deliveries_due` picks them up on its next run.
    """
    if not delivery_ids:
        return
    ids = list(delivery_ids)

    def enqueue() -> None:
        from nexus.webhooks import tasks  # tasks import this module

        for pk in ids:
            tasks.webhook_delivery_send.apply_async(args=[pk], queue=settings.WEBHOOKS_QUEUE or None)

    transaction.on_commit(enqueue, robust=True)


# --- Managing webhooks -----------------------------------------------------------------------


@transaction.atomic
def webhook_create(
    *,
    actor: User,
    cohort: str | None = None,
    channel: int | None = None,
    name: str,
    url: str,
    format: str = Webhook.Format.GENERIC,
    event_types: list[str],
    is_active: bool = True,
) -> Webhook:
    """Add a webhook to a cohort or to a discussion channel (exactly one); the secret is new.

    A cohort's mentors and staff (and platform staff) manage its webhooks and those of its
    channels they can read. The URL must be one the outbound guard could ever reach
    (`validate_url`: no literal private address, http or https only); the returned webhook
    carries its secret, shown to the caller once.
    """
    if (cohort is None) == (channel is None):
        raise ValidationError({"cohort": ["Give either a cohort or a channel, not both."]})
    target, room = None, None
    if cohort is not None:
        target = cohort_selectors.cohort_list().filter(slug=cohort).first()
        if target is None:
            raise ValidationError({"cohort": [f"No cohort with slug {cohort!r}."]})
        check_cohort_manager(actor, target)
        scope = Webhook.objects.filter(cohort=target)
    else:
        room = access_channel(actor, int(channel))  # type: ignore[arg-type]
        check_channel_manager(actor, room)
        scope = Webhook.objects.filter(channel=room)
    if scope.count() >= settings.WEBHOOKS_PER_COHORT:
        where = target.name if target is not None else f"#{room.name}"  # type: ignore[union-attr]
        raise ApplicationError(
            f"{where} already has {settings.WEBHOOKS_PER_COHORT} webhooks, the most one scope may have.",
            status=409,
            code="too_many_webhooks",
        )
    webhook = Webhook(
        cohort=target,
        channel=room,
        name=name.strip(),
        url=outbound.validate_url(url, field="url"),
        format=format,
        secret=_new_secret(),
        event_types=event_types,
        is_active=is_active,
        created_by=actor,
    )
    webhook.full_clean()
    webhook.save()
    return webhook


@transaction.atomic
def webhook_update(
    *,
    actor: User,
    webhook_id: int,
    name: str | None = None,
    url: str | None = None,
    format: str | None = None,
    event_types: list[str] | None = None,
    is_active: bool | None = None,
) -> Webhook:
    """Change a webhook's name, URL (vetted again), format, event types or active flag."""
    webhook = access_webhook(actor, webhook_id, for_update=True)
    if name is not None:
        webhook.name = name.strip()
    if url is not None:
        webhook.url = outbound.validate_url(url, field="url")
    if format is not None:
        webhook.format = format
    if event_types is not None:
        webhook.event_types = event_types
    if is_active is not None:
        webhook.is_active = is_active
    webhook.full_clean()
    webhook.save()
    return webhook


@transaction.atomic
def webhook_delete(*, actor: User, webhook_id: int) -> None:
    """Remove a webhook and its delivery log; attempts in flight find nothing to record."""
    access_webhook(actor, webhook_id, for_update=True).delete()


@transaction.atomic
def webhook_secret_rotate(*, actor: User, webhook_id: int) -> Webhook:
    """Give a webhook a new secret (shown once); the next attempt of every delivery signs with it."""
    webhook = access_webhook(actor, webhook_id, for_update=True)
    webhook.secret = _new_secret()
    webhook.save(update_fields=["secret", "updated_at"])
    return webhook


@transaction.atomic
def webhook_ping(*, actor: User, webhook_id: int) -> WebhookDelivery:
    """Send a `webhook.ping` event to one webhook (even an inactive one) to check the receiver."""
    webhook = access_webhook(actor, webhook_id)
    delivery = WebhookDelivery.objects.create(
        webhook=webhook,
        event_id=f"ping-{uuid.uuid4().hex}",
        event_type=payloads.PING_EVENT,
        payload={
            "summary": f"Nexus test ping for the webhook “{webhook.name}”.",
            "webhook": webhook.pk,
            "requested_by": actor.username,
        },
        next_attempt_at=timezone.now(),
    )
    _schedule([delivery.pk])
    return delivery


@transaction.atomic
def delivery_redeliver(*, actor: User, webhook_id: int, delivery_id: int) -> WebhookDelivery:
    """Send a finished delivery again, with a fresh set of attempts (same event id and body)."""
    delivery = access_delivery(actor, webhook_id, delivery_id)
    if delivery.state == WebhookDelivery.State.PENDING:
        raise ApplicationError(
            "This delivery is still pending; it will be attempted again.", status=409, code="pending"
        )
    delivery.state = WebhookDelivery.State.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.locked_until = None
    delivery.save(update_fields=["state", "attempts", "next_attempt_at", "locked_until"])
    _schedule([delivery.pk])
    return delivery


# --- Dispatching events ------------------------------------------------------------------------


def webhooks_dispatch(
    *, event_id: str, event_type: str, payload: dict, cohort_id: int | None = None, channel_id: int | None = None
) -> int:
    """Queue an event for every active webhook of the cohort (or of the discussion channel)
    subscribed to its type; how many were new.

    Call it after the change that caused the event has committed. Idempotent: an event id
    already queued for a webhook is not queued again, so a relay may call this more than once
    for the same event. `payload` must be JSON-serializable; its optional `summary` (one line)
    and `url` become the text of Discord and Slack messages, and generic webhooks receive it
    whole as `data`. An event with neither scope reaches no webhook.
    """
    if not event_id or len(event_id) > 100:
        raise ValueError("event_id must be 1 to 100 characters.")
    if not event_type or len(event_type) > 100:
        raise ValueError("event_type must be 1 to 100 characters.")
    if cohort_id is None and channel_id is None:
        return 0
    scope = Q(cohort_id=cohort_id) if cohort_id is not None else Q(channel_id=channel_id)
    hooks = [
        hook for hook in Webhook.objects.filter(scope, is_active=True) if event_matches(hook.event_types, event_type)
    ]
    created: list[int] = []
    now = timezone.now()
    with transaction.atomic():
        for hook in hooks:
            delivery, is_new = WebhookDelivery.objects.get_or_create(
                webhook=hook,
                event_id=event_id,
                defaults={"event_type": event_type, "payload": payload, "next_attempt_at": now},
            )
            if is_new:
                created.append(delivery.pk)
        _schedule(created)
    return len(created)


# --- Delivering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    verdict: payloads.Verdict
    status_code: int | None = None
    snippet: str = ""
    error: str = ""
    duration_ms: int | None = None
    retry_after: float | None = None


def _retry_after(value: str | None) -> float | None:
    return float(value) if value and value.strip().isdigit() else None


def _send(delivery: WebhookDelivery) -> _Outcome:
    """One HTTP attempt (no database access)."""
    webhook = delivery.webhook
    if not webhook.is_active and delivery.event_type != payloads.PING_EVENT:
        return _Outcome("failed", error="The webhook was deactivated before this delivery was sent.")
    event = payloads.Event(
        id=delivery.event_id,
        type=delivery.event_type,
        created_at=delivery.created_at,
        cohort=webhook.cohort.slug if webhook.cohort else None,
        data=delivery.payload,
    )
    content = payloads.body(webhook.format, event)
    headers = payloads.headers(
        secret=webhook.secret, payload=content, event=event, delivery_id=delivery.pk, timestamp=int(time.time())
    )
    limits = outbound.Limits.from_settings(
        total_timeout=settings.WEBHOOKS_TIMEOUT_SECONDS, max_bytes=_READ_BYTES, max_redirects=0
    )
    started = time.monotonic()
    try:
        response = outbound.request(
            "POST", webhook.url, content=content, headers=headers, follow_redirects=False, truncate=True, limits=limits
        )
    except outbound.OutboundRefused as exc:
        # Nothing was sent and nothing will change by waiting: the URL or its address is refused.
        return _Outcome("failed", error=f"Refused by the outbound guard ({exc.reason}): {exc.message}")
    except outbound.OutboundError as exc:
        elapsed = round((time.monotonic() - started) * 1000)
        return _Outcome("retry", error=f"{exc.reason}: {exc.message}"[:ERROR_CHARS], duration_ms=elapsed)
    verdict = payloads.verdict(response.status_code)
    error = ""
    if verdict != "succeeded":
        error = f"The receiver answered HTTP {response.status_code}."
        if 300 <= response.status_code < 400:
            error += " Webhooks do not follow redirects: update the URL to where it points."
    return _Outcome(
        verdict,
        status_code=response.status_code,
        snippet=response.text[:SNIPPET_CHARS],
        error=error,
        duration_ms=round(response.elapsed * 1000),
        retry_after=_retry_after(response.headers.get("retry-after")),
    )


def delivery_attempt(*, delivery_id: int) -> str:
    """Make one attempt at a pending, due delivery and record it; the delivery's state after it.

    Returns "skipped" (and does nothing) when the delivery is gone, finished, not yet due, or
    held by another attempt's lease, so a duplicated task message is harmless. No transaction
    is held while the receiver is called: the claim and the record are one UPDATE each.
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.WEBHOOKS_TIMEOUT_SECONDS + 60)
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id, state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(attempts=F("attempts") + 1, locked_until=lease, last_attempt_at=now)
    )
    delivery = WebhookDelivery.objects.select_related("webhook__cohort").filter(pk=delivery_id).first()
    if not claimed or delivery is None:
        return "skipped"
    outcome = _send(delivery)
    return _record(delivery, outcome, lease=lease)


def _record(delivery: WebhookDelivery, outcome: _Outcome, *, lease: Any) -> str:
    fields: dict[str, Any] = {
        "locked_until": None,
        "status_code": outcome.status_code,
        "response_snippet": outcome.snippet,
        "error": outcome.error,
        "duration_ms": outcome.duration_ms,
    }
    if outcome.verdict == "succeeded":
        fields.update(state=WebhookDelivery.State.SUCCEEDED, next_attempt_at=None)
    elif outcome.verdict == "retry" and delivery.attempts < settings.WEBHOOKS_MAX_ATTEMPTS:
        delay = payloads.retry_delay(
            delivery.attempts, base=settings.WEBHOOKS_RETRY_BASE_SECONDS, cap=settings.WEBHOOKS_RETRY_MAX_SECONDS
        )
        if outcome.retry_after is not None:  # the receiver said when (429, 503)
            delay = max(delay, min(outcome.retry_after, settings.WEBHOOKS_RETRY_MAX_SECONDS))
        fields.update(state=WebhookDelivery.State.PENDING, next_attempt_at=timezone.now() + timedelta(seconds=delay))
    else:
        if outcome.verdict == "retry":
            fields["error"] = f"{outcome.error} Gave up after {delivery.attempts} attempts."[:ERROR_CHARS]
        fields.update(state=WebhookDelivery.State.FAILED, next_attempt_at=None)
    # Only the holder of the lease records: if it expired and another attempt took over, that
    # attempt's outcome is the one that counts.
    updated = WebhookDelivery.objects.filter(pk=delivery.pk, locked_until=lease).update(**fields)
    if not updated:
        logger.warning("webhook delivery %s: lease lost before the outcome was recorded", delivery.pk)
        return "skipped"
    for name, value in fields.items():
        setattr(delivery, name, value)
    return delivery.state


def deliveries_retry_due(*, limit: int = 500) -> int:
    """Hand every due delivery to the worker (the beat task); how many were handed over."""
    ids = selectors.deliveries_due(now=timezone.now(), limit=limit)
    _schedule(ids)
    return len(ids)
