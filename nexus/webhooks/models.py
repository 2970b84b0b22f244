"""Outgoing webhooks (a URL that receives a cohort's events) and their delivery log."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from nexus.core.models import TimeStampedModel

# "entry.published", "entry.*" (every entry event) or "*" (everything).
_EVENT_PATTERN = re.compile(r"^(?:\*|[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*(?:\.\*)?)$")
MAX_EVENT_TYPES = 50
NO_EVENT_TYPES = 'Subscribe to at least one event type (a list such as ["entry.published"] or ["*"]).'


def validate_event_types(value: object) -> None:
    """A non-empty list of distinct event type patterns."""
    if not isinstance(value, list) or not value:
        raise ValidationError(NO_EVENT_TYPES)
    if len(value) > MAX_EVENT_TYPES:
        raise ValidationError(f"Subscribe to at most {MAX_EVENT_TYPES} event types.")
    for item in value:
        if not isinstance(item, str) or len(item) > 100 or not _EVENT_PATTERN.match(item):
            raise ValidationError(
                f"{item!r} is not an event type: use dotted lower-case names, a trailing .* or a lone *."
            )
    if len(set(value)) != len(value):
        raise ValidationError("Each event type may be listed once.")


def event_matches(patterns: list[str], event_type: str) -> bool:
    """Whether an event type is one of the patterns (exact, `prefix.*` or `*`)."""
    for pattern in patterns:
        if pattern in ("*", event_type):
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


class Webhook(TimeStampedModel):
    """A URL that receives the events of one scope, in a chat-compatible or generic shape.

    The scope is exactly one of: a cohort (its published entries, ...) or a discussion channel
    (its new messages).
    """

    class Format(models.TextChoices):
        DISCORD = "discord", "Discord (content)"
        SLACK = "slack", "Slack (text)"
        GENERIC = "generic", "Generic JSON"

    cohort = models.ForeignKey(
        "cohorts.Cohort", null=True, blank=True, on_delete=models.CASCADE, related_name="webhooks"
    )
    channel = models.ForeignKey(
        "discussions.Channel", null=True, blank=True, on_delete=models.CASCADE, related_name="webhooks"
    )
    name = models.CharField(max_length=120)
    url = models.CharField(max_length=2048, help_text="Vetted by the outbound guard when saved and on every delivery.")
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.GENERIC)
    # HMAC-SHA256 key for X-Nexus-Signature. Kept in clear: signing needs the key itself.
    secret = models.CharField(max_length=100, editable=False)
    event_types = models.JSONField(
        default=list, validators=[validate_event_types], error_messages={"blank": NO_EVENT_TYPES}
    )
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cohort__isnull=False, channel__isnull=True)
                | models.Q(cohort__isnull=True, channel__isnull=False),
                name="webhooks_webhook_one_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event for one webhook: its attempts so far and how the last one went.

    A delivery is `pending` until an attempt succeeds (`succeeded`) or it can never succeed or
    has used its attempts (`failed`). `next_attempt_at` is when a pending delivery is due;
    `locked_until` is the lease of an attempt in flight (a worker that dies frees it then).
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=100)
    event_type = models.CharField(max_length=100)
    payload = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_snippet = models.TextField(blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event_id"], name="webhooks_delivery_once_per_event"),
            models.CheckConstraint(
                condition=~models.Q(state="pending") | models.Q(next_attempt_at__isnull=False),
                name="webhooks_delivery_pending_is_due_sometime",
            ),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(state="pending"), name="webhooks_delivery_due")
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} → {self.webhook_id} ({self.state})"
