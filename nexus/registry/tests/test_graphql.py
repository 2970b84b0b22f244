"""The registry through GraphQL: REST's visibility for APIs, owner-only consumers, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.registry.models import HealthCheck, RegisteredApi
from nexus.registry.tests.factories import ApiConsumerFactory, RegisteredApiFactory

pytestmark = pytest.mark.django_db

API = "query($s: String!) { api(slug: $s) { slug visibility healthState owner { username } uptime { last24h } } }"
APIS = """
query {
  apis(first: 100) {
    edges { node { slug healthState owner { username displayName } cohort { slug } } }
  }
}
"""
CONSUMERS = "query($s: String!) { apiConsumers(slug: $s) { edges { node { user { username } } } } }"
HEALTH = "query($s: String!) { apiHealthChecks(slug: $s, first: 5) { edges { node { ok statusCode latencyMs } } } }"


@pytest.fixture
def world():
    cohort = CohortFactory()
    owner = MembershipFactory(cohort=cohort).user
    people = {
        "anonymous": None,
        "owner": owner,
        "peer": MembershipFactory(cohort=cohort).user,
        "outsider": MembershipFactory().user,
        "staff": UserFactory(is_staff=True),
    }
    apis = {
        visibility: RegisteredApiFactory(owner=owner, visibility=visibility, cohort=cohort)
        for visibility in RegisteredApi.Visibility.values
    }
    return people, apis


@pytest.mark.parametrize("who", ["anonymous", "owner", "peer", "outsider", "staff"])
@pytest.mark.parametrize("visibility", RegisteredApi.Visibility.values)
def test_api_visibility_agrees_with_rest(world, client_for, graphql, who, visibility):
    people, apis = world
    api = apis[visibility]

    rest = client_for(people[who]).get(f"/api/v1/apis/{api.slug}/")
    data = graphql(API, {"s": api.slug}, member=people[who])

    if rest.status_code == 200:
        assert data == {
            "data": {
                "api": {
                    "slug": api.slug,
                    "visibility": visibility,
                    "healthState": rest.json()["health_state"],
                    "owner": {"username": people["owner"].username},
                    "uptime": {"last24h": None},
                }
            }
        }
    else:
        assert rest.status_code == 404
        assert data["data"] == {"api": None}
        assert data["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("who", ["anonymous", "owner", "peer", "outsider", "staff"])
def test_api_list_agrees_with_rest(world, client_for, graphql, who):
    people, _ = world

    rest = {a["slug"] for a in client_for(people[who]).get("/api/v1/apis/").json()["results"]}
    data = {e["node"]["slug"] for e in graphql(APIS, member=people[who])["data"]["apis"]["edges"]}

    assert data == rest


@pytest.mark.parametrize("who", ["owner", "peer"])
def test_consumers_are_the_owners_to_see(world, client_for, graphql, who):
    people, apis = world
    api = apis["public"]
    ApiConsumerFactory(api=api, user=people["peer"])

    rest = client_for(people[who]).get(f"/api/v1/apis/{api.slug}/consumers/")
    data = graphql(CONSUMERS, {"s": api.slug}, member=people[who])

    if who == "owner":
        assert rest.status_code == 200
        assert data["data"]["apiConsumers"]["edges"] == [{"node": {"user": {"username": people["peer"].username}}}]
    else:
        assert rest.status_code == 403
        assert data["data"] is None
        assert data["errors"][0]["message"] == rest.json()["detail"] == "Only the API's owner can change it."
        assert data["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_health_checks_newest_first_like_rest(world, api_client, graphql):
    _, apis = world
    api = apis["public"]
    now = timezone.now()
    for minutes, ok in ((3, True), (2, False), (1, True)):
        HealthCheck.objects.create(
            api=api, checked_at=now - timezone.timedelta(minutes=minutes), ok=ok, status_code=200 if ok else 503
        )

    rest = api_client.get(f"/api/v1/apis/{api.slug}/health/").json()["results"]
    data = graphql(HEALTH, {"s": api.slug})["data"]["apiHealthChecks"]["edges"]

    assert [(e["node"]["ok"], e["node"]["statusCode"]) for e in data] == [(c["ok"], c["status_code"]) for c in rest]


def test_api_list_queries_are_flat(graphql):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert "errors" not in graphql(APIS)
        return len(captured)

    RegisteredApiFactory.create_batch(2)
    few = count()
    RegisteredApiFactory.create_batch(10)

    assert count() == few == 1  # apis with owner, profile and cohort joined
