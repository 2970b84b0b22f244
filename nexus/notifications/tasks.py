"""Celery tasks for e-mail: the catch-up of "immediate" e-mails and the daily digest (see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from nexus.notifications import services


@shared_task(name="nexus.notifications.email_pending", ignore_result=True)
def notifications_email_pending() -> int:
    """E-mail "immediate" notifications whose after-commit send did not happen."""
    return services.notifications_email_pending()


@shared_task(name="nexus.notifications.digest", ignore_result=True)
def notifications_digest() -> int:
    """The daily digest: one e-mail per member with unread "digest" notifications."""
    return services.notifications_digest_send()
