"""Who may see problems and who may curate them or verify solutions.

Problems:      readable when at least one of its challenges is readable (`entries_visible_to`):
               its title and description come from its challenges, so a problem made only of
               challenges the actor cannot read is a 404. A merged problem is readable when the
               problem it was merged into is.
Solutions:     the challenges of a problem the actor may read -- never another's text.
Curating:      merge, split, rename: mentors or staff of any cohort, and platform staff.
Verifying:     mentors or staff of the cohort of the entry's hub, and platform staff.
What an actor may not see is a 404; what they see but may not do is a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from nexus.cohorts.models import Membership
from nexus.hubs.access import Actor, entries_visible_to
from nexus.hubs.models import Entry
from nexus.knowledge.models import Problem, ProblemLink

CURATOR_ROLES = (Membership.Role.MENTOR, Membership.Role.STAFF)


def solutions_visible_to(actor: Actor) -> QuerySet[Entry]:
    """Published challenges the actor may read (a draft is never a solution, even to its author)."""
    return entries_visible_to(actor).filter(kind=Entry.Kind.CHALLENGE, status=Entry.Status.PUBLISHED)


def _readable_links(actor: Actor, outer: str) -> Exists:
    return Exists(
        ProblemLink.objects.filter(problem_id=OuterRef(outer), entry__in=solutions_visible_to(actor).values("pk"))
    )


def problems_visible_to(actor: Actor) -> QuerySet[Problem]:
    """Every problem the actor may read, merged ones included."""
    return Problem.objects.alias(
        _readable=_readable_links(actor, "pk"), _target_readable=_readable_links(actor, "merged_into")
    ).filter(Q(merged_into__isnull=True, _readable=True) | Q(merged_into__isnull=False, _target_readable=True))


def access_problem(actor: Actor, problem_id: int, *, for_update: bool = False, to_curate: bool = False) -> Problem:
    """A problem the actor may read (404 otherwise); `to_curate` for merging, splitting, renaming (403)."""
    qs = problems_visible_to(actor)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    problem = qs.filter(pk=problem_id).first()
    if problem is None:
        raise Http404(f"No problem {problem_id}.")
    if to_curate and not can_curate(actor):
        raise PermissionDenied("Only mentors and staff can merge, split or rename problems.")
    return problem


def can_curate(actor: Actor) -> bool:
    """Mentors and staff of any cohort, and platform staff, may merge, split and rename problems."""
    return may_curate(verifier_cohort_ids(actor))


def verifier_cohort_ids(actor: Actor) -> set[int] | None:
    """The cohorts whose hubs' solutions the actor may verify; None means every cohort (platform staff).

    One query for a member, none otherwise: pages that show many solutions ask once.
    """
    if not actor.is_authenticated:
        return set()
    if actor.is_staff:
        return None
    return set(Membership.objects.filter(user_id=actor.pk, role__in=CURATOR_ROLES).values_list("cohort_id", flat=True))


def may_curate(verifier_cohorts: set[int] | None) -> bool:
    """Whether the actor `verifier_cohort_ids` describes may curate problems: a mentor or staff member
    of some cohort, or platform staff. Pages that already asked `verifier_cohort_ids` pay no query."""
    return verifier_cohorts is None or bool(verifier_cohorts)


def may_verify(verifier_cohorts: set[int] | None, entry: Entry) -> bool:
    """Whether `verifier_cohort_ids(actor)` lets the actor verify the entry's solution."""
    if verifier_cohorts is None:
        return True
    return entry.hub.cohort_id is not None and entry.hub.cohort_id in verifier_cohorts


def can_verify(actor: Actor, entry: Entry) -> bool:
    """Mentors and staff of the cohort the entry's hub belongs to, and platform staff, verify solutions."""
    return may_verify(verifier_cohort_ids(actor), entry)
