"""Writes: follows, notifications (made by the outbox handlers), reading them, preferences, e-mail.

Producers never create notifications directly: they record an outbox event in their own
transaction (`notification_request` for a ready-made list of recipients, or a domain event
such as `solution.confirmed` that `handlers.py` maps to a `notify_*` function here). The
handler runs once per event in a worker; `notifications_create` writes the rows, unique per
(recipient, event, kind), and after the commit sends each to the member's live channel group
and, per preference, by e-mail.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any
from uuid import UUID

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from nexus.accounts.models import User
from nexus.core import events
from nexus.core.errors import ApplicationError
from nexus.core.models import OutboxEvent
from nexus.hubs import access as hub_access
from nexus.hubs.models import Entry
from nexus.notifications import selectors
from nexus.notifications.access import access_member, access_notification, access_topic
from nexus.notifications.models import (
    EmailMode,
    Kind,
    MemberFollow,
    Notification,
    NotificationPreference,
    TopicFollow,
)
from nexus.topics.models import Topic

logger = logging.getLogger(__name__)

NOTIFICATION_REQUESTED = "notification.requested"
EMAIL_CATCH_UP_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class NotificationDraft:
    """A notification to make: who gets it, what it says, where it points."""

    recipient_id: int
    kind: str
    text: str
    url: str = ""
    actor_id: int | None = None
    target_type: str = ""
    target_id: int | None = None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _name(user: User) -> str:
    profile = getattr(user, "profile", None)
    return profile.name if profile is not None else user.username


# --- follows -------------------------------------------------------------------------------------


@transaction.atomic
def member_follow(*, actor: User, username: str) -> tuple[MemberFollow, bool]:
    """Follow a member (idempotent); returns the follow and whether it is new.

    A new follow tells the member, once per pair of members ever (unfollowing and following
    again does not notify again).
    """
    member = access_member(actor, username)
    if member.pk == actor.pk:
        raise ApplicationError("You cannot follow yourself.", code="self_follow")
    # Both sides come from fetched rows; the unique constraint makes a concurrent double
    # follow one row (get_or_create retries the read on the integrity error).
    follow, created = MemberFollow.objects.get_or_create(follower=actor, followed=member)
    if created:
        events.event_record(
            type="member.followed",
            payload={"follower_id": actor.pk, "followed_id": member.pk},
            key=f"member.followed:{actor.pk}:{member.pk}",
        )
    return follow, created


@transaction.atomic
def member_unfollow(*, actor: User, username: str) -> bool:
    """Stop following a member (idempotent); returns whether there was a follow."""
    member = access_member(actor, username)
    deleted, _ = MemberFollow.objects.filter(follower_id=actor.pk, followed_id=member.pk).delete()
    return bool(deleted)


@transaction.atomic
def topic_follow(*, actor: User, slug: str) -> tuple[TopicFollow, bool]:
    """Follow a topic and the topics under it (idempotent); returns the follow and whether it is new."""
    topic = access_topic(actor, slug)
    return TopicFollow.objects.get_or_create(follower=actor, topic=topic)


@transaction.atomic
def topic_unfollow(*, actor: User, slug: str) -> bool:
    """Stop following a topic (idempotent); returns whether there was a follow."""
    topic = access_topic(actor, slug)
    deleted, _ = TopicFollow.objects.filter(follower_id=actor.pk, topic_id=topic.pk).delete()
    return bool(deleted)


# --- producing (any app) ---------------------------------------------------------------------------


def notification_request(
    *,
    kind: str,
    recipient_ids: list[int],
    text: str,
    url: str = "",
    actor_id: int | None = None,
    target_type: str = "",
    target_id: int | None = None,
    key: str | None = None,
) -> OutboxEvent:
    """Notify members of something, from inside the caller's transaction (mentions, replies, comments).

    Records a `notification.requested` outbox event; after the commit a worker makes one
    notification per recipient, exactly once, then delivers it live and by e-mail. The caller
    lists only members who may read the target; the actor is never notified of their own act.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    payload = {
        "kind": kind,
        "recipient_ids": sorted({int(pk) for pk in recipient_ids}),
        "text": text,
        "url": url,
        "actor_id": actor_id,
        "target_type": target_type,
        "target_id": target_id,
    }
    return events.event_record(type=NOTIFICATION_REQUESTED, payload=payload, key=key)


# --- making notifications (outbox handlers) ----------------------------------------------------------


def notifications_create(*, event_id: UUID, drafts: list[NotificationDraft]) -> list[Notification]:
    """Write the notifications of one event (once: unique per recipient, event and kind).

    Called by outbox handlers inside the dispatch transaction. Nobody is notified of their own
    act. After the commit each new notification goes to the member's live group and, when
    their preference for the kind is "immediate", out by e-mail. Returns the new ones.
    """
    # Already made for this event (a handler run again after its mark was lost): not again.
    made_before = set(Notification.objects.filter(event_id=event_id).values_list("recipient_id", "kind"))
    drafts = [d for d in drafts if d.recipient_id != d.actor_id and (d.recipient_id, d.kind) not in made_before]
    if not drafts:
        return []
    modes = selectors.email_modes(user_ids={d.recipient_id for d in drafts}, kinds={d.kind for d in drafts})
    rows = []
    for draft in drafts:
        row = Notification(
            recipient_id=draft.recipient_id,
            kind=draft.kind,
            actor_id=draft.actor_id,
            target_type=draft.target_type,
            target_id=draft.target_id,
            text=_clip(draft.text, 500),
            url=draft.url,
            event_id=event_id,
            email=modes[(draft.recipient_id, draft.kind)],
        )
        row.full_clean(exclude=["recipient", "actor"], validate_unique=False, validate_constraints=False)
        rows.append(row)
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    wanted = {(d.recipient_id, d.kind) for d in drafts}
    made = [
        n
        for n in Notification.objects.filter(
            event_id=event_id, recipient_id__in={r for r, _ in wanted}, kind__in={k for _, k in wanted}
        )
        .select_related("actor")
        .order_by("pk")
        if (n.recipient_id, n.kind) in wanted
    ]
    transaction.on_commit(partial(_deliver, made))
    return made


def _deliver(notifications: list[Notification]) -> None:
    """After commit: live to each recipient's group; e-mail the "immediate" ones."""
    for notification in notifications:
        notification_send_live(notification=notification)
        if notification.email == EmailMode.IMMEDIATE:
            try:
                notification_email_send(notification_id=notification.pk)
            except Exception:  # the beat catch-up (notifications_email_pending) sends it later
                logger.exception("notifications: e-mailing notification %s failed", notification.pk)


def notification_send_live(*, notification: Notification) -> bool:
    """Push a committed notification to its recipient's channel group; best effort.

    The list API is the record: a member who was not connected, or a channel layer that is
    down, only means the notification is seen on the next fetch.
    """
    layer = get_channel_layer()
    if layer is None:
        return False
    message = {"type": "notification.created", "notification": selectors.notification_data(notification)}
    try:
        async_to_sync(layer.group_send)(selectors.user_group(notification.recipient_id), message)
    except Exception:
        logger.warning("notifications: live delivery of %s failed", notification.pk, exc_info=True)
        return False
    return True


def _entry_url(entry_id: int) -> str:
    return f"/api/v1/entries/{entry_id}/"


def _actor(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return User.objects.select_related("profile").filter(pk=user_id).first()


def notify_new_follower(*, event_id: UUID, follower_id: int, followed_id: int) -> list[Notification]:
    """Tell a member someone followed them (unless the follow is already gone)."""
    follow = (
        MemberFollow.objects.filter(follower_id=follower_id, followed_id=followed_id)
        .select_related("follower__profile")
        .first()
    )
    if follow is None:
        return []
    follower = follow.follower
    draft = NotificationDraft(
        recipient_id=followed_id,
        kind=Kind.NEW_FOLLOWER,
        text=f"{_name(follower)} started following you",
        url=f"/api/v1/members/{follower.username}/",
        actor_id=follower.pk,
        target_type="member",
        target_id=follower.pk,
    )
    return notifications_create(event_id=event_id, drafts=[draft])


def _notify_author(*, event_id: UUID, entry_id: int, actor_id: int, kind: str, verb: str) -> list[Notification]:
    entry = Entry.objects.select_related("hub").filter(pk=entry_id).first()
    actor = _actor(actor_id)
    if entry is None or actor is None:
        return []
    draft = NotificationDraft(
        recipient_id=entry.hub.owner_id,
        kind=kind,
        text=f"{_name(actor)} {verb} “{entry.title}”",
        url=_entry_url(entry.pk),
        actor_id=actor.pk,
        target_type="entry",
        target_id=entry.pk,
    )
    return notifications_create(event_id=event_id, drafts=[draft])


def notify_solution_confirmed(*, event_id: UUID, entry_id: int, actor_id: int) -> list[Notification]:
    """Tell a challenge's author that their solution worked for someone."""
    return _notify_author(
        event_id=event_id,
        entry_id=entry_id,
        actor_id=actor_id,
        kind=Kind.SOLUTION_CONFIRMED,
        verb="says your solution worked for them:",
    )


def notify_solution_verified(*, event_id: UUID, entry_id: int, actor_id: int) -> list[Notification]:
    """Tell a challenge's author that a mentor verified their solution."""
    return _notify_author(
        event_id=event_id,
        entry_id=entry_id,
        actor_id=actor_id,
        kind=Kind.SOLUTION_VERIFIED,
        verb="verified your solution to",
    )


def notify_followed_topic_entries(*, event_id: UUID, entry_ids: list[int], author_id: int) -> list[Notification]:
    """Tell the followers of the entries' topics (and of their parents) about newly published entries.

    Each follower gets one notification per event, about the entries they may read
    (`hubs.access.entries_visible_to_each`, for all followers at once) on a topic they follow;
    never the author. One entry points at the entry; several (a README import) at the hub. A
    fixed number of queries whatever the number of followers.
    """
    entries = list(
        Entry.objects.filter(pk__in=entry_ids, status=Entry.Status.PUBLISHED)
        .select_related("hub")
        .prefetch_related("topics")
        .order_by("position", "pk")
    )
    author = _actor(author_id)
    if not entries or author is None:
        return []
    lineage = selectors.topic_lineage()
    covered = {e.pk: {a for t in e.topics.all() for a in lineage.get(t.pk, {t.pk})} for e in entries}
    followed: dict[User, set[int]] = defaultdict(set)
    follows = (
        TopicFollow.objects.filter(topic_id__in=set().union(*covered.values()), follower__is_active=True)
        .exclude(follower_id=author.pk)
        .select_related("follower")
    )
    for follow in follows:
        followed[follow.follower].add(follow.topic_id)
    if not followed:
        return []
    names = dict(Topic.objects.filter(pk__in=set().union(*followed.values())).values_list("pk", "name"))
    # The visibility rules of hubs, for every follower at once: nobody hears of what they may not read.
    readable = hub_access.entries_visible_to_each(list(followed), [e.pk for e in entries])
    drafts = []
    for follower, topic_ids in followed.items():
        seen = [e for e in entries if covered[e.pk] & topic_ids and e.pk in readable[follower.pk]]
        if not seen:
            continue
        if len(seen) == 1:
            entry = seen[0]
            topics = ", ".join(sorted(names[t] for t in covered[entry.pk] & topic_ids))
            text = f"{_name(author)} published “{entry.title}” on {topics}"
            target: dict[str, Any] = {"target_type": "entry", "target_id": entry.pk, "url": _entry_url(entry.pk)}
        else:
            hub = seen[0].hub
            text = f"{_name(author)} published {len(seen)} entries on topics you follow"
            target = {"target_type": "hub", "target_id": hub.pk, "url": f"/api/v1/hubs/{hub.slug}/"}
        drafts.append(
            NotificationDraft(
                recipient_id=follower.pk, kind=Kind.FOLLOWED_TOPIC_ENTRY, text=text, actor_id=author.pk, **target
            )
        )
    return notifications_create(event_id=event_id, drafts=drafts)


def notify_requested(*, event_id: UUID, payload: dict[str, Any]) -> list[Notification]:
    """Make the notifications another app asked for with `notification_request` (active members only)."""
    kind = payload["kind"]
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    recipients = User.objects.filter(pk__in=payload["recipient_ids"], is_active=True).values_list("pk", flat=True)
    drafts = [
        NotificationDraft(
            recipient_id=pk,
            kind=kind,
            text=payload["text"],
            url=payload.get("url") or "",
            actor_id=payload.get("actor_id"),
            target_type=payload.get("target_type") or "",
            target_id=payload.get("target_id"),
        )
        for pk in recipients
    ]
    return notifications_create(event_id=event_id, drafts=drafts)


# --- reading ---------------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, actor: User, notification_id: int) -> Notification:
    """Mark one of the actor's notifications read (idempotent: the first time is kept)."""
    notification = access_notification(actor, notification_id, for_update=True)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User, up_to: int | None = None) -> int:
    """Mark the actor's unread notifications read (those with an id up to `up_to`, if given).

    `up_to` is the newest id the member has seen, so one that arrives meanwhile stays unread.
    Returns how many were marked.
    """
    queryset = Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True)
    if up_to is not None:
        queryset = queryset.filter(pk__lte=up_to)
    return queryset.update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_update(*, actor: User, email: dict[str, str]) -> dict[str, str]:
    """Choose how each kind is e-mailed; returns every kind's mode.

    Turning a kind off also cancels its e-mails not sent yet.
    """
    unknown = sorted(set(email) - set(Kind.values))
    if unknown:
        raise ValidationError({"email": f"Unknown notification kind(s): {', '.join(unknown)}."})
    wrong = sorted(k for k, mode in email.items() if mode not in EmailMode.values)
    if wrong:
        modes = ", ".join(EmailMode.values)
        raise ValidationError({"email": f"The e-mail mode of {', '.join(wrong)} must be one of {modes}."})
    for kind, mode in email.items():
        NotificationPreference.objects.update_or_create(user=actor, kind=kind, defaults={"email": mode})
        if mode == EmailMode.OFF:
            Notification.objects.filter(recipient_id=actor.pk, kind=kind, emailed_at__isnull=True).update(
                email=EmailMode.OFF
            )
    return selectors.notification_preferences(user=actor)


# --- e-mail ----------------------------------------------------------------------------------------


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def _footer() -> str:
    return (
        "\n\n-- \nYou get this e-mail because of your Nexus notification preferences: "
        f"{settings.SITE_URL}/api/v1/me/preferences/notifications/\n"
    )


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one "immediate" notification not e-mailed (nor read) yet; returns whether it went out.

    The row is locked while the mail is sent, so the after-commit send and the catch-up task
    never both send it; if sending fails nothing is marked and the catch-up tries again.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, email=EmailMode.IMMEDIATE, emailed_at__isnull=True, read_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        body = f"{notification.text}\n\n{_absolute(notification.url)}" if notification.url else notification.text
        send_mail(
            subject=_clip(f"Nexus: {notification.text}", 200),
            message=body + _footer(),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notifications_email_pending(*, older_than: timedelta = EMAIL_CATCH_UP_AFTER) -> int:
    """Send "immediate" e-mails the after-commit send missed (a crash, the mail server down)."""
    cutoff = timezone.now() - older_than
    pending = Notification.objects.filter(
        email=EmailMode.IMMEDIATE, emailed_at__isnull=True, read_at__isnull=True, created_at__lte=cutoff
    ).order_by("created_at", "pk")
    sent = 0
    for pk in list(pending.values_list("pk", flat=True)[:500]):
        try:
            sent += notification_email_send(notification_id=pk)
        except Exception:  # the mail server is down: the next run tries again
            logger.exception("notifications: e-mail catch-up stopped at %s", pk)
            break
    return sent


@transaction.atomic
def _digest_send_one(recipient_id: int) -> bool:
    pending = list(
        Notification.objects.select_for_update(skip_locked=True)
        .filter(recipient_id=recipient_id, email=EmailMode.DIGEST, emailed_at__isnull=True)
        .order_by("created_at", "pk")
    )
    unread = [n for n in pending if n.read_at is None]
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if unread and recipient is not None:
        lines = [f"- {n.text}" + (f"\n  {_absolute(n.url)}" if n.url else "") for n in unread]
        send_mail(
            subject=f"Nexus: {len(unread)} new notification{'s' if len(unread) != 1 else ''}",
            message="What happened since your last digest:\n\n" + "\n".join(lines) + _footer(),
            from_email=None,
            recipient_list=[recipient.email],
        )
    # Read ones were seen in the app: they are done too, without a mail.
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return bool(unread and recipient is not None)


def notifications_digest_send() -> int:
    """Send each member one e-mail listing their unread "digest" notifications; returns how many."""
    recipient_ids = (
        Notification.objects.filter(email=EmailMode.DIGEST, emailed_at__isnull=True)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for recipient_id in list(recipient_ids):
        try:
            sent += _digest_send_one(recipient_id)
        except Exception:  # one member's failure does not stop the others; tomorrow tries again
            logger.exception("notifications: digest for member %s failed", recipient_id)
    return sent
