"""Who may see a registered API: public ones everyone, cohort ones the cohort's members, private ones the owner.

Platform staff see every API. An API the actor may not see is a 404; changing one the actor
sees but does not own is a 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from nexus.accounts.models import User
from nexus.cohorts import selectors as cohort_selectors
from nexus.registry.models import RegisteredApi

Actor = User | AnonymousUser


def _api_q(actor: Actor) -> Q:
    public = Q(visibility=RegisteredApi.Visibility.PUBLIC)
    if not actor.is_authenticated:
        return public
    if actor.is_staff:
        return Q()
    in_cohort = Q(visibility=RegisteredApi.Visibility.COHORT, cohort_id__in=cohort_selectors.member_cohort_ids(actor))
    return public | Q(owner_id=actor.pk) | in_cohort


def apis_visible_to(actor: Actor) -> QuerySet[RegisteredApi]:
    """Every registered API the actor may see."""
    return RegisteredApi.objects.filter(_api_q(actor))


def access_api(actor: Actor, slug: str, *, for_update: bool = False, must_own: bool = False) -> RegisteredApi:
    """An API by slug that the actor may see (404 otherwise); `must_own` for changes (403)."""
    qs = apis_visible_to(actor).select_related("owner", "cohort")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    api = qs.filter(slug=slug).first()
    if api is None:
        raise Http404(f"No registered API {slug!r}.")
    if must_own and api.owner_id != actor.pk:
        raise PermissionDenied("Only the API's owner can change it.")
    return api
