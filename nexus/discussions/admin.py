from django.contrib import admin

from nexus.discussions.models import (
    Channel,
    ChannelMember,
    Comment,
    CommentMention,
    CommentReaction,
    Message,
    MessageMention,
    MessageReaction,
    ReadMarker,
    Thread,
)


class ChannelMemberInline(admin.TabularInline):
    model = ChannelMember
    extra = 0
    fields = ["user", "added_by", "created_at"]
    readonly_fields = ["added_by", "created_at"]
    raw_id_fields = ["user"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "visibility", "cohort", "last_message_at"]
    list_filter = ["visibility"]
    search_fields = ["slug", "name", "topic"]
    raw_id_fields = ["cohort", "created_by"]
    inlines = [ChannelMemberInline]


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "channel", "created_by", "resolved_at", "last_message_at"]
    search_fields = ["title"]
    raw_id_fields = ["channel", "created_by", "resolved_by", "accepted_message", "promoted_entry"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: moderation goes through the API so tombstones, mentions and live frames stay right."""

    list_display = ["pk", "channel", "thread", "author", "created_at", "edited_at", "deleted_at"]
    list_filter = ["channel"]
    search_fields = ["body"]
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "entry", "parent", "author", "created_at", "deleted_at"]
    search_fields = ["body"]
    readonly_fields = [f.name for f in Comment._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ChannelMember, ReadMarker, MessageMention, MessageReaction, CommentMention, CommentReaction)
class RowAdmin(admin.ModelAdmin):
    """Membership, read-marker, mention and reaction rows: for looking, not for editing by hand."""

    list_display = ["__str__"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
