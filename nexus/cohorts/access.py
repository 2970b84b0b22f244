"""Permission-checked fetches for cohorts."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from nexus.accounts.models import User
from nexus.cohorts.models import Cohort, Membership


def access_cohort(actor: User | AnonymousUser, slug: str, *, to_list_members: bool = False) -> Cohort:
    """A cohort by slug. Anyone may see a cohort; only its members and staff may list its members."""
    cohort = Cohort.objects.select_related("program").filter(slug=slug).first()
    if cohort is None:
        raise Http404(f"No cohort with slug {slug!r}.")
    if to_list_members:
        if not actor.is_authenticated:
            raise Http404(f"No cohort with slug {slug!r}.")
        if not (actor.is_staff or Membership.objects.filter(cohort=cohort, user_id=actor.pk).exists()):
            raise Http404(f"No cohort with slug {slug!r}.")
    return cohort
