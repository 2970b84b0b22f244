"""Channels, threads, messages, comments and reactions over GraphQL: types and queries.

A deleted message or comment is a tombstone, as in REST: no text, no mentions, no reactions
(`nexus.discussions.payloads` decides; the fields below reuse it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from django.http import Http404
from strawberry import relay
from strawberry.types import Info
from strawberry_django.optimizer import optimize
from strawberry_django.relay import DjangoCursorConnection

from nexus.core.graphql import actor, bare, narrowed, optimized, signed_in, validated
from nexus.discussions import access, payloads, selectors
from nexus.discussions.api import serializers as api_serializers
from nexus.discussions.models import Channel, ChannelMember, Comment, Message, Thread
from nexus.hubs import access as hub_access

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

    @strawberry_django.field(description="Messages by others after your read marker (channel lists and `channel`).")
    def unread(self) -> int | None:
        return getattr(self, "unread", None)

    @strawberry_django.field(description="The id of the last message you read (0: none).")
    def last_read_message(self) -> int | None:
        return getattr(self, "read_up_to", None)

    @classmethod
    def get_queryset(cls, queryset: QuerySet[Channel], info: Info, **kwargs: Any) -> QuerySet[Channel]:
        return narrowed(queryset, access.channels_visible_to(actor(info)))


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

    @strawberry_django.field(description="Messages that are not deleted (on `channelThreads`, `thread` lists).")
    def message_count(self) -> int | None:
        return getattr(self, "message_count", None)

    @classmethod
    def get_queryset(cls, queryset: QuerySet[Thread], info: Info, **kwargs: Any) -> QuerySet[Thread]:
        return narrowed(queryset, access.threads_visible_to(actor(info)))


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
        return narrowed(queryset, access.messages_visible_to(actor(info)))


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
        return narrowed(queryset, access.comments_visible_to(actor(info)))


@strawberry_django.type(ChannelMember)
class ChannelMemberType:
    """An explicit member of a private channel."""

    user: _User
    added_by: _User | None
    created_at: strawberry.auto


@strawberry.type
class Query:
    """Discussions need a signed-in member, as in REST (UNAUTHENTICATED otherwise)."""

    @strawberry_django.connection(
        DjangoCursorConnection[ChannelType], description="Channels you read, by name (as REST /channels/)."
    )
    def channels(self, info: Info, cohort: str | None = None, visibility: str | None = None) -> QuerySet[Channel]:
        filters = validated(api_serializers.ChannelFilterSerializer, cohort=cohort, visibility=visibility)
        return bare(selectors.channel_list(actor=signed_in(info), **filters)).order_by("name", "id")

    @strawberry_django.field(description="A channel you read, by its REST id.")
    def channel(self, info: Info, id: int) -> ChannelType | None:
        user = signed_in(info)
        access.access_channel(user, id)
        return optimize(bare(selectors.channel_list(actor=user)).filter(pk=id), info).get()

    @strawberry_django.connection(
        DjangoCursorConnection[ChannelMemberType], description="The explicit members of a channel, by when added."
    )
    def channel_members(self, info: Info, channel_id: int) -> QuerySet[ChannelMember]:
        channel = access.access_channel(signed_in(info), channel_id)
        return bare(selectors.channel_members(channel=channel)).order_by("created_at", "id")

    @strawberry_django.connection(
        DjangoCursorConnection[ThreadType], description="A channel's threads, most recently active first."
    )
    def channel_threads(self, info: Info, channel_id: int, resolved: bool | None = None) -> QuerySet[Thread]:
        channel = access.access_channel(signed_in(info), channel_id)
        return bare(selectors.thread_list(channel=channel, resolved=resolved)).order_by("-last_message_at", "-id")

    @strawberry_django.connection(
        DjangoCursorConnection[MessageType],
        description="A channel's messages (or one thread's), newest first; after `since` (an id), oldest first.",
    )
    def channel_messages(
        self, info: Info, channel_id: int, thread: int | None = None, since: int | None = None
    ) -> QuerySet[Message]:
        user = signed_in(info)
        filters = validated(api_serializers.MessageFilterSerializer, thread=thread, since=since)
        channel = access.access_channel(user, channel_id)
        found = access.access_thread(user, filters["thread"]) if "thread" in filters else None
        if found is not None and found.channel_id != channel.pk:
            raise Http404(f"No thread {found.pk} in channel {channel.pk}.")
        return _message_page(selectors.message_list(channel=channel, thread=found, since=filters.get("since")), since)

    @strawberry_django.field(description="A thread of a channel you read.")
    def thread(self, info: Info, id: int) -> ThreadType | None:
        found = access.access_thread(signed_in(info), id)
        return optimize(bare(selectors.threads_loaded(Thread.objects.filter(pk=found.pk))), info).get()

    @strawberry_django.connection(
        DjangoCursorConnection[MessageType], description="A thread's messages, newest first; after `since`, oldest."
    )
    def thread_messages(self, info: Info, thread_id: int, since: int | None = None) -> QuerySet[Message]:
        filters = validated(api_serializers.MessageFilterSerializer, since=since)
        found = access.access_thread(signed_in(info), thread_id)
        messages = selectors.message_list(channel=found.channel, thread=found, since=filters.get("since"))
        return _message_page(messages, since)

    @strawberry_django.field(description="A message of a channel you read (a deleted one is a tombstone).")
    def message(self, info: Info, id: int) -> MessageType | None:
        return optimized(access.access_message(signed_in(info), id), info)

    @strawberry_django.connection(
        DjangoCursorConnection[CommentType],
        description="An entry's top-level comments, oldest first, with their replies (anyone who may read the entry).",
    )
    def entry_comments(self, info: Info, entry_id: int) -> QuerySet[Comment]:
        entry = hub_access.access_entry(actor(info), entry_id)
        return bare(selectors.comment_list(entry=entry)).order_by("id")

    @strawberry_django.field(description="A comment on an entry you may read.")
    def comment(self, info: Info, id: int) -> CommentType | None:
        return optimized(access.access_comment(actor(info), id), info)


def _message_page(qs: QuerySet[Message], since: int | None) -> QuerySet[Message]:
    """REST's order: newest first, or oldest first when catching up after `since`."""
    return bare(qs).order_by("id" if since is not None else "-id")


@strawberry.type
class Mutation:
    """Discussion writes -- added by the mutations work."""
