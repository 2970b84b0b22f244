"""Who may read and change channels, threads, messages and comments. The only way to load them for a member.

Channels:  global  -> every signed-in member
           cohort  -> members of the cohort (any role), platform staff
           private -> explicit members of the channel who are still members of the cohort
           Anonymous visitors read no channel.
Threads and messages: readable with their channel.
Messages:  only the author edits; the author, and mentors/staff of the channel's cohort (platform
           staff for global channels) who can read the channel, delete.
Comments:  readable by whoever can read the entry (hubs.access); the author edits; the author,
           the entry's owner, mentors/staff of the hub's cohort and platform staff delete.
What an actor may not see is a 404; what they see but may not do is a 403.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from nexus.accounts.models import User
from nexus.cohorts import selectors as cohort_selectors
from nexus.cohorts.models import Membership
from nexus.discussions.models import Channel, ChannelMember, Comment, Message, Thread
from nexus.hubs.access import entries_visible_to
from nexus.hubs.models import Entry

Actor = User | AnonymousUser
MODERATOR_ROLES = (Membership.Role.MENTOR, Membership.Role.STAFF)


def _channel_q(actor: Actor, prefix: str = "") -> Q:
    """The channels an actor may read, as a filter; `prefix` reaches a channel through a relation."""
    if not actor.is_authenticated or not actor.is_active:
        return Q(pk__in=[])
    visibility = f"{prefix}visibility"
    in_cohort = Q(**{f"{prefix}cohort_id__in": cohort_selectors.member_cohort_ids(actor)})
    cohort_wide = Q(**{visibility: Channel.Visibility.COHORT})
    if not actor.is_staff:
        cohort_wide &= in_cohort
    invited = Exists(ChannelMember.objects.filter(channel_id=OuterRef(f"{prefix}pk" if prefix else "pk"), user=actor))
    private = Q(**{visibility: Channel.Visibility.PRIVATE}) & in_cohort & Q(invited)
    return Q(**{visibility: Channel.Visibility.GLOBAL}) | cohort_wide | private


def channels_visible_to(actor: Actor) -> QuerySet[Channel]:
    """Every channel the actor may read."""
    return Channel.objects.filter(_channel_q(actor))


def threads_visible_to(actor: Actor) -> QuerySet[Thread]:
    """Every thread of a channel the actor may read."""
    return Thread.objects.filter(_channel_q(actor, prefix="channel__"))


def messages_visible_to(actor: Actor) -> QuerySet[Message]:
    """Every message (tombstones included) of a channel the actor may read."""
    return Message.objects.filter(_channel_q(actor, prefix="channel__"))


def channel_readers_q(channel: Channel) -> Q:
    """The members who may read `channel`, as a filter over User (the inverse of `_channel_q`)."""
    active = Q(is_active=True)
    if channel.visibility == Channel.Visibility.GLOBAL:
        return active
    in_cohort = Q(pk__in=Membership.objects.filter(cohort=channel.cohort).values("user_id"))
    if channel.visibility == Channel.Visibility.COHORT:
        return active & (in_cohort | Q(is_staff=True))
    invited = Q(pk__in=ChannelMember.objects.filter(channel=channel).values("user_id"))
    return active & in_cohort & invited


def channel_readers(channel: Channel, user_ids: Iterable[int]) -> QuerySet[User]:
    """Those of `user_ids` who may read the channel (one query)."""
    return User.objects.filter(channel_readers_q(channel), pk__in=list(user_ids))


def access_channel(actor: Actor, channel_id: int, *, for_update: bool = False) -> Channel:
    """A channel the actor may read (404 otherwise)."""
    qs = channels_visible_to(actor).select_related("cohort")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    channel = qs.filter(pk=channel_id).first()
    if channel is None:
        raise Http404(f"No channel {channel_id}.")
    return channel


def is_moderator(actor: Actor, channel: Channel) -> bool:
    """Mentors and staff of the channel's cohort, and platform staff, moderate it."""
    if not actor.is_authenticated:
        return False
    if actor.is_staff:
        return True
    if channel.cohort_id is None:
        return False
    return Membership.objects.filter(user_id=actor.pk, cohort_id=channel.cohort_id, role__in=MODERATOR_ROLES).exists()


def access_thread(actor: Actor, thread_id: int, *, for_update: bool = False) -> Thread:
    """A thread of a channel the actor may read (404 otherwise)."""
    qs = threads_visible_to(actor).select_related("channel__cohort")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    thread = qs.filter(pk=thread_id).first()
    if thread is None:
        raise Http404(f"No thread {thread_id}.")
    return thread


def access_message(
    actor: Actor, message_id: int, *, for_update: bool = False, to_edit: bool = False, to_delete: bool = False
) -> Message:
    """A message of a channel the actor may read (404 otherwise); `to_edit`/`to_delete` check the right (403)."""
    qs = messages_visible_to(actor).select_related("channel__cohort", "thread")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    message = qs.filter(pk=message_id).first()
    if message is None:
        raise Http404(f"No message {message_id}.")
    is_author = message.author_id is not None and message.author_id == actor.pk
    if to_edit and not is_author:
        raise PermissionDenied("Only the author can edit a message.")
    if to_delete and not is_author and not is_moderator(actor, message.channel):
        raise PermissionDenied("Only the author, or a mentor or staff member of the cohort, can delete a message.")
    return message


def comments_visible_to(actor: Actor) -> QuerySet[Comment]:
    """Every comment on an entry the actor may read."""
    return Comment.objects.filter(entry__in=entries_visible_to(actor).values("pk"))


def can_moderate_comments(actor: Actor, entry: Entry) -> bool:
    """The entry's owner, mentors and staff of its hub's cohort, and platform staff moderate its comments."""
    if not actor.is_authenticated:
        return False
    if actor.is_staff or entry.hub.owner_id == actor.pk:
        return True
    if entry.hub.cohort_id is None:
        return False
    return Membership.objects.filter(user_id=actor.pk, cohort_id=entry.hub.cohort_id, role__in=MODERATOR_ROLES).exists()


def access_comment(
    actor: Actor, comment_id: int, *, for_update: bool = False, to_edit: bool = False, to_delete: bool = False
) -> Comment:
    """A comment on an entry the actor may read (404 otherwise); `to_edit`/`to_delete` check the right (403)."""
    qs = comments_visible_to(actor).select_related("entry__hub")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    comment = qs.filter(pk=comment_id).first()
    if comment is None:
        raise Http404(f"No comment {comment_id}.")
    is_author = comment.author_id is not None and comment.author_id == actor.pk
    if to_edit and not is_author:
        raise PermissionDenied("Only the author can edit a comment.")
    if to_delete and not is_author and not can_moderate_comments(actor, comment.entry):
        raise PermissionDenied("Only the author, the entry's owner, or a mentor or staff member can delete a comment.")
    return comment


def entry_readers(entry: Entry, users: Iterable[User]) -> list[User]:
    """Those of `users` who may read the entry (one query per member: the hubs rules decide)."""
    return [u for u in users if u.is_active and entries_visible_to(u).filter(pk=entry.pk).exists()]
