"""Celery tasks: one attempt at a delivery, and the beat task that sends what is due again.

Retries are rows with a due time (`next_attempt_at`), not `self.retry(countdown=...)`: a countdown
message sits unacknowledged in a worker's memory until it is due (RabbitMQ's consumer timeout,
30 minutes by default, closes the channel under a long one, and `acks_late` makes every restart
redeliver it), an eager task would retry at once in the caller's thread, and the delivery log
needs the due time anyway. See docs/webhooks.md.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from nexus.webhooks import services

# An attempt is bounded by the outbound guard's total deadline; these only catch a stuck worker.
_SOFT_LIMIT = int(settings.WEBHOOKS_TIMEOUT_SECONDS) + 30
_HARD_LIMIT = _SOFT_LIMIT + 30


@shared_task(
    name="webhooks.delivery_send",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=_SOFT_LIMIT,
    time_limit=_HARD_LIMIT,
)
def webhook_delivery_send(delivery_id: int) -> str:
    """Make one attempt at a delivery (a no-op unless it is pending, due and not held)."""
    return services.delivery_attempt(delivery_id=delivery_id)


@shared_task(name="webhooks.deliveries_due", ignore_result=True, acks_late=True)
def webhook_deliveries_due() -> int:
    """Hand every due delivery to `webhooks.delivery_send` (celery beat runs this every 30 s)."""
    return services.deliveries_retry_due()
