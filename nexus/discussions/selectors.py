"""Reads for discussions: scoped to a viewer, with their relations loaded in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from nexus.accounts.models import User
from nexus.discussions.access import Actor, channels_visible_to
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
from nexus.hubs.models import Entry

MESSAGE_RELATED = ("author__profile",)


def _message_prefetch() -> tuple[Prefetch, Prefetch]:
    return (
        Prefetch("mentions", queryset=MessageMention.objects.select_related("user").order_by("id")),
        Prefetch("reactions", queryset=MessageReaction.objects.order_by("id")),
    )


def messages_loaded(qs: QuerySet[Message]) -> QuerySet[Message]:
    """Messages with what `payloads.message` reads: author and profile, mentions, reactions (3 queries)."""
    return qs.select_related(*MESSAGE_RELATED).prefetch_related(*_message_prefetch())


def message_get(*, message_id: int) -> Message:
    """One message loaded for its payload (no access check: for services after their own)."""
    return messages_loaded(Message.objects.filter(pk=message_id)).get()


def message_list(*, channel: Channel, thread: Thread | None = None, since: int | None = None) -> QuerySet[Message]:
    """A channel's messages (or one thread's), tombstones included; `since` keeps only newer ids.

    The caller has loaded `channel`/`thread` through `access_channel`/`access_thread`; the order
    is left to the paginator (newest first, or oldest first after `since`).
    """
    qs = Message.objects.filter(channel=channel)
    if thread is not None:
        qs = qs.filter(thread=thread)
    if since is not None:
        qs = qs.filter(pk__gt=since)
    return messages_loaded(qs)


def _unread_annotations(actor: Actor, qs: QuerySet[Channel]) -> QuerySet[Channel]:
    if not actor.is_authenticated:
        return qs.annotate(read_up_to=Value(0), unread=Value(0))
    marker = ReadMarker.objects.filter(channel_id=OuterRef("pk"), user_id=actor.pk).values("last_read_message_id")
    unread = (
        Message.objects.filter(channel_id=OuterRef("pk"), pk__gt=OuterRef("read_up_to"), deleted_at__isnull=True)
        .exclude(author_id=actor.pk)
        .order_by()
        .values("channel_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        read_up_to=Coalesce(Subquery(marker, output_field=IntegerField()), Value(0)),
    ).annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))


def channel_list(*, actor: Actor, cohort: str | None = None, visibility: str | None = None) -> QuerySet[Channel]:
    """The channels the actor reads, each with the actor's unread count and read marker (one query)."""
    qs = channels_visible_to(actor).select_related("cohort")
    if cohort:
        qs = qs.filter(cohort__slug=cohort)
    if visibility:
        qs = qs.filter(visibility=visibility)
    return _unread_annotations(actor, qs)


def channel_get(*, actor: Actor, channel_id: int) -> Channel:
    """One channel the actor reads, with unread count and marker (after `access_channel`)."""
    return channel_list(actor=actor).get(pk=channel_id)


def channel_members(*, channel: Channel) -> QuerySet[ChannelMember]:
    """The explicit members of a private channel, with their profiles."""
    return ChannelMember.objects.filter(channel=channel).select_related("user__profile")


def threads_loaded(qs: QuerySet[Thread]) -> QuerySet[Thread]:
    """Threads with starter, resolver and the count of messages that are not deleted (one query)."""
    return qs.select_related("created_by__profile", "resolved_by__profile").annotate(
        message_count=Count("messages", filter=Q(messages__deleted_at__isnull=True))
    )


def thread_list(*, channel: Channel, resolved: bool | None = None) -> QuerySet[Thread]:
    """A channel's threads (the caller checked the channel); `resolved` filters open or resolved ones."""
    qs = Thread.objects.filter(channel=channel)
    if resolved is not None:
        qs = qs.filter(resolved_at__isnull=not resolved)
    return threads_loaded(qs)


def thread_get(*, thread_id: int) -> Thread:
    """One thread loaded for its payload (no access check: after `access_thread`)."""
    return threads_loaded(Thread.objects.filter(pk=thread_id)).get()


def _comment_prefetch(prefix: str = "", *, mentions: bool = True) -> list[Prefetch]:
    reactions = Prefetch(f"{prefix}reactions", queryset=CommentReaction.objects.order_by("id"))
    if not mentions:
        return [reactions]
    mentioned = CommentMention.objects.select_related("user").order_by("id")
    return [Prefetch(f"{prefix}mentions", queryset=mentioned), reactions]


def comments_loaded(qs: QuerySet[Comment], *, mentions: bool = True) -> QuerySet[Comment]:
    """Comments with author, mentions, reactions, and replies with the same (6 queries; 4 without mentions)."""
    replies = (
        Comment.objects.select_related("author__profile")
        .prefetch_related(*_comment_prefetch(mentions=mentions))
        .order_by("id")
    )
    return qs.select_related("author__profile").prefetch_related(
        *_comment_prefetch(mentions=mentions), Prefetch("replies", queryset=replies)
    )


def comment_list(*, entry: Entry, mentions: bool = True) -> QuerySet[Comment]:
    """An entry's top-level comments with their replies (the caller checked the entry).

    `mentions=False` leaves out whom each comment mentions: two queries fewer, for the entry page,
    which does not show them (the payload does).
    """
    return comments_loaded(Comment.objects.filter(entry=entry, parent__isnull=True), mentions=mentions)


def comment_get(*, comment_id: int) -> Comment:
    """One comment loaded for its payload (no access check: after `access_comment`)."""
    return comments_loaded(Comment.objects.filter(pk=comment_id)).get()


# --- For notifications: who a message or a comment concerns ----------------------------------


def message_mentioned_users(*, message_id: int) -> QuerySet[User]:
    """The members mentioned in a message (each could read the channel when mentioned)."""
    return User.objects.filter(message_mentions__message_id=message_id, is_active=True)


def comment_mentioned_users(*, comment_id: int) -> QuerySet[User]:
    """The members mentioned in a comment (each could read the entry when mentioned)."""
    return User.objects.filter(comment_mentions__comment_id=comment_id, is_active=True)
