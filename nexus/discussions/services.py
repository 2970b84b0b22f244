"""Writes for channels, threads, messages, reactions, read markers, comments and promotion.

Every service owns its transaction, checks access through `discussions.access`, and hands the
live frame to the channel layer after commit (`live.publish`). Mentions are stored as rows
(`MessageMention`, `CommentMention`) for members who can read what mentions them; the
services that write text return the object with `mentions_added` (the members mentioned for
the first time by this write) -- the one thing a notification needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Model, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from nexus.accounts.models import User
from nexus.cohorts.models import Cohort, Membership
from nexus.core import events
from nexus.core.errors import ApplicationError
from nexus.core.markdown import render_markdown
from nexus.discussions import live, payloads, selectors
from nexus.discussions.access import (
    MODERATOR_ROLES,
    Actor,
    access_channel,
    access_comment,
    access_message,
    access_thread,
    channel_readers,
    channel_readers_q,
    entry_readers,
    is_moderator,
)
from nexus.discussions.emoji import reaction_name
from nexus.discussions.mentions import mentioned_usernames
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
from nexus.hubs import services as hub_services
from nexus.hubs.access import access_entry
from nexus.hubs.models import Entry, Hub
from nexus.notifications import services as notifications


def _signed_in(actor: Actor) -> User:
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to take part in discussions.")
    return actor


# --- Mentions ---------------------------------------------------------------------------------


def _named_users(text: str, *, exclude: int | None) -> QuerySet[User]:
    """Active members @mentioned in `text`, the author excepted."""
    names = mentioned_usernames(text)
    qs = User.objects.annotate(lname=Lower("username")).filter(lname__in=names, is_active=True)
    return qs.exclude(pk=exclude) if exclude is not None else qs


def _sync_mentions(rows: QuerySet[Any], model: type[Model], owner: dict[str, Model], users: list[User]) -> list[User]:
    """Make the mention rows match `users`; return those mentioned for the first time."""
    existing = set(rows.values_list("user_id", flat=True))
    wanted = {u.pk for u in users}
    rows.exclude(user_id__in=wanted).delete()
    added = [u for u in users if u.pk not in existing]
    model._default_manager.bulk_create([model(user=u, **owner) for u in added])
    return added


def _message_mentions(message: Message, channel: Channel) -> list[User]:
    readers = list(_named_users(message.body, exclude=message.author_id).filter(channel_readers_q(channel)))
    return _sync_mentions(MessageMention.objects.filter(message=message), MessageMention, {"message": message}, readers)


def _comment_mentions(comment: Comment) -> list[User]:
    readers = entry_readers(comment.entry, _named_users(comment.body, exclude=comment.author_id))
    return _sync_mentions(CommentMention.objects.filter(comment=comment), CommentMention, {"comment": comment}, readers)


# --- Notifications (mentions, replies, comments) ----------------------------------------------


def _notify(kind: str, recipients: Iterable[User], *, actor: User, text: str, url: str, target: Model) -> None:
    """Ask the notifications app to tell `recipients` (readers of `target`, never the actor), in this transaction."""
    ids = sorted({u.pk for u in recipients} - {actor.pk})
    if ids:
        notifications.notification_request(
            kind=kind,
            recipient_ids=ids,
            text=text,
            url=url,
            actor_id=actor.pk,
            target_type=target._meta.model_name or "",
            target_id=target.pk,
        )


def _notify_message(message: Message, thread: Thread, *, author: User, replying: bool) -> None:
    url = f"/api/v1/threads/{thread.pk}/"
    mentioned = list(message.mentions_added)  # type: ignore[attr-defined]
    _notify("mention", mentioned, actor=author, text=f"{author.username} mentioned you in “{thread.title}”", url=url,
            target=message)  # fmt: skip
    if replying and thread.created_by_id and thread.created_by_id not in {u.pk for u in mentioned}:
        starter = channel_readers(thread.channel, [thread.created_by_id])
        _notify("reply", starter, actor=author, text=f"{author.username} replied in “{thread.title}”", url=url,
                target=message)  # fmt: skip


def _notify_comment(comment: Comment, *, author: User) -> None:
    entry = comment.entry
    url = f"/api/v1/entries/{entry.pk}/comments/"
    mentioned = list(comment.mentions_added)  # type: ignore[attr-defined]
    _notify("mention", mentioned, actor=author, text=f"{author.username} mentioned you on “{entry.title}”", url=url,
            target=comment)  # fmt: skip
    told = {u.pk for u in mentioned}
    parent_author = comment.parent.author if comment.parent is not None else None
    if parent_author is not None and parent_author.pk not in told:
        replied_to = entry_readers(entry, [parent_author])
        _notify("reply", replied_to, actor=author, text=f"{author.username} replied to your comment on “{entry.title}”",
                url=url, target=comment)  # fmt: skip
        told |= {parent_author.pk}
    owner = entry.hub.owner
    if owner.pk not in told:
        _notify("comment", [owner], actor=author, text=f"{author.username} commented on “{entry.title}”", url=url,
                target=comment)  # fmt: skip


# --- Channels ---------------------------------------------------------------------------------


def _cohort_role(user: User, cohort: Cohort) -> str | None:
    return Membership.objects.filter(user=user, cohort=cohort).values_list("role", flat=True).first()


def _unique_slug(base: str, *, cohort: Cohort | None) -> str:
    slug = slugify(base)[:70] or "channel"
    candidate, n = slug, 2
    while Channel.objects.filter(cohort=cohort, slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _cohort_members(cohort: Cohort, usernames: list[str]) -> list[User]:
    wanted = {name.lower() for name in usernames}
    found: list[User] = list(
        User.objects.annotate(lname=Lower("username")).filter(
            lname__in=wanted, is_active=True, memberships__cohort=cohort
        )
    )
    missing = wanted - {u.username.lower() for u in found}
    if missing:
        raise ValidationError({"members": f"Not members of {cohort.name}: {', '.join(sorted(missing))}."})
    return found


@transaction.atomic
def channel_create(
    *,
    actor: Actor,
    name: str,
    visibility: str = Channel.Visibility.COHORT,
    cohort: str | None = None,
    topic: str = "",
    slug: str | None = None,
    members: list[str] | None = None,
) -> Channel:
    """Open a channel.

    Global channels: platform staff. Cohort-wide channels: mentors and staff of the cohort, and
    platform staff. Private channels: any member of the cohort, who becomes its first member
    with the `members` named (all of them members of the cohort).
    """
    user = _signed_in(actor)
    cohort_obj: Cohort | None = None
    if visibility == Channel.Visibility.GLOBAL:
        if cohort:
            raise ValidationError({"cohort": "A global channel belongs to no cohort."})
        if not user.is_staff:
            raise PermissionDenied("Only staff can open global channels.")
    else:
        if not cohort:
            raise ValidationError({"cohort": "A cohort or private channel needs a cohort."})
        cohort_obj = Cohort.objects.filter(slug=cohort).first()
        if cohort_obj is None:
            raise ValidationError({"cohort": f"No cohort {cohort!r}."})
        role = _cohort_role(user, cohort_obj)
        if visibility == Channel.Visibility.COHORT and not (user.is_staff or role in MODERATOR_ROLES):
            raise PermissionDenied("Only mentors and staff of the cohort can open its cohort-wide channels.")
        if visibility == Channel.Visibility.PRIVATE and role is None:
            raise PermissionDenied("Only members of the cohort can open a private channel in it.")
    if slug and Channel.objects.filter(cohort=cohort_obj, slug=slug).exists():
        raise ValidationError({"slug": f"The slug {slug!r} is taken."})
    channel = Channel(
        cohort=cohort_obj,
        slug=slug or _unique_slug(name, cohort=cohort_obj),
        name=name,
        topic=topic,
        visibility=visibility,
        created_by=user,
    )
    channel.full_clean()
    channel.save()
    if visibility == Channel.Visibility.PRIVATE:
        assert cohort_obj is not None
        invited = [u for u in _cohort_members(cohort_obj, members or []) if u.pk != user.pk]
        ChannelMember.objects.bulk_create(
            [ChannelMember(channel=channel, user=user, added_by=user)]
            + [ChannelMember(channel=channel, user=u, added_by=user) for u in invited]
        )
    elif members:
        raise ValidationError({"members": "Only private channels have explicit members."})
    return channel


def _check_manager(actor: User, channel: Channel) -> None:
    if channel.created_by_id == actor.pk or is_moderator(actor, channel):
        return
    raise PermissionDenied("Only the channel's creator, or a mentor or staff member of the cohort, can do this.")


@transaction.atomic
def channel_update(*, actor: Actor, channel_id: int, data: dict[str, Any]) -> Channel:
    """Rename a channel or change its topic (its creator, mentors and staff of the cohort, platform staff)."""
    user = _signed_in(actor)
    channel = access_channel(user, channel_id, for_update=True)
    _check_manager(user, channel)
    for key in ("name", "topic"):
        if key in data:
            setattr(channel, key, data[key])
    channel.full_clean()
    channel.save()
    live.publish(channel.pk, "channel.updated", payloads.channel(channel))
    return channel


def _private_channel(actor: User, channel_id: int) -> Channel:
    channel = access_channel(actor, channel_id, for_update=True)
    if channel.visibility != Channel.Visibility.PRIVATE:
        raise ApplicationError(
            "Only private channels have explicit members; this one is read by its whole audience.",
            status=409,
            code="not_private",
        )
    return channel


@transaction.atomic
def channel_member_add(*, actor: Actor, channel_id: int, username: str) -> ChannelMember:
    """Add a member of the cohort to a private channel; any member of the channel may (idempotent)."""
    user = _signed_in(actor)
    channel = _private_channel(user, channel_id)
    assert channel.cohort is not None
    (invited,) = _cohort_members(channel.cohort, [username])
    member, _ = ChannelMember.objects.get_or_create(channel=channel, user=invited, defaults={"added_by": user})
    return member


@transaction.atomic
def channel_member_remove(*, actor: Actor, channel_id: int, username: str) -> None:
    """Remove a member from a private channel: themselves, or by its creator, mentors or staff.

    The removed member's live connections to the channel are closed once this commits.
    """
    user = _signed_in(actor)
    channel = _private_channel(user, channel_id)
    member = ChannelMember.objects.filter(channel=channel, user__username__iexact=username).first()
    if member is None:
        raise Http404(f"{username!r} is not a member of this channel.")
    if member.user_id != user.pk:
        _check_manager(user, channel)
    member.delete()
    live.recheck_access(member.user_id, reason="channel_member_removed")


@transaction.atomic
def channel_mark_read(*, actor: Actor, channel_id: int, message_id: int | None = None) -> ReadMarker:
    """Mark a channel read up to a message (default: its latest). A marker only moves forward."""
    user = _signed_in(actor)
    channel = access_channel(user, channel_id)
    if message_id is None:
        target = Message.objects.filter(channel=channel).aggregate(m=Max("pk"))["m"] or 0
    elif Message.objects.filter(channel=channel, pk=message_id).exists():
        target = message_id
    else:
        raise ValidationError({"message": f"No message {message_id} in this channel."})
    marker, _ = ReadMarker.objects.select_for_update().get_or_create(channel=channel, user=user)
    if target > marker.last_read_message_id:
        marker.last_read_message_id = target
        marker.save(update_fields=["last_read_message_id", "updated_at"])
    return marker


# --- Threads and messages ---------------------------------------------------------------------


def _new_message(*, author: User, thread: Thread, body: str) -> Message:
    message = Message(channel=thread.channel, thread=thread, author=author, body=body, body_html=render_markdown(body))
    message.full_clean()
    message.save()
    message.mentions_added = _message_mentions(message, thread.channel)  # type: ignore[attr-defined]
    # For what reacts to new messages away from this request (the channel's webhooks).
    events.event_record(type="message.created", payload={"message_id": message.pk, "channel_id": thread.channel_id})
    Thread.objects.filter(pk=thread.pk).update(last_message_at=message.created_at, updated_at=message.created_at)
    Channel.objects.filter(pk=thread.channel_id).update(last_message_at=message.created_at)
    return message


def _thread_activity(thread_id: int) -> dict[str, Any]:
    """The thread's message count and last activity as of this write, for a frame that changes them.

    Read under the thread's row lock, so that concurrent posts and deletes in one thread publish
    the counts of their commit order. NO KEY UPDATE, the lock a post's UPDATE of the thread
    already holds: a plain FOR UPDATE would wait for the KEY SHARE that another post's new
    message takes on the thread, while that post waits for this lock. The count is a statement
    of its own, after the lock: a locking read re-checks only the locked row, not a subquery.
    """
    last = Thread.objects.select_for_update(no_key=True).filter(pk=thread_id).values_list("last_message_at", flat=True)
    last_message_at = last.get()
    count = Message.objects.filter(thread_id=thread_id, deleted_at__isnull=True).count()
    return payloads.thread_activity(thread_id=thread_id, message_count=count, last_message_at=last_message_at)


def _publish_message(event: str, message: Message, *, counted: bool = False) -> None:
    """Publish a message frame; `counted` adds the thread's new count (`message.created`, `message.deleted`)."""
    thread = _thread_activity(message.thread_id) if counted else None
    data = payloads.message(selectors.message_get(message_id=message.pk))
    live.publish(message.channel_id, event, data, thread=thread)


def _publish_thread(event: str, thread: Thread) -> None:
    live.publish(thread.channel_id, event, payloads.thread(selectors.thread_get(thread_id=thread.pk)))


@transaction.atomic
def thread_create(*, actor: Actor, channel_id: int, title: str, body: str) -> Thread:
    """Start a thread in a channel the actor reads; `body` is its first message (the question).

    The first message is on `thread.first_message` (with its `mentions_added`).
    """
    user = _signed_in(actor)
    channel = access_channel(user, channel_id)
    thread = Thread(channel=channel, title=title, created_by=user, last_message_at=timezone.now())
    thread.full_clean()
    thread.save()
    message = _new_message(author=user, thread=thread, body=body)
    _notify_message(message, thread, author=user, replying=False)
    _publish_thread("thread.created", thread)
    _publish_message("message.created", message, counted=True)
    thread.first_message = message  # type: ignore[attr-defined]
    return thread


@transaction.atomic
def message_post(*, actor: Actor, thread_id: int, body: str) -> Message:
    """Post a message in a thread of a channel the actor reads (resolved threads stay open to replies)."""
    user = _signed_in(actor)
    thread = access_thread(user, thread_id)
    message = _new_message(author=user, thread=thread, body=body)
    _notify_message(message, thread, author=user, replying=True)
    _publish_message("message.created", message, counted=True)
    return message


@transaction.atomic
def message_edit(*, actor: Actor, message_id: int, body: str) -> Message:
    """Change the text of one's own message; mentions follow the new text."""
    user = _signed_in(actor)
    message = access_message(user, message_id, for_update=True, to_edit=True)
    if message.is_deleted:
        raise ApplicationError("This message was deleted.", status=409, code="message_deleted")
    message.mentions_added = []  # type: ignore[attr-defined]
    if body == message.body:
        return message
    message.body, message.body_html, message.edited_at = body, render_markdown(body), timezone.now()
    message.full_clean()
    message.save(update_fields=["body", "body_html", "edited_at"])
    message.mentions_added = _message_mentions(message, message.channel)  # type: ignore[attr-defined]
    _notify_message(message, message.thread, author=user, replying=False)
    _publish_message("message.edited", message)
    return message


@transaction.atomic
def message_delete(*, actor: Actor, message_id: int) -> Message:
    """Delete a message, leaving a tombstone: the author, or a moderator of the channel (idempotent)."""
    user = _signed_in(actor)
    message = access_message(user, message_id, for_update=True, to_delete=True)
    if message.is_deleted:
        return message
    message.body = message.body_html = ""
    message.deleted_at, message.deleted_by = timezone.now(), user
    message.full_clean()
    message.save(update_fields=["body", "body_html", "deleted_at", "deleted_by"])
    MessageMention.objects.filter(message=message).delete()
    MessageReaction.objects.filter(message=message).delete()
    if Thread.objects.filter(pk=message.thread_id, accepted_message=message).update(accepted_message=None):
        _publish_thread("thread.updated", message.thread)
    _publish_message("message.deleted", message, counted=True)
    return message


def _set_reaction(rows: QuerySet[Any], create: dict[str, Any], on: bool | None) -> bool:
    """Add (True), remove (False) or toggle (None) one reaction row; returns whether it is there now."""
    exists = rows.exists()
    wanted = (not exists) if on is None else on
    if wanted and not exists:
        try:
            with transaction.atomic():
                rows.model.objects.create(**create)
        except IntegrityError:  # the same reaction arrived concurrently: it is there, as asked
            pass
    elif not wanted and exists:
        rows.delete()
    return wanted


@transaction.atomic
def message_react(*, actor: Actor, message_id: int, emoji: str, on: bool | None = None) -> tuple[Message, bool]:
    """Add (`on=True`), remove (`on=False`) or toggle (`on=None`) the actor's reaction; returns (message, reacted)."""
    user = _signed_in(actor)
    name = reaction_name(emoji)
    message = access_message(user, message_id)
    if message.is_deleted:
        raise ApplicationError("This message was deleted.", status=409, code="message_deleted")
    rows = MessageReaction.objects.filter(message=message, user=user, emoji=name)
    before = rows.exists()
    reacted = _set_reaction(rows, {"message": message, "user": user, "emoji": name}, on)
    if reacted != before:
        loaded = selectors.message_get(message_id=message.pk)
        live.publish(
            message.channel_id,
            "reaction.changed",
            {
                "message": message.pk,
                "thread": message.thread_id,
                "user": user.pk,
                "emoji": name,
                "reacted": reacted,
                "reactions": payloads.reactions(loaded.reactions.all()),
            },
        )
    return message, reacted


def _may_close(user: User, thread: Thread) -> None:
    if thread.created_by_id == user.pk or is_moderator(user, thread.channel):
        return
    raise PermissionDenied("Only the thread's starter, or a mentor or staff member of the cohort, can do this.")


def _first_message(thread: Thread) -> Message | None:
    return Message.objects.filter(thread=thread).order_by("pk").first()


@transaction.atomic
def thread_resolve(*, actor: Actor, thread_id: int, accepted_message_id: int | None = None) -> Thread:
    """Resolve a thread, optionally accepting a reply (its starter, mentors and staff of the cohort)."""
    user = _signed_in(actor)
    thread = access_thread(user, thread_id, for_update=True)
    _may_close(user, thread)
    accepted = None
    if accepted_message_id is not None:
        accepted = Message.objects.filter(thread=thread, pk=accepted_message_id, deleted_at__isnull=True).first()
        if accepted is None:
            raise ValidationError({"accepted_message": f"No message {accepted_message_id} in this thread."})
        first = _first_message(thread)
        if first is not None and first.pk == accepted.pk:
            raise ValidationError({"accepted_message": "The question cannot be its own answer; accept a reply."})
    thread.resolved_at = thread.resolved_at or timezone.now()
    thread.resolved_by = user
    thread.accepted_message = accepted
    thread.full_clean()
    thread.save(update_fields=["resolved_at", "resolved_by", "accepted_message", "updated_at"])
    _publish_thread("thread.updated", thread)
    return thread


@transaction.atomic
def thread_reopen(*, actor: Actor, thread_id: int) -> Thread:
    """Reopen a resolved thread (its starter, mentors and staff of the cohort); the accepted reply is cleared."""
    user = _signed_in(actor)
    thread = access_thread(user, thread_id, for_update=True)
    _may_close(user, thread)
    thread.resolved_at, thread.resolved_by, thread.accepted_message = None, None, None
    thread.save(update_fields=["resolved_at", "resolved_by", "accepted_message", "updated_at"])
    _publish_thread("thread.updated", thread)
    return thread


def _credit(user: User | None) -> str:
    if user is None:
        return "a former member"
    profile = getattr(user, "profile", None)
    name = profile.name if profile else user.username
    return f"{name} (@{user.username})" if name != user.username else f"@{user.username}"


def _promotion_hub(actor: User, thread: Thread, hub: int | str | None) -> int | str:
    if hub is not None:
        return hub
    cohort = thread.channel.cohort
    own = Hub.objects.filter(owner=actor)
    if cohort is not None:
        own = own.filter(program_id=cohort.program_id)
    found = list(own.values_list("pk", flat=True)[:2])
    if len(found) == 1:
        return found[0]
    where = f"for {cohort.program.name}" if cohort is not None else "to use"
    detail = "You have no hub" if not found else "You have several hubs; name one"
    raise ValidationError({"hub": f"{detail} {where}."})


@transaction.atomic
def thread_promote(*, actor: Actor, thread_id: int, hub: int | str | None = None) -> Entry:
    """Turn a resolved thread into a draft challenge entry in the promoter's hub.

    The problem is the thread's first message (its title when that was deleted), the solution
    the accepted reply, and the body credits the participants. The thread's starter, the author
    of the accepted reply, and mentors and staff of the cohort may promote; a thread is
    promoted once (again only if that entry was deleted). `hub` defaults to the promoter's hub
    for the cohort's program.
    """
    user = _signed_in(actor)
    thread = access_thread(user, thread_id, for_update=True)
    accepted = (
        Message.objects.select_related("author__profile").filter(pk=thread.accepted_message_id).first()
        if thread.accepted_message_id
        else None
    )
    if not thread.is_resolved or accepted is None:
        raise ApplicationError(
            "Only a resolved thread with an accepted reply can be promoted.", status=409, code="thread_not_resolved"
        )
    allowed = user.pk in (thread.created_by_id, accepted.author_id) or is_moderator(user, thread.channel)
    if not allowed:
        raise PermissionDenied("Only the thread's starter, the accepted reply's author, or a mentor can promote it.")
    if thread.promoted_entry_id is not None:
        raise ApplicationError(
            "This thread was already promoted.",
            status=409,
            code="already_promoted",
            extra={"entry": thread.promoted_entry_id},
        )
    question = _first_message(thread)
    messages = Message.objects.filter(thread=thread, deleted_at__isnull=True).select_related("author__profile")
    others: dict[int, User] = {}
    for message in messages.order_by("pk"):
        if message.author is not None and message.author_id not in (thread.created_by_id, accepted.author_id):
            others.setdefault(message.author.pk, message.author)
    starter = thread.created_by
    credits = [
        f"Promoted from the thread “{thread.title}” in #{thread.channel.slug}.",
        "",
        f"- Question: {_credit(starter)}",
        f"- Accepted answer: {_credit(accepted.author)}",
    ]
    if others:
        credits.append(f"- Also in the discussion: {', '.join(_credit(u) for u in others.values())}")
    problem = question.body if question is not None and not question.is_deleted else thread.title
    entry = hub_services.entry_create(
        actor=user,
        hub=_promotion_hub(user, thread, hub),
        kind=Entry.Kind.CHALLENGE,
        title=thread.title,
        problem=problem,
        solution=accepted.body,
        body="\n".join(credits),
        status=Entry.Status.DRAFT,
    )
    thread.promoted_entry = entry
    thread.save(update_fields=["promoted_entry", "updated_at"])
    _publish_thread("thread.updated", thread)
    return entry


# --- Comments on entries ----------------------------------------------------------------------


@transaction.atomic
def comment_add(*, actor: Actor, entry_id: int, body: str, parent_id: int | None = None) -> Comment:
    """Comment on an entry the actor reads, or reply to a comment (a reply to a reply joins its top comment)."""
    user = _signed_in(actor)
    entry = access_entry(user, entry_id)
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, entry=entry).first()
        if parent is None:
            raise ValidationError({"parent": f"No comment {parent_id} on this entry."})
        if parent.parent_id is not None:
            parent = parent.parent
    comment = Comment(entry=entry, parent=parent, author=user, body=body, body_html=render_markdown(body))
    comment.full_clean()
    comment.save()
    comment.mentions_added = _comment_mentions(comment)  # type: ignore[attr-defined]
    _notify_comment(comment, author=user)
    return comment


@transaction.atomic
def comment_edit(*, actor: Actor, comment_id: int, body: str) -> Comment:
    """Change the text of one's own comment; mentions follow the new text."""
    user = _signed_in(actor)
    comment = access_comment(user, comment_id, for_update=True, to_edit=True)
    if comment.is_deleted:
        raise ApplicationError("This comment was deleted.", status=409, code="comment_deleted")
    comment.mentions_added = []  # type: ignore[attr-defined]
    if body == comment.body:
        return comment
    comment.body, comment.body_html, comment.edited_at = body, render_markdown(body), timezone.now()
    comment.full_clean()
    comment.save(update_fields=["body", "body_html", "edited_at", "updated_at"])
    added = _comment_mentions(comment)
    comment.mentions_added = added  # type: ignore[attr-defined]
    _notify("mention", added, actor=user, url=f"/api/v1/entries/{comment.entry_id}/comments/",
            text=f"{user.username} mentioned you on “{comment.entry.title}”", target=comment)  # fmt: skip
    return comment


@transaction.atomic
def comment_delete(*, actor: Actor, comment_id: int) -> Comment:
    """Delete a comment, leaving a tombstone (its replies stay): the author or a moderator (idempotent)."""
    user = _signed_in(actor)
    comment = access_comment(user, comment_id, for_update=True, to_delete=True)
    if comment.is_deleted:
        return comment
    comment.body = comment.body_html = ""
    comment.deleted_at, comment.deleted_by = timezone.now(), user
    comment.full_clean()
    comment.save(update_fields=["body", "body_html", "deleted_at", "deleted_by", "updated_at"])
    CommentMention.objects.filter(comment=comment).delete()
    CommentReaction.objects.filter(comment=comment).delete()
    return comment


@transaction.atomic
def comment_react(*, actor: Actor, comment_id: int, emoji: str, on: bool | None = None) -> tuple[Comment, bool]:
    """Add (`on=True`), remove (`on=False`) or toggle (`on=None`) the actor's reaction to a comment."""
    user = _signed_in(actor)
    name = reaction_name(emoji)
    comment = access_comment(user, comment_id)
    if comment.is_deleted:
        raise ApplicationError("This comment was deleted.", status=409, code="comment_deleted")
    rows = CommentReaction.objects.filter(comment=comment, user=user, emoji=name)
    reacted = _set_reaction(rows, {"comment": comment, "user": user, "emoji": name}, on)
    return comment, reacted
