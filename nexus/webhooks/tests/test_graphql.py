"""Webhook queries: the same webhooks and deliveries as REST shows, to the same people; a flat query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from nexus.accounts.tests.factories import UserFactory
from nexus.core.tests.graphql_parity import CODE_FOR_STATUS
from nexus.webhooks.tests.factories import WebhookDeliveryFactory, WebhookFactory

pytestmark = pytest.mark.django_db

LIST = (
    "query ($cohort: String) { webhooks(first: 100, cohort: $cohort)"
    " { edges { node { databaseId cohort createdBy } } } }"
)
DETAIL = "query ($id: Int!) { webhook(id: $id) { databaseId name url format eventTypes isActive cohort channel } }"
DELIVERIES = """
query ($webhook: Int!, $state: String) {
  webhookDeliveries(first: 100, webhook: $webhook, state: $state) {
    edges { node { databaseId eventId state payload } }
  }
}
"""


def _rest(member, url: str):
    client = APIClient()
    if member is not None:
        client.force_authenticate(member)
    return client.get(url)


@pytest.fixture
def hooks(cohort, mentor):
    mine = WebhookFactory(cohort=cohort, created_by=mentor)
    other = WebhookFactory()  # another cohort's
    delivery = WebhookDeliveryFactory(webhook=mine)
    return mine, other, delivery


@pytest.mark.parametrize("who", ["mentor", "cohort_staff", "learner", "stranger", "staff", "anonymous"])
def test_rest_and_graphql_agree(graphql, request, hooks, who):
    mine, other, _ = hooks
    makers = {"anonymous": lambda: None, "stranger": UserFactory, "staff": lambda: UserFactory(is_staff=True)}
    member = makers[who]() if who in makers else request.getfixturevalue(who)

    rest_list = _rest(member, "/api/v1/webhooks/")
    gql_list = graphql(LIST, member=member)
    if rest_list.status_code == 200:
        assert sorted(gql["node"]["databaseId"] for gql in gql_list["data"]["webhooks"]["edges"]) == sorted(
            hook["id"] for hook in rest_list.json()["results"]
        )
    else:
        assert gql_list["errors"][0]["extensions"]["code"] == CODE_FOR_STATUS[rest_list.status_code]

    for hook in (mine, other):
        rest = _rest(member, f"/api/v1/webhooks/{hook.pk}/")
        gql = graphql(DETAIL, {"id": hook.pk}, member=member)
        if rest.status_code == 200:
            assert gql["data"]["webhook"]["databaseId"] == rest.json()["id"]
            assert gql["data"]["webhook"]["url"] == rest.json()["url"]
        else:
            assert gql["data"] is None
            assert gql["errors"][0]["extensions"]["code"] == CODE_FOR_STATUS[rest.status_code]

    rest = _rest(member, f"/api/v1/webhooks/{mine.pk}/deliveries/")
    gql = graphql(DELIVERIES, {"webhook": mine.pk}, member=member)
    if rest.status_code == 200:
        assert [edge["node"]["databaseId"] for edge in gql["data"]["webhookDeliveries"]["edges"]] == [
            row["id"] for row in rest.json()["results"]
        ]
    else:
        assert gql["data"] is None
        assert gql["errors"][0]["extensions"]["code"] == CODE_FOR_STATUS[rest.status_code]

    expected = {
        "mentor": {mine.pk},
        "cohort_staff": {mine.pk},
        "staff": {mine.pk, other.pk},
    }.get(who, set())
    if who != "anonymous":
        assert {edge["node"]["databaseId"] for edge in gql_list["data"]["webhooks"]["edges"]} == expected


def test_detail_fields_and_filters(graphql, hooks, mentor):
    mine, _, delivery = hooks
    assert graphql(DETAIL, {"id": mine.pk}, member=mentor)["data"]["webhook"] == {
        "databaseId": mine.pk, "name": mine.name, "url": mine.url, "format": "generic", "eventTypes": ["*"],
        "isActive": True, "cohort": "be-3", "channel": None,
    }  # fmt: skip
    listed = graphql(LIST, {"cohort": "be-3"}, member=mentor)["data"]["webhooks"]["edges"]
    assert [edge["node"] for edge in listed] == [
        {"databaseId": mine.pk, "cohort": "be-3", "createdBy": mentor.username}
    ]
    assert graphql(LIST, {"cohort": "nope"}, member=mentor)["data"]["webhooks"]["edges"] == []

    [node] = [
        e["node"]
        for e in graphql(DELIVERIES, {"webhook": mine.pk}, member=mentor)["data"]["webhookDeliveries"]["edges"]
    ]
    assert node["eventId"] == delivery.event_id and node["state"] == "pending"
    none = graphql(DELIVERIES, {"webhook": mine.pk, "state": "failed"}, member=mentor)
    assert none["data"]["webhookDeliveries"]["edges"] == []
    bad = graphql(DELIVERIES, {"webhook": mine.pk, "state": "lost"}, member=mentor)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "state" in bad["errors"][0]["extensions"]["errors"]


def test_list_query_count_is_flat(graphql, cohort, mentor):
    graphql("{ me { username } }", member=mentor)  # the token is issued (a write) before counting

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            data = graphql(LIST, member=mentor)
        assert "errors" not in data, data
        return len(captured)

    WebhookFactory.create_batch(2, cohort=cohort, created_by=mentor)
    few = count()
    WebhookFactory.create_batch(3, cohort=cohort, created_by=UserFactory())
    many = count()
    assert few == many == 2  # member; webhooks (+ cohort, creator in one join)
