"""A backend cohort with two learners, a mentor, a learner of another cohort, and a small taxonomy."""

import pytest

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory, ProgramFactory
from nexus.hubs.models import Hub
from nexus.hubs.tests.factories import HubFactory
from nexus.topics.tests.factories import TopicFactory


@pytest.fixture
def program(db):
    return ProgramFactory(slug="prodev-be", name="ProDev Backend", track="backend")


@pytest.fixture
def cohort(program):
    return CohortFactory(program=program, slug="be-3", name="ProDev BE 3")


@pytest.fixture
def topics(db):
    django = TopicFactory(slug="django", name="Django")
    return {
        "django": django,
        "orm": TopicFactory(slug="orm", name="ORM", parent=django),
        "celery": TopicFactory(slug="celery", name="Celery"),
        "docker": TopicFactory(slug="docker", name="Docker"),
        "kotlin": TopicFactory(slug="kotlin", name="Kotlin"),  # not in the curriculum
    }


def _member(cohort, username, role=Membership.Role.LEARNER):
    return MembershipFactory(cohort=cohort, user=UserFactory(username=username), role=role).user


@pytest.fixture
def ada(cohort):
    return _member(cohort, "ada")


@pytest.fixture
def grace(cohort):
    return _member(cohort, "grace")


@pytest.fixture
def mentor(cohort):
    return _member(cohort, "mentor", Membership.Role.MENTOR)


@pytest.fixture
def outsider(program):
    return _member(CohortFactory(program=program), "outsider")


@pytest.fixture
def hub_of(program, cohort):
    def make(user, visibility=Hub.Visibility.COHORT):
        return HubFactory(owner=user, program=program, cohort=cohort, visibility=visibility)

    return make
