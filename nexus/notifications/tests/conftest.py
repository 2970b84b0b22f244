"""Fixtures for notification tests: committing (so the outbox relays), members in a cohort."""

import pytest

from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs what the block schedules after commit, as a real commit would.

    The outbox relays after commit; in the test suite Celery runs tasks in-process, so the
    dispatch, its notifications and their delivery all happen when the block ends.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def cohort(db):
    return CohortFactory(slug="be-3")


@pytest.fixture
def mentor(cohort):
    return MembershipFactory(cohort=cohort, role=Membership.Role.MENTOR).user
