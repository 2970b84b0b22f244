"""Hub and entry mutations: the same services and rules as REST, answers as typed payloads."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nexus.cohorts.tests.factories import MembershipFactory
from nexus.core.tests.graphql_parity import assert_refused_like_rest
from nexus.hubs.models import Entry, Hub
from nexus.hubs.tests.factories import EntryFactory, HubFactory
from nexus.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

CREATE_HUB = """
mutation ($input: HubCreateInput!) {
  createHub(input: $input) { hub { slug title visibility cohort { slug } } errors { field messages code } }
}
"""
UPDATE_HUB = """
mutation ($hub: ID!, $input: HubUpdateInput!) {
  updateHub(hub: $hub, input: $input) { hub { slug overviewHtml visibility } errors { field messages } }
}
"""
DELETE_HUB = "mutation ($hub: ID!) { deleteHub(hub: $hub) { deletedId errors { field messages } } }"
CREATE_ENTRY = """
mutation ($input: EntryCreateInput!) {
  createEntry(input: $input) {
    entry { databaseId kind title status position bodyHtml topics { slug } hub { slug } }
    errors { field messages code }
  }
}
"""
UPDATE_ENTRY = """
mutation ($id: ID!, $input: EntryUpdateInput!) {
  updateEntry(id: $id, input: $input) { entry { title status } errors { field messages } }
}
"""
PUBLISH_ENTRY = "mutation ($id: ID!) { publishEntry(id: $id) { entry { status } errors { field messages } } }"
MOVE_ENTRY = """
mutation ($id: ID!, $position: Int!) { moveEntry(id: $id, position: $position) { entry { position } errors { field } } }
"""
DELETE_ENTRY = "mutation ($id: ID!) { deleteEntry(id: $id) { deletedId errors { field } } }"
IMPORT = """
mutation ($input: ReadmeImportInput!) {
  importReadme(input: $input) {
    result { dryRun hubCreated created updated unchanged kept title hub { slug } }
    errors { field messages code }
  }
}
"""
README = """# Project Nexus

## Key Technologies
- **Django**: the web framework.

## Challenges Faced
### CORS errors
Problem: the browser blocked every call.
Solution: django-cors-headers.
"""


@pytest.fixture
def my_hub(user):
    membership = MembershipFactory(user=user)
    return HubFactory(owner=user, program=membership.cohort.program, cohort=membership.cohort, slug="my-hub")


def test_create_hub_and_its_field_errors(graphql, user):
    membership = MembershipFactory(user=user)
    program = membership.cohort.program

    first = graphql(
        CREATE_HUB, {"input": {"program": program.slug, "title": "Mine", "visibility": "cohort"}}, member=user
    )
    again = graphql(CREATE_HUB, {"input": {"program": program.slug, "title": "Twice"}}, member=user)
    bad = graphql(
        CREATE_HUB, {"input": {"program": program.slug, "title": "x" * 201, "visibility": "wide"}}, member=user
    )

    assert first["data"]["createHub"] == {
        "hub": {"slug": first["data"]["createHub"]["hub"]["slug"], "title": "Mine", "visibility": "cohort",
                "cohort": {"slug": membership.cohort.slug}},
        "errors": [],
    }  # fmt: skip
    # the service's rule, as REST words it
    assert again["data"]["createHub"] == {
        "hub": None,
        "errors": [{"field": "program", "messages": ["You already have a hub for this program."], "code": "invalid"}],
    }
    # the REST serializer's rules, per field
    assert bad["data"]["createHub"]["errors"] == [
        {"field": "title", "messages": ["Ensure this field has no more than 200 characters."], "code": "max_length"},
        {"field": "visibility", "messages": ['"wide" is not a valid choice.'], "code": "invalid_choice"},
    ]
    assert Hub.objects.filter(owner=user).count() == 1


def test_anonymous_writes_are_refused_like_rest(graphql, api_client, my_hub):
    rest = api_client.patch(f"/api/v1/hubs/{my_hub.slug}/", {"title": "Mine now"}, format="json")
    result = graphql(UPDATE_HUB, {"hub": my_hub.slug, "input": {"title": "Mine now"}})

    assert rest.status_code == 401
    assert_refused_like_rest(result, 401, field="updateHub")
    my_hub.refresh_from_db()
    assert my_hub.title != "Mine now"


def test_update_hub_by_slug_id_or_relay_id(graphql, user, my_hub):
    by_slug = graphql(UPDATE_HUB, {"hub": "my-hub", "input": {"overview": "# Hi"}}, member=user)
    by_id = graphql(UPDATE_HUB, {"hub": str(my_hub.pk), "input": {"visibility": "private"}}, member=user)

    assert by_slug["data"]["updateHub"] == {
        "hub": {"slug": "my-hub", "overviewHtml": "<h1>Hi</h1>\n", "visibility": "public"},
        "errors": [],
    }
    assert by_id["data"]["updateHub"]["hub"]["visibility"] == "private"


def test_someone_elses_hub_is_refused_like_rest(graphql, client_for, my_hub):
    other = MembershipFactory(cohort=my_hub.cohort).user
    private = HubFactory(visibility=Hub.Visibility.PRIVATE)

    for hub, in_rest in ((my_hub, 403), (private, 404)):
        rest = client_for(other).patch(f"/api/v1/hubs/{hub.slug}/", {"title": "Taken"}, format="json")
        result = graphql(UPDATE_HUB, {"hub": hub.slug, "input": {"title": "Taken"}}, member=other)
        assert rest.status_code == in_rest
        assert_refused_like_rest(result, in_rest, field="updateHub")
        deleted = graphql(DELETE_HUB, {"hub": hub.slug}, member=other)
        assert_refused_like_rest(deleted, in_rest, field="deleteHub")
    assert Hub.objects.filter(title="Taken").count() == 0
    assert Hub.objects.count() == 2


def test_delete_hub(graphql, user, my_hub):
    result = graphql(DELETE_HUB, {"hub": "my-hub"}, member=user)

    assert result["data"]["deleteHub"] == {"deletedId": "my-hub", "errors": []}
    assert not Hub.objects.filter(pk=my_hub.pk).exists()


def test_create_entry_renders_recognises_and_places_it(graphql, user, my_hub, taxonomy):
    result = graphql(
        CREATE_ENTRY,
        {"input": {"hub": "my-hub", "kind": "learning", "title": "Celery", "body": "Used **Celery** with Redis."}},
        member=user,
    )

    entry = result["data"]["createEntry"]["entry"]
    assert result["data"]["createEntry"]["errors"] == []
    assert (entry["kind"], entry["title"], entry["status"], entry["position"]) == ("learning", "Celery", "draft", 0)
    assert entry["bodyHtml"] == "<p>Used <strong>Celery</strong> with Redis.</p>\n"
    assert {"celery", "redis"} <= {t["slug"] for t in entry["topics"]}
    assert entry["hub"] == {"slug": "my-hub"}
    assert Entry.objects.get(pk=entry["databaseId"]).revisions.count() == 1


def test_entry_field_errors_from_the_serializer_and_the_service(graphql, user, my_hub):
    bad_input = graphql(
        CREATE_ENTRY, {"input": {"hub": "my-hub", "kind": "poem", "title": "T", "topics": ["Not A Slug"]}}, member=user
    )
    not_a_challenge = graphql(
        CREATE_ENTRY, {"input": {"hub": "my-hub", "kind": "note", "title": "T", "problem": "x"}}, member=user
    )

    assert bad_input["data"]["createEntry"] == {
        "entry": None,
        "errors": [
            {"field": "topics.0", "messages": [
                "Enter a valid \"slug\" consisting of letters, numbers, underscores or hyphens."
            ], "code": "invalid"},
            {"field": "kind", "messages": ['"poem" is not a valid choice.'], "code": "invalid_choice"},
        ],
    }  # fmt: skip
    assert not_a_challenge["data"]["createEntry"]["entry"] is None
    assert [e["field"] for e in not_a_challenge["data"]["createEntry"]["errors"]] == ["problem"]
    assert Entry.objects.count() == 0


def test_update_publish_move_and_delete_an_entry(graphql, user, my_hub):
    first = EntryFactory(hub=my_hub, position=0, status=Entry.Status.DRAFT, published_at=None)
    second = EntryFactory(hub=my_hub, position=1)

    updated = graphql(UPDATE_ENTRY, {"id": str(first.pk), "input": {"title": "Renamed"}}, member=user)
    published = graphql(PUBLISH_ENTRY, {"id": str(first.pk)}, member=user)
    moved = graphql(MOVE_ENTRY, {"id": str(second.pk), "position": 0}, member=user)
    bad_move = graphql(MOVE_ENTRY, {"id": str(second.pk), "position": -1}, member=user)

    assert updated["data"]["updateEntry"] == {"entry": {"title": "Renamed", "status": "draft"}, "errors": []}
    assert published["data"]["publishEntry"] == {"entry": {"status": "published"}, "errors": []}
    assert moved["data"]["moveEntry"] == {"entry": {"position": 0}, "errors": []}
    assert bad_move["data"]["moveEntry"] == {"entry": None, "errors": [{"field": "position"}]}
    first.refresh_from_db()
    assert (first.title, first.status, first.position) == ("Renamed", Entry.Status.PUBLISHED, 1)
    assert first.published_at is not None

    deleted = graphql(DELETE_ENTRY, {"id": str(first.pk)}, member=user)
    assert deleted["data"]["deleteEntry"] == {"deletedId": str(first.pk), "errors": []}
    second.refresh_from_db()
    assert second.position == 0  # positions stay dense


def test_someone_elses_entry_is_refused_like_rest(graphql, client_for, my_hub):
    entry = EntryFactory(hub=my_hub, title="Mine")
    draft = EntryFactory(hub=my_hub, status=Entry.Status.DRAFT, published_at=None)
    other = MembershipFactory(cohort=my_hub.cohort).user

    for target, in_rest in ((entry, 403), (draft, 404)):
        rest = client_for(other).patch(f"/api/v1/entries/{target.pk}/", {"title": "Taken"}, format="json")
        assert rest.status_code == in_rest
        for query, field, variables in (
            (UPDATE_ENTRY, "updateEntry", {"id": str(target.pk), "input": {"title": "Taken"}}),
            (PUBLISH_ENTRY, "publishEntry", {"id": str(target.pk)}),
            (DELETE_ENTRY, "deleteEntry", {"id": str(target.pk)}),
        ):
            assert_refused_like_rest(graphql(query, variables, member=other), in_rest, field=field)
    assert_refused_like_rest(graphql(DELETE_ENTRY, {"id": "not-an-id"}, member=other), 404, field="deleteEntry")
    assert Entry.objects.filter(title="Taken").count() == 0
    assert Entry.objects.count() == 2


def test_import_readme_dry_run_then_for_real(graphql, user, taxonomy):
    program = MembershipFactory(user=user).cohort.program

    dry = graphql(IMPORT, {"input": {"markdown": README, "program": program.slug, "dryRun": True}}, member=user)
    real = graphql(IMPORT, {"input": {"markdown": README, "program": program.slug}}, member=user)
    again = graphql(IMPORT, {"input": {"markdown": README, "program": program.slug}}, member=user)
    empty = graphql(IMPORT, {"input": {"program": program.slug}}, member=user)

    assert dry["data"]["importReadme"]["result"] | {"created": None} == {
        "dryRun": True, "hubCreated": True, "created": None, "updated": 0, "unchanged": 0, "kept": 0,
        "title": "Project Nexus", "hub": None,
    }  # fmt: skip
    result = real["data"]["importReadme"]["result"]
    assert result["dryRun"] is False and result["hubCreated"] is True
    assert result["created"] == dry["data"]["importReadme"]["result"]["created"] > 0
    assert result["hub"]["slug"] == Hub.objects.get(owner=user).slug
    assert again["data"]["importReadme"]["result"]["created"] == 0
    assert again["data"]["importReadme"]["result"]["unchanged"] == result["created"]
    assert empty["data"]["importReadme"] == {
        "result": None,
        "errors": [
            {
                "field": "nonFieldErrors",
                "messages": ["Send the README either as `markdown` or as `file`, not both."],
                "code": "invalid",
            }
        ],
    }


UPDATE_HUB_DEEP = """
mutation ($hub: ID!) {
  updateHub(hub: $hub, input: {title: "Renamed"}) {
    hub { title entries { title topics { slug } author { username } } }
    errors { field }
  }
}
"""


def test_a_mutation_answer_loads_nested_lists_in_constant_queries(graphql, user, my_hub):
    graphql(UPDATE_HUB_DEEP, {"hub": "my-hub"}, member=user)  # warm: per-process lookups made once
    counts = []
    for _ in range(2):
        for _ in range(3):
            EntryFactory(hub=my_hub).topics.add(TopicFactory())
        with CaptureQueriesContext(connection) as queries:
            result = graphql(UPDATE_HUB_DEEP, {"hub": "my-hub"}, member=user)
        assert result["data"]["updateHub"]["errors"] == []
        counts.append((len(result["data"]["updateHub"]["hub"]["entries"]), len(queries.captured_queries)))

    (three, first), (six, second) = counts
    assert (three, six) == (3, 6)
    assert first == second  # the entries, their topics and authors are batched, not one query per entry
