"""Channels, threads, messages, comments and reactions over GraphQL: types and queries.

A deleted message or comment is a tombstone, as in REST: no text, no mentions, no reactions
(`nexus.discussions.payloads` decides; the fields below reuse it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry import relay
from strawberry.types import Info

from nexus.core.graphql import actor, optimized
from nexus.discussions import access, payloads
from nexus.discussions.models import Channel, Comment, Message, Thread

if TYPE_CHECKING:
    from nexus.accounts.graphql import UserType
    from nexus.cohorts.graphql import CohortType
    from nexus.hubs.graphql import EntryType

_User = Annotated["UserType", strawberry.lazy("nexus.accounts.graphql")]


@strawberry.type
class ReactionType:
    """One emoji on a message or comment: its short name, character, count and who reacted (ids)."""

    emoji: str
    char: str
    count: int
    users: list[int]


def _reactions(obj: Message | Comment) -> list[ReactionType]:
    if obj.deleted_at is not None:
        return []
    return [ReactionType(**group) for group in payloads.reactions(obj.reactions.all())]


def _mentions(obj: Message | Comment) -> list[str]:
    return [] if obj.deleted_at is not None else [m.user.username for m in obj.mentions.all()]


@strawberry_django.type(Channel)
class ChannelType(relay.Node):
    """A place to talk: global, cohort-wide, or private to invited members of a cohort."""

    slug: strawberry.auto
    name: strawberry.auto
    topic: strawberry.auto
    visibility: strawberry.auto
    cohort: Annotated[CohortType, strawberry.lazy("nexus.cohorts.graphql")] | None
    created_at: strawberry.auto
    last_message_at: strawberry.auto

    @strawberry_django.field(description="The id REST uses.", only=["id"])
    def database_id(self) -> int:
        return self.pk  # type: ignore[attr-defined]

    @classmethod
    def get_queryset(cls, queryset: QuerySet[Channel], info: Info, **kwargs: Any) -> QuerySet[Channel]:
        return queryset & access.channels_visible_to(actor(info))


@strawberry_django.type(Thread)
class ThreadType(relay.Node):
    """A conversation in a channel."""

    channel: ChannelType
    title: strawberry.auto
    created_by: _User | None
    created_at: strawberry.auto
    last_message_at: strawberry.auto
    resolved_at: strawberry.auto
    resolved_by: _User | None
    accepted_message: MessageType | None
    promoted_entry: Annotated[EntryType, strawberry.lazy("nexus.hubs.graphql")] | None

    @strawberry_django.field(description="The id REST uses.", only=["id"])
    def database_id(self) -> int:
        return self.pk  # type: ignore[attr-defined]

    @strawberry_django.field(only=["resolved_at"])
    def resolved(self) -> bool:
        return self.resolved_at is not None  # type: ignore[attr-defined]

    @classmethod
    def get_queryset(cls, queryset: QuerySet[Thread], info: Info, **kwargs: Any) -> QuerySet[Thread]:
        return queryset & access.threads_visible_to(actor(info))


@strawberry_django.type(Message)
class MessageType(relay.Node):
    """A message in a thread; a deleted one is a tombstone."""

    channel: ChannelType
    thread: ThreadType
    author: _User | None
    body: strawberry.auto
    body_html: strawberry.auto
    created_at: strawberry.auto
    edited_at: strawberry.auto
    deleted_at: strawberry.auto

    @strawberry_django.field(description="The id REST uses.", only=["id"])
    def database_id(self) -> int:
        return self.pk  # type: ignore[attr-defined]

    @strawberry_django.field(only=["deleted_at"])
    def deleted(self) -> bool:
        return self.deleted_at is not None  # type: ignore[attr-defined]

    @strawberry_django.field(only=["deleted_at"], prefetch_related=["mentions__user"])
    def mentions(self) -> list[str]:
        return _mentions(self)  # type: ignore[arg-type]

    @strawberry_django.field(only=["deleted_at"], prefetch_related=["reactions"])
    def reactions(self) -> list[ReactionType]:
        return _reactions(self)  # type: ignore[arg-type]

    @classmethod
    def get_queryset(cls, queryset: QuerySet[Message], info: Info, **kwargs: Any) -> QuerySet[Message]:
        return queryset & access.messages_visible_to(actor(info))


@strawberry_django.type(Comment)
class CommentType(relay.Node):
    """A comment on an entry; top-level comments have replies."""

    entry: Annotated[EntryType, strawberry.lazy("nexus.hubs.graphql")]
    parent: CommentType | None
    author: _User | None
    body: strawberry.auto
    body_html: strawberry.auto
    created_at: strawberry.auto
    edited_at: strawberry.auto
    deleted_at: strawberry.auto
    replies: list[CommentType]

    @strawberry_django.field(description="The id REST uses.", only=["id"])
    def database_id(self) -> int:
        return self.pk  # type: ignore[attr-defined]

    @strawberry_django.field(only=["deleted_at"])
    def deleted(self) -> bool:
        return self.deleted_at is not None  # type: ignore[attr-defined]

    @strawberry_django.field(only=["deleted_at"], prefetch_related=["mentions__user"])
    def mentions(self) -> list[str]:
        return _mentions(self)  # type: ignore[arg-type]

    @strawberry_django.field(only=["deleted_at"], prefetch_related=["reactions"])
    def reactions(self) -> list[ReactionType]:
        return _reactions(self)  # type: ignore[arg-type]

    @classmethod
    def get_queryset(cls, queryset: QuerySet[Comment], info: Info, **kwargs: Any) -> QuerySet[Comment]:
        return queryset & access.comments_visible_to(actor(info))


@strawberry.type
class Query:
    @strawberry_django.field(description="A channel you may read, by its REST id.")
    def channel(self, info: Info, id: int) -> ChannelType | None:
        return optimized(access.access_channel(actor(info), id), info)


@strawberry.type
class Mutation:
    """Discussion writes -- added by the mutations work."""
