"""Shared model bases, and the outbox of events every app records into."""

import uuid

from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    """Adds creation and modification times to a model."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OutboxEvent(models.Model):
    """A fact recorded in the same transaction as the change it describes (the transactional outbox).

    The relay (`core.events.relay`) hands committed events to Celery and marks them sent only
    once the broker has accepted them; `core.events.dispatch` runs the handlers registered for
    the type once per event (`processed_at`), however often the broker delivers it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField(default=dict, blank=True)
    # A producer's dedupe key: a second event with the same key is not recorded.
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The relay publishes an unsent event once this time has passed (later after a failure).
    available_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Given up after EVENTS_MAX_ATTEMPTS failed dispatches; kept for an operator to look at.
    failed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Dispatches whose handlers failed.")
    last_error = models.TextField(blank=True)
    # The broker delivered this event again (a worker died holding it, or the ack was lost).
    redelivered = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["available_at"],
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
                name="core_outbox_unsent",
            ),
            models.Index(
                fields=["sent_at"],
                condition=models.Q(sent_at__isnull=False, processed_at__isnull=True, failed_at__isnull=True),
                name="core_outbox_unprocessed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"

    @property
    def state(self) -> str:
        """pending, sent, processed or failed."""
        if self.failed_at:
            return "failed"
        if self.processed_at:
            return "processed"
        return "sent" if self.sent_at else "pending"
