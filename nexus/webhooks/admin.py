from django.contrib import admin

from nexus.webhooks.models import Webhook, WebhookDelivery


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """The secret never shows; create and rotate through the API, which shows it once."""

    list_display = ["name", "cohort", "format", "is_active", "created_by", "created_at"]
    list_filter = ["format", "is_active"]
    search_fields = ["name", "url", "cohort__slug"]
    exclude = ["secret"]
    readonly_fields = ["cohort", "url", "created_by"]  # the URL is vetted by webhook_update only

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False  # the URL guard and the secret come from the service


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log, read-only."""

    list_display = ["event_type", "event_id", "webhook", "state", "attempts", "status_code", "created_at"]
    list_filter = ["state", "event_type"]
    search_fields = ["event_id", "webhook__name"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
