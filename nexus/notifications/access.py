"""Permission-checked fetches for notifications and follows.

Notifications: only their recipient sees them (anyone else gets a 404).
Members:       any active member can be followed (profiles are public).
Topics:        every topic can be followed.
"""

from __future__ import annotations

from django.http import Http404

from nexus.accounts import selectors as account_selectors
from nexus.accounts.models import User
from nexus.hubs.access import Actor
from nexus.notifications.models import Notification
from nexus.topics.models import Topic


def access_notification(actor: Actor, notification_id: int, *, for_update: bool = False) -> Notification:
    """One of the actor's own notifications (404 otherwise)."""
    if not actor.is_authenticated:
        raise Http404(f"No notification {notification_id}.")
    qs = Notification.objects.filter(recipient_id=actor.pk).select_related("actor")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    notification = qs.filter(pk=notification_id).first()
    if notification is None:
        raise Http404(f"No notification {notification_id}.")
    return notification


def access_member(actor: Actor, username: str) -> User:
    """An active member by username, any case (404 otherwise)."""
    member = account_selectors.member_queryset().filter(username__iexact=username).first()
    if member is None:
        raise Http404(f"No member {username!r}.")
    return member


def access_topic(actor: Actor, slug: str) -> Topic:
    """A topic by slug (404 otherwise)."""
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise Http404(f"No topic {slug!r}.")
    return topic
