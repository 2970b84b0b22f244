"""Celery tasks of the outbox: dispatch one event, the relay sweep, pruning. Thin: they call core.events."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from nexus.core import events


@shared_task(bind=True, name="nexus.events.dispatch", ignore_result=True, acks_late=True)
def event_dispatch(self, event_id: str) -> str:
    """Run an event's handlers once; a redelivery (worker died, lost ack) is recorded and harmless."""
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    return events.dispatch(event_id=event_id, redelivered=redelivered)


@shared_task(name="nexus.events.relay", ignore_result=True)
def events_relay() -> int:
    """The beat sweep: publish what the after-commit relay could not (broker down, process died)."""
    return events.relay()


@shared_task(name="nexus.events.prune", ignore_result=True)
def events_prune() -> int:
    """Delete processed events older than EVENTS_RETENTION_DAYS."""
    return events.events_prune(older_than=timedelta(days=settings.EVENTS_RETENTION_DAYS))
