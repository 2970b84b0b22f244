"""Writes for programs, cohorts and memberships (staff tooling, demo data, admin)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from nexus.accounts.models import User
from nexus.cohorts.models import Cohort, Membership, Program
from nexus.search import services as search_services


@transaction.atomic
def program_upsert(*, slug: str, name: str, description: str = "", track: str = "") -> Program:
    """Create a program or update the one with this slug."""
    program = Program.objects.filter(slug=slug).first() or Program(slug=slug)
    program.name, program.description, program.track = name, description, track
    program.full_clean()
    program.save()
    return program


@transaction.atomic
def cohort_upsert(
    *, program: Program, slug: str, name: str, starts_on: dt.date | None = None, ends_on: dt.date | None = None
) -> Cohort:
    """Create a cohort of a program or update the one with this slug."""
    cohort = Cohort.objects.filter(slug=slug).first() or Cohort(slug=slug)
    cohort.program, cohort.name, cohort.starts_on, cohort.ends_on = program, name, starts_on, ends_on
    cohort.full_clean()
    cohort.save()
    return cohort


@transaction.atomic
def membership_set(*, cohort: Cohort, user: User, role: str = Membership.Role.LEARNER) -> Membership:
    """Put a member in a cohort with a role (idempotent; changes the role if already in)."""
    membership, created = Membership.objects.get_or_create(cohort=cohort, user=user, defaults={"role": role})
    if membership.role != role:
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role", "updated_at"])
    if created:
        search_services.schedule_index("member", user.pk)  # the member's cohort facet
    return membership
