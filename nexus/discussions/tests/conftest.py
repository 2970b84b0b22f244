"""A cohort with learners, a mentor and an outsider, and a cohort-wide channel with a thread."""

import pytest

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.discussions import services


@pytest.fixture
def cohort(db):
    return CohortFactory(slug="be-3", name="ProDev BE 3")


@pytest.fixture
def ada(cohort):
    return MembershipFactory(cohort=cohort, user=UserFactory(username="ada")).user


@pytest.fixture
def grace(cohort):
    return MembershipFactory(cohort=cohort, user=UserFactory(username="grace")).user


@pytest.fixture
def mentor(cohort):
    return MembershipFactory(cohort=cohort, user=UserFactory(username="mentor"), role=Membership.Role.MENTOR).user


@pytest.fixture
def outsider(db):
    """A member of another cohort."""
    return MembershipFactory(user=UserFactory(username="outsider")).user


@pytest.fixture
def channel(cohort, mentor):
    return services.channel_create(actor=mentor, cohort=cohort.slug, name="General")


@pytest.fixture
def thread(channel, ada, grace):
    return services.thread_create(actor=ada, channel_id=channel.pk, title="Celery tasks hang", body="Why @grace?")
