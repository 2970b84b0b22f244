"""Hubs and entries through GraphQL: the same visibility as REST, one request for a hub page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nexus.hubs.models import Entry, Hub
from nexus.hubs.tests.conftest import ACTORS, READERS
from nexus.hubs.tests.factories import ChallengeFactory, EntryFactory, HubFactory
from nexus.knowledge.models import Problem, ProblemLink
from nexus.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

HUB_PAGE = """
query HubPage($ref: String!) {
  hub(ref: $ref) {
    databaseId slug title overviewHtml visibility updatedAt
    owner { username displayName profile { bio track githubUrl } }
    program { slug name }
    cohort { slug name }
    entries {
      databaseId kind section title bodyHtml problemHtml solutionHtml status position publishedAt
      topics { slug name }
      author { username displayName }
      problemLink { confidence problem { databaseId title } }
    }
  }
}
"""
HUB = "query($ref: String!) { hub(ref: $ref) { slug entries { title status } } }"
ENTRY = "query($id: Int!) { entry(id: $id) { databaseId title status hub { slug } } }"
HUBS = "query { hubs(first: 100) { edges { node { slug visibility } } } }"
ENTRIES = "query($hub: String) { entries(hub: $hub, first: 100) { edges { node { databaseId } } } }"
MEMBER_HUBS = "query($u: String!) { member(username: $u) { hubs { slug } } }"


def _page(hub: Hub, entries: int) -> None:
    topics = [TopicFactory() for _ in range(3)]
    for index in range(entries):
        entry = ChallengeFactory(hub=hub) if index % 2 else EntryFactory(hub=hub)
        entry.topics.add(*topics[: 1 + index % 3])
        if index % 2:
            problem = Problem.objects.create(title=f"Problem {index}")
            ProblemLink.objects.create(entry=entry, problem=problem, confidence=0.8)


def _queries(graphql, hub: Hub) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as captured:
        data = graphql(HUB_PAGE, {"ref": hub.slug})
    return data, len(captured)


def test_hub_page_in_one_request_with_constant_queries(graphql):
    # given: two public hubs, one with 3 entries and one with 12
    small, large = HubFactory(), HubFactory()
    _page(small, 3)
    _page(large, 12)
    # when
    _, small_queries = _queries(graphql, small)
    large_data, large_queries = _queries(graphql, large)
    # then: everything is there, in the same number of queries whatever the number of entries:
    # access_hub, the optimized hub (+owner, profile, program, cohort), the entries (+problem
    # link, author and profile), their topics, and the linked problems (visibility-checked)
    assert "errors" not in large_data, large_data
    entries = large_data["data"]["hub"]["entries"]
    assert len(entries) == 12
    assert entries[1]["problemLink"] == {
        "confidence": 0.8,
        "problem": {"databaseId": entries[1]["problemLink"]["problem"]["databaseId"], "title": "Problem 1"},
    }
    assert entries[0]["problemLink"] is None
    assert [t["slug"] for t in entries[2]["topics"]] == sorted(
        [t.slug for t in Entry.objects.get(pk=entries[2]["databaseId"]).topics.all()],
        key=lambda slug: [t["slug"] for t in entries[2]["topics"]].index(slug),
    )
    assert large_data["data"]["hub"]["owner"]["username"] == large.owner.username
    assert small_queries == large_queries == 5


def test_hub_page_matches_rest(graphql, api_client):
    # given
    hub = HubFactory()
    _page(hub, 4)
    # when
    rest = api_client.get(f"/api/v1/hubs/{hub.slug}/page/").json()
    data = graphql(HUB_PAGE, {"ref": hub.slug})["data"]["hub"]
    # then: the same entries, in the same order, with the same topics and problem links
    assert [e["databaseId"] for e in data["entries"]] == [e["id"] for e in rest["entries"]]
    assert [[t["slug"] for t in e["topics"]] for e in data["entries"]] == [
        [t["slug"] for t in e["topics"]] for e in rest["entries"]
    ]
    assert [e["problemLink"] and e["problemLink"]["problem"]["databaseId"] for e in data["entries"]] == [
        e["problem_link"] and e["problem_link"]["id"] for e in rest["entries"]
    ]
    assert data["owner"]["displayName"] == rest["owner"]["display_name"]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("visibility", list(READERS))
def test_hub_visibility_agrees_with_rest(world, client_for, graphql, actor, visibility):
    # given
    hub = world.hubs[visibility]
    member = world.actors[actor]
    # when
    rest = client_for(member).get(f"/api/v1/hubs/{hub.slug}/")
    data = graphql(HUB, {"ref": hub.slug}, member=member)
    # then
    if rest.status_code == 200:
        titles = {e["title"]: e["status"] for e in data["data"]["hub"]["entries"]}
        drafts_seen = actor == "owner"
        assert titles == {
            f"{visibility} published": "published",
            **({f"{visibility} draft": "draft"} if drafts_seen else {}),
        }
        assert "errors" not in data
    else:
        assert rest.status_code == 404
        assert data["data"] == {"hub": None}
        assert data["errors"][0]["message"] == f"No hub '{hub.slug}'."
        assert data["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (rest.status_code == 200) == (actor in READERS[visibility])


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("visibility", list(READERS))
@pytest.mark.parametrize("state", ["published", "drafts"])
def test_entry_visibility_agrees_with_rest(world, client_for, graphql, actor, visibility, state):
    entry = getattr(world, state)[visibility]
    member = world.actors[actor]

    rest = client_for(member).get(f"/api/v1/entries/{entry.pk}/")
    data = graphql(ENTRY, {"id": entry.pk}, member=member)

    if rest.status_code == 200:
        assert data["data"]["entry"]["databaseId"] == entry.pk
    else:
        assert rest.status_code == 404
        assert data["data"]["entry"] is None
        assert data["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert entry.title not in str(data)


@pytest.mark.parametrize("actor", ACTORS)
def test_lists_agree_with_rest(world, client_for, graphql, actor):
    member = world.actors[actor]
    client = client_for(member)

    rest_hubs = {h["slug"] for h in client.get("/api/v1/hubs/").json()["results"]}
    rest_entries = {e["id"] for e in client.get("/api/v1/entries/?page_size=100").json()["results"]}
    hubs = {e["node"]["slug"] for e in graphql(HUBS, member=member)["data"]["hubs"]["edges"]}
    entries = {e["node"]["databaseId"] for e in graphql(ENTRIES, member=member)["data"]["entries"]["edges"]}
    nested = {
        h["slug"]
        for h in graphql(MEMBER_HUBS, {"u": world.actors["owner"].username}, member=member)["data"]["member"]["hubs"]
    }

    assert hubs == rest_hubs == nested
    assert entries == rest_entries
    assert hubs == {world.hubs[v].slug for v, readers in READERS.items() if actor in readers}


def test_entries_paginate_with_cursors_in_rest_order(graphql):
    # given
    hub = HubFactory()
    entries = [EntryFactory(hub=hub) for _ in range(5)]
    query = (
        "query($after: String) { entries(hub: %s, first: 2, after: $after) "
        "{ pageInfo { hasNextPage endCursor } edges { node { databaseId } } } }"
    )
    # when
    seen, after = [], None
    for _ in range(3):
        page = graphql(query % f'"{hub.slug}"', {"after": after})["data"]["entries"]
        seen += [e["node"]["databaseId"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"]
    # then: the hub's order (position), like REST with ?hub=
    assert seen == [e.pk for e in entries]
    assert page["pageInfo"]["hasNextPage"] is False


def test_bad_filter_is_a_field_error_like_rest(graphql, api_client):
    rest = api_client.get("/api/v1/entries/?kind=poem").json()
    data = graphql('query { entries(kind: "poem") { edges { node { id } } } }')

    assert data["data"] is None
    error = data["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["errors"] == rest["errors"]
    assert error["message"] == rest["detail"]


def test_revisions_follow_the_entry_rule(graphql, world):
    draft = world.drafts["public"]
    query = "query($id: Int!) { entryRevisions(entryId: $id) { edges { node { number title } } } }"

    outsider = graphql(query, {"id": draft.pk}, member=world.actors["outsider"])
    owner = graphql(query, {"id": draft.pk}, member=world.actors["owner"])

    assert outsider["data"] is None
    assert outsider["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "errors" not in owner
