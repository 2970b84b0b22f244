import pytest
from django.test import Client

from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.hubs.tests.factories import EntryFactory


@pytest.fixture
def browser_as():
    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


def test_the_cohort_page_shows_heatmap_problems_and_activity(
    browser_as, cohort, topics, ada, mentor, hub_of, django_assert_num_queries
):
    entry = EntryFactory(hub=hub_of(ada))
    entry.topics.set([topics["django"]])
    client = browser_as(mentor)
    client.get("/")  # the session is read once per request; warm nothing else

    # session, user, cohort; 3 coverage; 2 activity; 2 problems (none: no verified query)
    with django_assert_num_queries(10):
        response = client.get("/insights/be-3/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="coverage-heatmap"' in html
    assert '<a href="/@ada/">' in html
    assert 'class="heat heat--1">1</td>' in html
    assert "Not covered by anyone yet" in html
    assert 'id="activity-chart"' in html
    assert "No open problems" in html


@pytest.mark.parametrize("who", ["learner", "outsider"])
def test_the_cohort_page_is_a_404_for_anyone_but_its_guides(browser_as, cohort, ada, outsider, who):
    response = browser_as({"learner": ada, "outsider": outsider}[who]).get("/insights/be-3/")

    assert response.status_code == 404


def test_visitors_are_sent_to_sign_in(browser_as, cohort):
    response = browser_as(None).get("/insights/be-3/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/insights/be-3/"


def test_the_index_goes_straight_to_the_only_cohort(browser_as, cohort, mentor):
    response = browser_as(mentor).get("/insights/")

    assert response.status_code == 302
    assert response["Location"] == "/insights/be-3/"


def test_the_index_lists_every_guided_cohort(browser_as, cohort, mentor):
    other = CohortFactory(name="ProDev FE 1")
    MembershipFactory(cohort=other, user=mentor, role=Membership.Role.MENTOR)

    response = browser_as(mentor).get("/insights/")

    assert response.status_code == 200
    assert response.content.decode().count('class="card__title"') == 2


def test_a_learner_sees_an_empty_index(browser_as, ada):
    response = browser_as(ada).get("/insights/")

    assert response.status_code == 200
    assert "Insights are for the mentors and staff" in response.content.decode()
