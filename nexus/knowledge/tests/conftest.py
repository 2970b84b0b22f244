"""Challenges written by several members, linked the way the hubs services will link them; and the
small cohort of the page tests (nexus/core/tests/web.py) with its Celery problem."""

import pytest

from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.core.tests.web import WebWorld, build_world
from nexus.hubs.models import Hub
from nexus.hubs.tests.factories import ChallengeFactory, HubFactory
from nexus.knowledge import services
from nexus.knowledge.models import Problem, ProblemLink


@pytest.fixture
def cohort(db):
    return CohortFactory(slug="be-3")


@pytest.fixture
def mentor(cohort):
    return MembershipFactory(cohort=cohort, role=Membership.Role.MENTOR).user


@pytest.fixture
def challenge(cohort):
    """Write a published challenge in a fresh member's hub and link it, as entry_create will."""

    def make(title: str, problem: str, *, visibility: str = Hub.Visibility.PUBLIC, owner=None, link=True, **fields):
        membership = MembershipFactory(cohort=cohort, **({"user": owner} if owner else {}))
        hub = HubFactory(owner=membership.user, program=cohort.program, cohort=cohort, visibility=visibility)
        entry = ChallengeFactory(hub=hub, title=title, problem=problem, **fields)
        if link:
            services.challenge_link(entry_id=entry.pk)
        return entry

    return make


@pytest.fixture
def world(db, django_capture_on_commit_callbacks) -> WebWorld:
    return build_world(django_capture_on_commit_callbacks)


@pytest.fixture
def problem(world) -> Problem:
    """The problem of ada's and linus's Celery challenges."""
    return ProblemLink.objects.get(entry=world.challenge).problem
