"""Who may manage a webhook: mentors and staff of its cohort (for a channel's webhook: of the
channel's cohort, and only if they may read the channel), and platform staff; a global channel's
webhooks are platform staff's.

Everyone else -- learners of the cohort included, since a webhook's URL and deliveries are
credentials and logs -- gets a 404 for a webhook and never sees it in a list. Creating one in a
cohort the actor can see (every cohort is visible) but not manage is a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from nexus.accounts.models import User
from nexus.cohorts.models import Cohort, Membership
from nexus.discussions.models import Channel
from nexus.webhooks.models import Webhook, WebhookDelivery

Actor = User | AnonymousUser
MANAGER_ROLES = (Membership.Role.MENTOR, Membership.Role.STAFF)


def managed_cohort_ids(actor: User) -> QuerySet[Membership, Any]:
    """The cohorts whose webhooks the actor manages as mentor or staff, as a subquery."""
    return Membership.objects.filter(user=actor, role__in=MANAGER_ROLES).values("cohort_id")


def webhooks_visible_to(actor: Actor) -> QuerySet[Webhook]:
    """Every webhook the actor may see, which is every webhook they may manage."""
    if not actor.is_authenticated:
        return Webhook.objects.none()
    if actor.is_staff:
        return Webhook.objects.all()
    managed = managed_cohort_ids(actor)
    return Webhook.objects.filter(Q(cohort_id__in=managed) | Q(channel__cohort_id__in=managed))


def access_webhook(actor: Actor, webhook_id: int, *, for_update: bool = False) -> Webhook:
    """A webhook the actor manages (404 otherwise)."""
    qs = webhooks_visible_to(actor).select_related("cohort", "created_by")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    webhook = qs.filter(pk=webhook_id).first()
    if webhook is None:
        raise Http404(f"No webhook {webhook_id}.")
    return webhook


def access_delivery(actor: Actor, webhook_id: int, delivery_id: int) -> WebhookDelivery:
    """A delivery of a webhook the actor manages (404 otherwise)."""
    webhook = access_webhook(actor, webhook_id)
    delivery = WebhookDelivery.objects.filter(webhook=webhook, pk=delivery_id).first()
    if delivery is None:
        raise Http404(f"No delivery {delivery_id} for webhook {webhook_id}.")
    return delivery


def can_manage_cohort(actor: Actor, cohort: Cohort) -> bool:
    """Mentors and staff of the cohort, and platform staff."""
    if not actor.is_authenticated:
        return False
    if actor.is_staff:
        return True
    return Membership.objects.filter(user_id=actor.pk, cohort=cohort, role__in=MANAGER_ROLES).exists()


def check_cohort_manager(actor: Actor, cohort: Cohort) -> None:
    """403 unless the actor may add webhooks to the cohort."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied("Only mentors and staff of the cohort can manage its webhooks.")


def check_channel_manager(actor: Actor, channel: Channel) -> None:
    """403 unless the actor may add webhooks to the channel (its cohort's mentors and staff)."""
    if channel.cohort is None and not (actor.is_authenticated and actor.is_staff):
        raise PermissionDenied("Only platform staff can manage the webhooks of a global channel.")
    if channel.cohort is not None and not can_manage_cohort(actor, channel.cohort):
        raise PermissionDenied("Only mentors and staff of the channel's cohort can manage its webhooks.")
