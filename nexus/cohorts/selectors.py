"""Reads for programs, cohorts and memberships."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from nexus.accounts.models import User
from nexus.cohorts.models import Cohort, Membership, Program


def program_list() -> QuerySet[Program]:
    """Every program, by name."""
    return Program.objects.order_by("name")


def cohort_list(*, program: str | None = None) -> QuerySet[Cohort]:
    """Cohorts, newest first, optionally of one program (by slug)."""
    qs = Cohort.objects.select_related("program")
    if program:
        qs = qs.filter(program__slug=program)
    return qs


def member_cohort_ids(user: User | AnonymousUser) -> QuerySet[Membership, Any]:
    """The ids of the cohorts a member belongs to, as a subquery (empty for anonymous).

    `member_cohort_ids_each` is its batch form: a change to who counts goes in both.
    """
    if not user.is_authenticated:
        return Membership.objects.none().values("cohort_id")
    return Membership.objects.filter(user_id=user.pk).values("cohort_id")


def member_cohort_ids_each(user_ids: Collection[int], *, cohort_ids: Collection[int]) -> dict[int, set[int]]:
    """`member_cohort_ids` for many members at once, narrowed to `cohort_ids`, in one query.

    The same memberships count (any role, nothing else filtered): keep the two in step.
    """
    each: dict[int, set[int]] = {pk: set() for pk in user_ids}
    rows = (
        Membership.objects.filter(user_id__in=list(each), cohort_id__in=cohort_ids)
        .order_by()
        .values_list("user_id", "cohort_id")
    )
    for user_id, cohort_id in rows:
        each[user_id].add(cohort_id)
    return each


def membership_list(*, cohort: Cohort, role: str | None = None) -> QuerySet[Membership]:
    """A cohort's memberships with each member's profile joined in."""
    qs = Membership.objects.filter(cohort=cohort, user__is_active=True).select_related("user__profile")
    if role:
        qs = qs.filter(role=role)
    return qs
