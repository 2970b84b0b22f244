from django.contrib import admin

from nexus.core.models import OutboxEvent


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    """Read-only: events are written by services and moved on by the relay (`manage.py events`)."""

    list_display = ["type", "id", "state", "attempts", "redelivered", "created_at", "sent_at", "processed_at"]
    list_filter = ["type", "redelivered", ("failed_at", admin.EmptyFieldListFilter)]
    search_fields = ["=id", "type", "key"]
    readonly_fields = [f.name for f in OutboxEvent._meta.fields]
    ordering = ["-created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
