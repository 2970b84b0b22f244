"""Who may see a cohort's insights: its mentors and staff, and platform staff.

Learners (even of the cohort), members of other cohorts and visitors get a 404: insights name
learners and what they have not written about yet, which is for the people who guide them.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from nexus.accounts.models import User
from nexus.cohorts.models import Cohort, Membership
from nexus.hubs.access import Actor

GUIDE_ROLES = (Membership.Role.MENTOR, Membership.Role.STAFF)


def cohorts_guided_by(actor: Actor) -> QuerySet[Cohort]:
    """The cohorts whose insights the actor may see (every cohort for platform staff)."""
    if not actor.is_authenticated or not actor.is_active:
        return Cohort.objects.none()
    if actor.is_staff:
        return Cohort.objects.select_related("program")
    guided = Membership.objects.filter(user_id=actor.pk, role__in=GUIDE_ROLES).values("cohort_id")
    return Cohort.objects.filter(pk__in=guided).select_related("program")


def access_cohort_insights(actor: User | Actor, slug: str) -> Cohort:
    """A cohort by slug whose insights the actor may see (404 otherwise)."""
    cohort = cohorts_guided_by(actor).filter(slug=slug).first()
    if cohort is None:
        raise Http404(f"No cohort insights for {slug!r}.")
    return cohort
