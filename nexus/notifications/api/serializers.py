"""Input and output shapes for notifications, preferences and follows."""

from __future__ import annotations

from rest_framework import serializers

from nexus.notifications.models import EmailMode, Kind


class NotificationTargetSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="entry, hub, member, or what the producing app names (thread, message).")
    id = serializers.IntegerField(allow_null=True)


class NotificationSerializer(serializers.Serializer):
    """A notification, as the list shows it and the live channel pushes it (`selectors.notification_data`)."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    text = serializers.CharField()
    url = serializers.CharField(help_text="Where it points, as an API path; empty if nowhere.")
    target = NotificationTargetSerializer(allow_null=True)
    actor = serializers.CharField(allow_null=True, help_text="The username of who did it, if anyone.")
    event_id = serializers.UUIDField(help_text="The outbox event that made it.")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class NotificationFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true: only unread; false: only read."
    )


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkAllReadSerializer(serializers.Serializer):
    up_to = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Only notifications with this id or older."
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


class NotificationPreferencesSerializer(serializers.Serializer):
    """How each kind is e-mailed; in-app notifications are always on."""

    email = serializers.DictField(
        child=serializers.ChoiceField(choices=EmailMode.choices),
        help_text=f"Kind ({', '.join(Kind.values)}) to e-mail mode (off, immediate, digest).",
    )


class NotificationPreferencesUpdateSerializer(serializers.Serializer):
    email = serializers.DictField(
        child=serializers.CharField(), help_text="Only the kinds to change, each to off, immediate or digest."
    )


class MemberFollowStateSerializer(serializers.Serializer):
    username = serializers.CharField()
    following = serializers.BooleanField()
    followers = serializers.IntegerField()


class TopicFollowStateSerializer(serializers.Serializer):
    topic = serializers.SlugField()
    following = serializers.BooleanField()
    followers = serializers.IntegerField()


class FollowMemberSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(source="profile.name")


class FollowedMemberSerializer(serializers.Serializer):
    member = FollowMemberSerializer(source="followed")
    since = serializers.DateTimeField(source="created_at")


class FollowerSerializer(serializers.Serializer):
    member = FollowMemberSerializer(source="follower")
    since = serializers.DateTimeField(source="created_at")


class FollowTopicSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.CharField()


class FollowedTopicSerializer(serializers.Serializer):
    topic = FollowTopicSerializer()
    since = serializers.DateTimeField(source="created_at")
