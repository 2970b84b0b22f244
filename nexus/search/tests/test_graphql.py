"""Search through GraphQL: the same selector, the same hits, facets and validation as REST."""

from __future__ import annotations

import pytest

from nexus.search import services
from nexus.search.tests.conftest import make_entry

pytestmark = pytest.mark.django_db

SEARCH = """
query($q: String!, $kind: String, $first: Int, $cursor: String) {
  search(q: $q, kind: $kind, first: $first, cursor: $cursor) {
    count countIsLowerBound nextCursor
    hits { type id kind title titleHtml url }
    facets { kind { value count } }
  }
}
"""


def test_search_agrees_with_rest(api_client, graphql, world):
    # given: three public entries about wombats and a private one, indexed
    entries = [make_entry(hub=world.public_hub, title=f"Wombat {i}", body="wombat") for i in range(3)]
    entries.append(make_entry(hub=world.private_hub, title="Secret wombat", body="wombat"))
    services.index_objects(source="entry", pks=[e.pk for e in entries])
    # when
    rest = api_client.get("/api/v1/search/?q=wombat&page_size=2").json()
    data = graphql(SEARCH, {"q": "wombat", "first": 2})["data"]["search"]
    following = graphql(SEARCH, {"q": "wombat", "first": 2, "cursor": data["nextCursor"]})["data"]["search"]
    # then
    assert data["count"] == rest["count"] == 3
    assert [(h["type"], h["id"], h["titleHtml"]) for h in data["hits"]] == [
        (h["type"], h["id"], h["title_html"]) for h in rest["results"]
    ]
    assert data["facets"]["kind"] == rest["facets"]["kind"]
    assert len(following["hits"]) == 1 and following["nextCursor"] is None
    assert "Secret" not in str(data) + str(following)


def test_bad_search_input_is_a_field_error(graphql, api_client):
    rest = api_client.get("/api/v1/search/?q=x&kind=poem").json()
    data = graphql(SEARCH, {"q": "x", "kind": "poem"})

    assert data["errors"][0]["extensions"]["errors"] == rest["errors"]
