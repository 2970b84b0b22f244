"""The transactional outbox: record an event with the change, relay it to Celery, dispatch it once.

1. A service calls `event_record(type=..., payload=...)` inside its transaction: the event row
   commits or rolls back with the change it describes.
2. After the commit, `relay(event_ids=...)` publishes the new events to the broker at once; the
   beat task `nexus.events.relay` runs `relay()` every `EVENTS_RELAY_INTERVAL` seconds and
   publishes whatever is still unsent after `EVENTS_RELAY_MIN_AGE` seconds (the broker was down,
   the process died between commit and publish). An event is marked sent in the same
   transaction that published it, so the mark is durable only after the broker confirmed it.
3. A worker runs `dispatch(event_id=...)`: under a row lock, once per event (`processed_at`),
   every handler registered for the type (`@handler("solution.confirmed")`) in one transaction
   with the mark. A redelivered message finds the event processed and does nothing; handlers
   also make their effects unique per event id, so nothing is done twice.

In embedded mode (no broker) Celery runs the dispatch in-process, right after the commit.
See docs/events.md.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from nexus.core.models import OutboxEvent

logger = logging.getLogger(__name__)

Handler = Callable[[OutboxEvent], None]
_handlers: dict[str, list[Handler]] = defaultdict(list)

# Events recorded by this thread whose transaction has not been relayed yet (see _schedule_relay).
_local = threading.local()

BATCH = 100


# --- handlers ------------------------------------------------------------------------------------


def handler(event_type: str) -> Callable[[Handler], Handler]:
    """Register a function to run for every event of `event_type` (inside the dispatch transaction).

    A handler writes its effects to the database (they commit with the "processed" mark) and
    schedules anything that leaves the database with `transaction.on_commit`.
    """

    def register(function: Handler) -> Handler:
        if function not in _handlers[event_type]:
            _handlers[event_type].append(function)
        return function

    return register


def handlers_for(event_type: str) -> list[Handler]:
    """The handlers registered for a type, in registration order."""
    return list(_handlers.get(event_type, []))


# --- recording -----------------------------------------------------------------------------------


def event_record(*, type: str, payload: dict, key: str | None = None) -> OutboxEvent:
    """Record an event in the caller's transaction; it is relayed to Celery after the commit.

    `payload` must be JSON-serialisable (ids, not objects). With a `key`, an event already
    recorded with the same key is returned instead of a new one (a producer's dedupe).
    """
    if not isinstance(payload, dict):
        raise TypeError("An event's payload is a dict.")
    if key is not None:
        existing = OutboxEvent.objects.filter(key=key).first()
        if existing is not None:
            return existing
    event = OutboxEvent(type=type, payload=payload, key=key)
    event.full_clean(validate_unique=False)
    try:
        with transaction.atomic():  # a savepoint: a concurrent writer may have taken the key
            event.save(force_insert=True)
    except IntegrityError:
        if key is None:
            raise
        return OutboxEvent.objects.get(key=key)
    _schedule_relay(event.pk)
    return event


def _schedule_relay(event_id: UUID) -> None:
    """Relay this event right after the commit, with the others of the same transaction.

    Every event registers a callback (so a rolled-back savepoint cannot lose one); the first
    callback to run relays all of the thread's pending events in one batch and the others
    find nothing left. Ids of rolled-back events are simply not found by the relay.
    """
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = []
    pending.append(event_id)
    transaction.on_commit(_relay_pending)


def _relay_pending() -> None:
    pending = getattr(_local, "pending", None) or []
    _local.pending = None
    if pending:
        try:
            relay(event_ids=pending)
        except Exception:  # the write is committed: never fail it now; the sweep publishes later
            logger.exception("events: relaying %d event(s) after commit failed", len(pending))


# --- relay -----------------------------------------------------------------------------------------


def _publish(event: OutboxEvent) -> None:
    """Hand the event to Celery (in embedded mode: dispatch it in-process right now)."""
    from nexus.core import tasks  # the tasks module imports this one

    tasks.event_dispatch.apply_async(args=[str(event.pk)], task_id=str(event.pk))


def _due(now) -> Q:
    """Events the sweep publishes: unsent and due, or sent long ago and still not processed."""
    min_age = timedelta(seconds=settings.EVENTS_RELAY_MIN_AGE)
    republish = timedelta(seconds=settings.EVENTS_REPUBLISH_AFTER)
    unsent = Q(sent_at__isnull=True, available_at__lte=now - min_age)
    lost = Q(sent_at__lte=now - republish)
    return Q(processed_at__isnull=True, failed_at__isnull=True) & (unsent | lost)


def _relay_batch(event_ids: list[UUID] | None) -> tuple[int, bool]:
    """Publish one batch; returns how many were published and whether to go on with another."""
    now = timezone.now()
    queryset = OutboxEvent.objects.all()
    if event_ids is not None:
        queryset = queryset.filter(pk__in=event_ids, sent_at__isnull=True, processed_at__isnull=True)
    else:
        queryset = queryset.filter(_due(now))
    published = 0
    with transaction.atomic():
        # Several relays (web processes after commit, the beat sweep) never publish the same rows.
        batch = list(queryset.order_by("created_at", "id").select_for_update(skip_locked=True)[:BATCH])
        for event in batch:
            try:
                with transaction.atomic():
                    # Marked before the publish, in the same transaction: the mark becomes
                    # durable only after the broker accepted the message, and an in-process
                    # dispatch (embedded mode) that fails can take it back.
                    OutboxEvent.objects.filter(pk=event.pk).update(sent_at=timezone.now())
                    _publish(event)
            except Exception as exc:  # noqa: BLE001 - broker down or refusing: stop here, the sweep retries
                logger.warning(
                    "events: publishing %s %s failed (%s: %s); %d left for the sweep",
                    event.type,
                    event.pk,
                    type(exc).__name__,
                    exc,
                    len(batch) - published,
                )
                return published, False
            published += 1
    return published, len(batch) == BATCH


def relay(*, event_ids: Iterable[UUID] | None = None) -> int:
    """Publish unsent events to Celery; returns how many the broker accepted.

    With `event_ids` (right after a commit), those of them still unsent. Without (the beat
    sweep), every event due: unsent for `EVENTS_RELAY_MIN_AGE` seconds, or sent more than
    `EVENTS_REPUBLISH_AFTER` seconds ago and never processed (the message was lost). Stops at
    the first publish that fails; what is left waits for the next sweep.
    """
    ids = [UUID(str(pk)) for pk in event_ids] if event_ids is not None else None
    total = 0
    while True:
        published, more = _relay_batch(ids)
        total += published
        if not more:
            return total


# --- dispatch --------------------------------------------------------------------------------------


def dispatch(*, event_id: str | UUID, redelivered: bool = False) -> str:
    """Run the handlers of one event, once; returns processed, duplicate, missing or failed.

    Handlers and the "processed" mark commit together, so a worker that dies halfway leaves
    nothing behind and the redelivered message does the work; a message delivered after the
    work was done finds `processed_at` set. A failing handler rolls everything back and the
    event is published again after a backoff, up to `EVENTS_MAX_ATTEMPTS` times.
    """
    try:
        with transaction.atomic():
            event = OutboxEvent.objects.select_for_update().filter(pk=event_id).first()
            if event is None:
                return "missing"  # pruned long ago, or never committed
            if event.processed_at is not None:
                if redelivered and not event.redelivered:
                    OutboxEvent.objects.filter(pk=event.pk).update(redelivered=True)
                return "duplicate"
            for function in handlers_for(event.type):
                function(event)
            now = timezone.now()
            event.processed_at = now
            event.sent_at = event.sent_at or now
            event.redelivered = event.redelivered or redelivered
            event.save(update_fields=["processed_at", "sent_at", "redelivered"])
        return "processed"
    except Exception as exc:
        logger.exception("events: handling %s failed", event_id)
        _record_failure(event_id, exc)
        return "failed"


def _record_failure(event_id: str | UUID, exc: Exception) -> None:
    """Count a failed dispatch: publish again after a backoff, or give up after the last attempt."""
    event = OutboxEvent.objects.filter(pk=event_id).first()
    if event is None:
        return
    attempts = event.attempts + 1
    now = timezone.now()
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if attempts >= settings.EVENTS_MAX_ATTEMPTS:
        OutboxEvent.objects.filter(pk=event.pk).update(attempts=attempts, last_error=error, failed_at=now)
        logger.error("events: %s %s failed %d times; given up", event.type, event.pk, attempts)
        return
    delay = min(settings.EVENTS_RETRY_DELAY * 2 ** (attempts - 1), 3600)
    OutboxEvent.objects.filter(pk=event.pk).update(
        attempts=attempts, last_error=error, sent_at=None, available_at=now + timedelta(seconds=delay)
    )


# --- housekeeping ----------------------------------------------------------------------------------


def events_prune(*, older_than: timedelta) -> int:
    """Delete events processed before `older_than` ago; failed ones stay for an operator."""
    deleted, _ = OutboxEvent.objects.filter(processed_at__lt=timezone.now() - older_than).delete()
    return deleted


def events_retry(*, event_ids: Iterable[UUID] | None = None) -> int:
    """Give failed events (all, or these) a fresh set of attempts; the next relay publishes them."""
    queryset = OutboxEvent.objects.filter(failed_at__isnull=False, processed_at__isnull=True)
    if event_ids is not None:
        queryset = queryset.filter(pk__in=list(event_ids))
    return queryset.update(failed_at=None, attempts=0, sent_at=None, available_at=timezone.now())


def events_status() -> dict[str, int]:
    """How many events are pending, sent (not processed yet), processed and failed."""
    queryset = OutboxEvent.objects.all()
    return {
        "pending": queryset.filter(sent_at__isnull=True, processed_at__isnull=True, failed_at__isnull=True).count(),
        "sent": queryset.filter(sent_at__isnull=False, processed_at__isnull=True, failed_at__isnull=True).count(),
        "processed": queryset.filter(processed_at__isnull=False).count(),
        "failed": queryset.filter(failed_at__isnull=False).count(),
    }
