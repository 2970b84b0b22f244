"""The JSON shapes of discussion objects, built once and used by REST and by WebSocket frames.

A message is serialized once when it changes and the same dict goes to every connected reader,
so it carries nothing about the viewer (a reaction lists who reacted; a client knows who it is).
REST serializers (api/serializers.py) delegate here, so a REST item and a live frame are
always the same document. Reads expect the relations the selectors load
(`selectors.MESSAGE_RELATED`, `MESSAGE_PREFETCH`); the values are JSON types only, because
the Redis channel layer carries them with msgpack.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rest_framework.fields import DateTimeField

from nexus.accounts.models import User
from nexus.discussions.emoji import reaction_char
from nexus.discussions.models import Channel, Comment, Message, Thread

_DATETIME = DateTimeField()


def when(value: datetime | None) -> str | None:
    """A datetime as DRF writes it (ISO 8601, `Z` for UTC)."""
    return _DATETIME.to_representation(value) if value is not None else None


def member(user: User | None) -> dict[str, Any] | None:
    """A member as others see them: id, username and display name (null for a deleted account)."""
    if user is None:
        return None
    profile = getattr(user, "profile", None)
    return {"id": user.pk, "username": user.username, "name": profile.name if profile else user.username}


def reactions(rows: Any) -> list[dict[str, Any]]:
    """Reactions grouped by emoji in order of first use: short name, character, count and who."""
    grouped: dict[str, list[int]] = {}
    for row in rows:
        grouped.setdefault(row.emoji, []).append(row.user_id)
    return [
        {"emoji": name, "char": reaction_char(name), "count": len(users), "users": users}
        for name, users in grouped.items()
    ]


def message(obj: Message) -> dict[str, Any]:
    """A message; a deleted one is a tombstone: no text, no mentions, no reactions."""
    deleted = obj.deleted_at is not None
    return {
        "id": obj.pk,
        "channel": obj.channel_id,
        "thread": obj.thread_id,
        "author": member(obj.author),
        "body": obj.body,
        "body_html": obj.body_html,
        "mentions": [] if deleted else [m.user.username for m in obj.mentions.all()],
        "reactions": [] if deleted else reactions(obj.reactions.all()),
        "created_at": when(obj.created_at),
        "edited_at": when(obj.edited_at),
        "deleted": deleted,
        "deleted_at": when(obj.deleted_at),
    }


def thread(obj: Thread) -> dict[str, Any]:
    """A thread; `message_count` counts messages that are not deleted (annotated by the selectors)."""
    return {
        "id": obj.pk,
        "channel": obj.channel_id,
        "title": obj.title,
        "created_by": member(obj.created_by),
        "created_at": when(obj.created_at),
        "last_message_at": when(obj.last_message_at),
        "message_count": getattr(obj, "message_count", None),
        "resolved": obj.resolved_at is not None,
        "resolved_at": when(obj.resolved_at),
        "resolved_by": member(obj.resolved_by),
        "accepted_message": obj.accepted_message_id,
        "promoted_entry": obj.promoted_entry_id,
    }


def thread_activity(*, thread_id: int, message_count: int, last_message_at: datetime | None) -> dict[str, Any]:
    """What a new or deleted message changes in its thread: its count of messages not deleted, its last activity."""
    return {"id": thread_id, "message_count": message_count, "last_message_at": when(last_message_at)}


def channel(obj: Channel) -> dict[str, Any]:
    """A channel; `unread` and `last_read_message` are the viewer's (annotated by `selectors.channel_list`)."""
    return {
        "id": obj.pk,
        "slug": obj.slug,
        "name": obj.name,
        "topic": obj.topic,
        "visibility": obj.visibility,
        "cohort": obj.cohort.slug if obj.cohort is not None else None,
        "created_at": when(obj.created_at),
        "last_message_at": when(obj.last_message_at),
        "unread": getattr(obj, "unread", None),
        "last_read_message": getattr(obj, "read_up_to", None),
    }


def comment(obj: Comment, *, with_replies: bool = True) -> dict[str, Any]:
    """A comment; top-level comments carry their replies (oldest first)."""
    deleted = obj.deleted_at is not None
    data: dict[str, Any] = {
        "id": obj.pk,
        "entry": obj.entry_id,
        "parent": obj.parent_id,
        "author": member(obj.author),
        "body": obj.body,
        "body_html": obj.body_html,
        "mentions": [] if deleted else [m.user.username for m in obj.mentions.all()],
        "reactions": [] if deleted else reactions(obj.reactions.all()),
        "created_at": when(obj.created_at),
        "edited_at": when(obj.edited_at),
        "deleted": deleted,
        "deleted_at": when(obj.deleted_at),
    }
    if with_replies and obj.parent_id is None:
        data["replies"] = [comment(reply, with_replies=False) for reply in obj.replies.all()]
    return data
