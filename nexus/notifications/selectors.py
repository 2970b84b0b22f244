"""Reads: a member's notifications and preferences, follows and followers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nexus.accounts.models import User
from nexus.notifications.models import (
    DEFAULT_EMAIL,
    Kind,
    MemberFollow,
    Notification,
    NotificationPreference,
    TopicFollow,
)
from nexus.topics.models import Topic


def user_group(user_id: int) -> str:
    """The channel-layer group a member's live notifications are sent to."""
    return f"notifications.user.{user_id}"


def notification_list(*, actor: User, unread: bool | None = None) -> QuerySet[Notification]:
    """The actor's notifications, newest first; only unread (or only read) ones if asked."""
    qs = Notification.objects.filter(recipient_id=actor.pk).select_related("actor")
    if unread is not None:
        qs = qs.filter(read_at__isnull=unread)
    return qs


def notification_unread_count(*, actor: User) -> int:
    """How many of the actor's notifications are unread."""
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).count()


def notification_data(notification: Notification) -> dict[str, Any]:
    """A notification as the API and the live channel show it (`actor` must be loaded)."""
    actor = notification.actor
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "text": notification.text,
        "url": notification.url,
        "target": {"type": notification.target_type, "id": notification.target_id}
        if notification.target_type
        else None,
        "actor": actor.username if actor is not None else None,
        "event_id": str(notification.event_id),
        "created_at": notification.created_at.isoformat().replace("+00:00", "Z"),
        "read_at": notification.read_at.isoformat().replace("+00:00", "Z") if notification.read_at else None,
    }


def notification_preferences(*, user: User) -> dict[str, str]:
    """The member's e-mail mode for every kind: their choice, else the default."""
    chosen = dict(NotificationPreference.objects.filter(user_id=user.pk).values_list("kind", "email"))
    return {kind: chosen.get(kind, str(DEFAULT_EMAIL[kind])) for kind in Kind.values}


def email_modes(*, user_ids: set[int], kinds: set[str]) -> dict[tuple[int, str], str]:
    """The e-mail mode of each (member, kind) pair, defaults included, in one query."""
    chosen = {
        (user_id, kind): email
        for user_id, kind, email in NotificationPreference.objects.filter(
            user_id__in=user_ids, kind__in=kinds
        ).values_list("user_id", "kind", "email")
    }
    return {(u, k): chosen.get((u, k), str(DEFAULT_EMAIL[k])) for u in user_ids for k in kinds}


def member_follows(*, actor: User) -> QuerySet[MemberFollow]:
    """The members the actor follows, most recent first."""
    return MemberFollow.objects.filter(follower_id=actor.pk).select_related("followed__profile")


def member_followers(*, actor: User) -> QuerySet[MemberFollow]:
    """The members following the actor, most recent first."""
    return MemberFollow.objects.filter(followed_id=actor.pk).select_related("follower__profile")


def topic_follows(*, actor: User) -> QuerySet[TopicFollow]:
    """The topics the actor follows, most recent first."""
    return TopicFollow.objects.filter(follower_id=actor.pk).select_related("topic")


def member_follow_state(*, actor: User, member: User) -> dict[str, Any]:
    """Whether the actor follows a member, and how many do."""
    return {
        "username": member.username,
        "following": MemberFollow.objects.filter(follower_id=actor.pk, followed_id=member.pk).exists(),
        "followers": MemberFollow.objects.filter(followed_id=member.pk).count(),
    }


def topic_follow_state(*, actor: User, topic: Topic) -> dict[str, Any]:
    """Whether the actor follows a topic, and how many do."""
    return {
        "topic": topic.slug,
        "following": TopicFollow.objects.filter(follower_id=actor.pk, topic_id=topic.pk).exists(),
        "followers": TopicFollow.objects.filter(topic_id=topic.pk).count(),
    }


def topic_lineage() -> dict[int, set[int]]:
    """Each topic with its ancestors: following Django covers entries on Django ORM."""
    parents = dict(Topic.objects.values_list("pk", "parent_id"))
    lineage: dict[int, set[int]] = {}
    for pk in parents:
        seen: set[int] = set()
        current: int | None = pk
        while current is not None and current not in seen:  # a cycle made in the admin stops here
            seen.add(current)
            current = parents.get(current)
        lineage[pk] = seen
    return lineage
