from django.contrib import admin

from nexus.notifications.models import MemberFollow, Notification, NotificationPreference, TopicFollow


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are made by the outbox handlers, once per event."""

    list_display = ["recipient", "kind", "text", "created_at", "read_at", "email", "emailed_at"]
    list_filter = ["kind", "email"]
    search_fields = ["recipient__username", "text", "=event_id"]
    raw_id_fields = ["recipient", "actor"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MemberFollow)
class MemberFollowAdmin(admin.ModelAdmin):
    list_display = ["follower", "followed", "created_at"]
    search_fields = ["follower__username", "followed__username"]
    raw_id_fields = ["follower", "followed"]


@admin.register(TopicFollow)
class TopicFollowAdmin(admin.ModelAdmin):
    list_display = ["follower", "topic", "created_at"]
    search_fields = ["follower__username", "topic__slug"]
    raw_id_fields = ["follower", "topic"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email"]
    list_filter = ["kind", "email"]
    raw_id_fields = ["user"]
