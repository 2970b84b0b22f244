"""Input and output shapes for channels, threads, messages, reactions and comments.

Output serializers declare their fields for the OpenAPI schema and write through
`discussions.payloads`, the one place that shapes these objects, so a REST item is exactly the
`data` of the matching WebSocket frame (a test holds the declared fields to the payload keys).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nexus.discussions import payloads
from nexus.discussions.emoji import REACTIONS
from nexus.discussions.models import BODY_MAX_LENGTH, Channel

_EMOJI_HELP = f"A short name ({', '.join(REACTIONS)}; also `:name:`, `+1`, `-1`) or the emoji itself."


class MemberBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(help_text="Display name, else the username.")


class ReactionSerializer(serializers.Serializer):
    emoji = serializers.CharField(help_text="Short name.")
    char = serializers.CharField(help_text="The emoji.")
    count = serializers.IntegerField()
    users = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the members who reacted.")


class _PayloadSerializer(serializers.Serializer):
    """Declares fields for the schema; the representation comes from `payloads`."""

    def payload(self, instance: Any) -> dict[str, Any]:
        raise NotImplementedError

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return self.payload(instance)


class ChannelSerializer(_PayloadSerializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = serializers.CharField()
    topic = serializers.CharField()
    visibility = serializers.ChoiceField(choices=Channel.Visibility.choices)
    cohort = serializers.SlugField(allow_null=True, help_text="The cohort's slug; null for a global channel.")
    created_at = serializers.DateTimeField()
    last_message_at = serializers.DateTimeField(allow_null=True)
    unread = serializers.IntegerField(allow_null=True, help_text="Messages by others after your read marker.")
    last_read_message = serializers.IntegerField(
        allow_null=True, help_text="Your read marker (a message id; 0 = none)."
    )

    def payload(self, instance: Any) -> dict[str, Any]:
        return payloads.channel(instance)


class ChannelCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    visibility = serializers.ChoiceField(choices=Channel.Visibility.choices, default=Channel.Visibility.COHORT)
    cohort = serializers.SlugField(required=False, help_text="Required unless the channel is global.")
    topic = serializers.CharField(max_length=300, required=False, allow_blank=True)
    slug = serializers.SlugField(max_length=80, required=False, help_text="Defaults to one made from the name.")
    members = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Private channels: usernames of cohort members."
    )


class ChannelUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80, required=False)
    topic = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ChannelFilterSerializer(serializers.Serializer):
    cohort = serializers.SlugField(required=False)
    visibility = serializers.ChoiceField(choices=Channel.Visibility.choices, required=False)


class ChannelMemberSerializer(serializers.Serializer):
    user = serializers.SerializerMethodField()
    added_at = serializers.DateTimeField(source="created_at")

    @extend_schema_field(MemberBriefSerializer)
    def get_user(self, obj: Any) -> dict[str, Any] | None:
        return payloads.member(obj.user)


class ChannelMemberAddSerializer(serializers.Serializer):
    username = serializers.CharField()


class ReadMarkerSerializer(serializers.Serializer):
    message = serializers.IntegerField(
        required=False, allow_null=True, help_text="Read up to this message; default: the latest."
    )


class ThreadSerializer(_PayloadSerializer):
    id = serializers.IntegerField()
    channel = serializers.IntegerField()
    title = serializers.CharField()
    created_by = MemberBriefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    last_message_at = serializers.DateTimeField(allow_null=True)
    message_count = serializers.IntegerField(allow_null=True, help_text="Messages that are not deleted.")
    resolved = serializers.BooleanField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolved_by = MemberBriefSerializer(allow_null=True)
    accepted_message = serializers.IntegerField(allow_null=True, help_text="The accepted reply's id.")
    promoted_entry = serializers.IntegerField(allow_null=True, help_text="The entry this thread was promoted to.")

    def payload(self, instance: Any) -> dict[str, Any]:
        return payloads.thread(instance)


class ThreadCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=BODY_MAX_LENGTH, help_text="The first message (Markdown).")


class ThreadFilterSerializer(serializers.Serializer):
    resolved = serializers.BooleanField(required=False, allow_null=True, default=None)


class ResolutionSerializer(serializers.Serializer):
    accepted_message = serializers.IntegerField(required=False, allow_null=True, help_text="A reply in the thread.")


class PromoteSerializer(serializers.Serializer):
    hub = serializers.CharField(
        required=False, help_text="Your hub's id or slug; default: your hub for the cohort's program."
    )


class PromotedSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    hub = serializers.CharField(help_text="The hub's slug.")
    title = serializers.CharField()
    status = serializers.CharField()
    url = serializers.CharField()


class MessageSerializer(_PayloadSerializer):
    """A message; a deleted one is a tombstone (empty body, no mentions or reactions, `deleted` true)."""

    id = serializers.IntegerField()
    channel = serializers.IntegerField()
    thread = serializers.IntegerField()
    author = MemberBriefSerializer(allow_null=True)
    body = serializers.CharField(help_text="Markdown.")
    body_html = serializers.CharField(help_text="Sanitized HTML.")
    mentions = serializers.ListField(child=serializers.CharField(), help_text="Usernames mentioned.")
    reactions = ReactionSerializer(many=True)
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    deleted = serializers.BooleanField()
    deleted_at = serializers.DateTimeField(allow_null=True)

    def payload(self, instance: Any) -> dict[str, Any]:
        return payloads.message(instance)


class MessageWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX_LENGTH, help_text="Markdown; `@username` mentions.")


class MessageFilterSerializer(serializers.Serializer):
    thread = serializers.IntegerField(required=False, help_text="Only this thread's messages.")
    since = serializers.IntegerField(
        required=False, min_value=0, help_text="Only messages after this id, oldest first (catching up)."
    )


class ReactionInputSerializer(serializers.Serializer):
    emoji = serializers.CharField(max_length=32, help_text=_EMOJI_HELP)


class ReactionStateSerializer(serializers.Serializer):
    reacted = serializers.BooleanField(help_text="Whether your reaction is there now.")
    emoji = serializers.CharField()
    reactions = ReactionSerializer(many=True)


class CommentReplySerializer(_PayloadSerializer):
    id = serializers.IntegerField()
    entry = serializers.IntegerField()
    parent = serializers.IntegerField(allow_null=True)
    author = MemberBriefSerializer(allow_null=True)
    body = serializers.CharField()
    body_html = serializers.CharField()
    mentions = serializers.ListField(child=serializers.CharField())
    reactions = ReactionSerializer(many=True)
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    deleted = serializers.BooleanField()
    deleted_at = serializers.DateTimeField(allow_null=True)

    def payload(self, instance: Any) -> dict[str, Any]:
        return payloads.comment(instance, with_replies=False)


class CommentSerializer(CommentReplySerializer):
    """A comment; top-level comments carry `replies` (one level, oldest first)."""

    replies = CommentReplySerializer(many=True, required=False)

    def payload(self, instance: Any) -> dict[str, Any]:
        return payloads.comment(instance)


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX_LENGTH, help_text="Markdown; `@username` mentions.")
    parent = serializers.IntegerField(
        required=False, allow_null=True, help_text="Reply to this comment (a reply to a reply joins its top comment)."
    )
