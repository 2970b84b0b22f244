import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import MembershipFactory
from nexus.insights.access import access_cohort_insights, cohorts_guided_by


def test_mentors_of_the_cohort_see_its_insights(cohort, mentor):
    assert access_cohort_insights(mentor, "be-3") == cohort


def test_cohort_staff_see_its_insights(cohort):
    staff = MembershipFactory(cohort=cohort, role=Membership.Role.STAFF).user

    assert access_cohort_insights(staff, "be-3") == cohort


def test_platform_staff_see_every_cohort(cohort):
    assert access_cohort_insights(UserFactory(is_staff=True), "be-3") == cohort


@pytest.mark.parametrize("who", ["learner", "outsider", "mentor_elsewhere", "anonymous", "inactive_mentor"])
def test_everyone_else_gets_a_404(cohort, ada, outsider, who):
    actor = {
        "learner": lambda: ada,
        "outsider": lambda: outsider,
        "mentor_elsewhere": lambda: MembershipFactory(role=Membership.Role.MENTOR).user,
        "anonymous": AnonymousUser,
        "inactive_mentor": lambda: (
            MembershipFactory(cohort=cohort, role=Membership.Role.MENTOR, user=UserFactory(is_active=False)).user
        ),
    }[who]()

    with pytest.raises(Http404, match="No cohort insights for 'be-3'"):
        access_cohort_insights(actor, "be-3")


def test_an_unknown_cohort_is_a_404(mentor):
    with pytest.raises(Http404):
        access_cohort_insights(mentor, "nope")


def test_the_guided_cohorts_are_those_mentored_or_staffed(cohort, mentor, ada):
    MembershipFactory(user=mentor)  # a learner elsewhere: not guided

    assert list(cohorts_guided_by(mentor)) == [cohort]
    assert list(cohorts_guided_by(ada)) == []
