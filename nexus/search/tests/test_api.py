"""GET /api/v1/search/: payload, paging by `next`, validation, visibility, query counts."""

from __future__ import annotations

import pytest

from nexus.search import services
from nexus.search.tests.conftest import make_entry

pytestmark = pytest.mark.django_db


def test_payload(api_client, world):
    response = api_client.get("/api/v1/search/", {"q": "celery", "page_size": 5})

    assert response.status_code == 200
    body = response.json()
    [hit] = body.pop("results")
    assert body == {
        "next": None,
        "count": 1,
        "count_is_lower_bound": False,
        "facets_approximate": False,
        "facets": {
            "kind": [{"value": "challenge", "count": 1}],
            "topic": [],
            "cohort": [{"value": "be-3", "count": 1}],
            "track": [{"value": "backend", "count": 1}],
            "author": [{"value": "ada", "count": 1}],
        },
        "corrections": {},
    }
    assert hit.pop("score") > 0
    assert hit.pop("snippet_html").startswith("<mark>Celery</mark> tasks hanging behind RabbitMQ")
    assert hit == {
        "type": "entry",
        "id": world.challenge.pk,
        "kind": "challenge",
        "title": "Kestrel workers stuck",
        "title_html": "Kestrel workers stuck",
        "url": f"/api/v1/entries/{world.challenge.pk}/",
    }


def test_corrections_are_reported(api_client, world):
    body = api_client.get("/api/v1/search/", {"q": "celerry"}).json()

    assert body["corrections"] == {"celerry": ["celery"]}
    assert [r["id"] for r in body["results"]] == [world.challenge.pk]


def test_follows_next_through_every_page(api_client, world):
    extra = [make_entry(hub=world.public_hub, title=f"Wombat {i}", body="wombat") for i in range(7)]
    services.index_objects(source="entry", pks=[e.pk for e in extra])

    ids, url, pages = [], "/api/v1/search/?q=wombat&kind=learning&page_size=3", 0
    while url and pages < 5:
        body = api_client.get(url).json()
        ids += [r["id"] for r in body["results"]]
        assert body["count"] == 7
        url, pages = body["next"], pages + 1

    assert pages == 3
    assert sorted(ids) == sorted(e.pk for e in extra)


def test_next_keeps_the_filters(api_client, world):
    extra = [make_entry(hub=world.public_hub, title=f"Wombat {i}", body="wombat") for i in range(3)]
    services.index_objects(source="entry", pks=[e.pk for e in extra])

    body = api_client.get("/api/v1/search/", {"q": "wombat", "author": "ada", "page_size": 2}).json()

    assert body["next"].startswith("http://testserver/api/v1/search/?q=wombat&author=ada&page_size=2&cursor=")


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({}, {"q": ["This field is required."]}),
        ({"q": "x", "page_size": 0}, {"page_size": ["Ensure this value is greater than or equal to 1."]}),
        ({"q": "x", "page_size": 101}, {"page_size": ["Ensure this value is less than or equal to 100."]}),
        ({"q": "x", "kind": "recipe"}, {"kind": ['"recipe" is not a valid choice.']}),
        ({"q": "x", "cursor": "garbage"}, {"cursor": ["Invalid cursor."]}),
    ],
)
def test_rejects_bad_parameters(api_client, world, params, errors):
    response = api_client.get("/api/v1/search/", params)

    assert response.status_code == 400
    assert response.json()["errors"] == errors


def test_signed_in_members_find_what_they_may_read(client_for, world):
    as_classmate = client_for(world.classmate).get("/api/v1/search/", {"q": "kestrel cohort"}).json()
    as_stranger = client_for(world.stranger).get("/api/v1/search/", {"q": "kestrel cohort"}).json()

    assert [r["id"] for r in as_classmate["results"]] == [world.cohort_entry.pk]
    assert as_stranger["results"] == []
    assert as_stranger["count"] == 0
    assert as_stranger["facets"]["author"] == []


def test_query_count(api_client, client_for, world, django_assert_num_queries):
    # typo candidates, hits, facets
    with django_assert_num_queries(3):
        assert api_client.get("/api/v1/search/", {"q": "kestrel signals"}).status_code == 200
    # ...plus the bearer token's user
    member = client_for(world.owner)
    with django_assert_num_queries(4):
        assert member.get("/api/v1/search/", {"q": "kestrel signals"}).status_code == 200


def test_flags_a_lower_bound_count_and_approximate_facets(api_client, world, settings):
    settings.SEARCH_CANDIDATES = 2
    extra = [make_entry(hub=world.public_hub, title=f"Wombat {i}", body="wombat") for i in range(3)]
    services.index_objects(source="entry", pks=[e.pk for e in extra])

    body = api_client.get("/api/v1/search/", {"q": "wombat", "page_size": 5}).json()

    assert (body["count"], body["count_is_lower_bound"], body["facets_approximate"]) == (2, True, True)
    assert body["facets"]["kind"] == [{"value": "learning", "count": 2}]
    assert len(body["results"]) == 2
    assert body["next"] is None
