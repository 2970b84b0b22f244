"""Registered APIs, their operations and schema versions, consumers, health checks and alerts.

See docs/registry.md. An API's operations are the ones of its newest schema version; a
consumer subscribes to the whole API (no operation keys) or to operation keys ("GET /items/").
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from nexus.core.models import TimeStampedModel


class RegisteredApi(TimeStampedModel):
    """A member's API: where it lives, its OpenAPI schema (by URL or upload) and its health URL."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        COHORT = "cohort", "My cohort"
        PUBLIC = "public", "Everyone"

    class Health(models.TextChoices):
        UNKNOWN = "unknown", "Unknown"
        UP = "up", "Up"
        DOWN = "down", "Down"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registered_apis")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    base_url = models.CharField(max_length=2048)
    schema_url = models.CharField(max_length=2048, blank=True)
    health_url = models.CharField(max_length=2048, blank=True)
    topics = models.JSONField(default=list, blank=True, help_text="Topic slugs.")
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    # The cohort whose members see a cohort-visible API: one the owner belongs to.
    cohort = models.ForeignKey("cohorts.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    health_state = models.CharField(max_length=10, choices=Health.choices, default=Health.UNKNOWN)
    health_changed_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    schema_error = models.TextField(blank=True, help_text="Why the last schema fetch failed, if it did.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.visibility == self.Visibility.COHORT and self.cohort_id is None:
            raise ValidationError({"visibility": "A cohort-visible API needs a cohort; join one first."})


class ApiSchemaVersion(models.Model):
    """One distinct schema of an API (by the hash of its canonical JSON), and its diff to the one before."""

    class Source(models.TextChoices):
        URL = "url", "Fetched"
        UPLOAD = "upload", "Uploaded"

    api = models.ForeignKey(RegisteredApi, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    source = models.CharField(max_length=10, choices=Source.choices)
    title = models.CharField(max_length=200, blank=True)
    version_label = models.CharField(max_length=100, blank=True, help_text="info.version of the schema.")
    document = models.JSONField(help_text="The schema as parsed.")
    operation_count = models.PositiveIntegerField(default=0)
    changes = models.JSONField(default=list, blank=True, help_text="Diff to the previous version.")
    breaking_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["api", "number"], name="registry_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.api_id} v{self.number}"


class ApiOperation(models.Model):
    """An operation of an API's newest schema, `$ref`s resolved."""

    api = models.ForeignKey(RegisteredApi, on_delete=models.CASCADE, related_name="operations")
    key = models.CharField(max_length=600, help_text='"METHOD /path", stable across versions.')
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    operation_id = models.CharField(max_length=200, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    deprecated = models.BooleanField(default=False)
    parameters = models.JSONField(default=list, blank=True)
    request_body = models.JSONField(null=True, blank=True)
    responses = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["path", "method", "id"]
        constraints = [models.UniqueConstraint(fields=["api", "key"], name="registry_operation_key_unique")]

    def __str__(self) -> str:
        return self.key


class ApiConsumer(TimeStampedModel):
    """A member who uses an API: all of it (`operations` empty) or the listed operation keys."""

    api = models.ForeignKey(RegisteredApi, on_delete=models.CASCADE, related_name="consumers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_subscriptions")
    operations = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["api", "user"], name="registry_consumer_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.api_id}"

    def affected_by(self, keys: set[str]) -> bool:
        return not self.operations or bool(keys.intersection(self.operations))


class HealthCheck(models.Model):
    """One request to an API's health URL and how it went."""

    api = models.ForeignKey(RegisteredApi, on_delete=models.CASCADE, related_name="health_checks")
    checked_at = models.DateTimeField()
    ok = models.BooleanField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["api", "checked_at"], name="registry_check_api_time")]

    def __str__(self) -> str:
        return f"{self.api_id} {self.checked_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'failed'}"


class RegistryAlert(models.Model):
    """Something a consumer should know about an API: a contract change or its going down/up."""

    class Kind(models.TextChoices):
        BREAKING = "breaking", "Breaking change"
        CHANGED = "changed", "Non-breaking change"
        DOWN = "down", "Went down"
        UP = "up", "Back up"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registry_alerts")
    api = models.ForeignKey(RegisteredApi, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    message = models.CharField(max_length=500)
    diff = models.JSONField(default=list, blank=True)
    read = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read"], name="registry_alert_unread")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"
