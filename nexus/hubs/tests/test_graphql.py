"""Hubs and entries through GraphQL: the same visibility as REST, one request for a hub page."""

from __future__ import annotations

import pytest

from nexus.hubs.models import Entry, Hub
from nexus.hubs.tests.factories import ChallengeFactory, EntryFactory, HubFactory
from nexus.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

HUB_PAGE = """
query HubPage($ref: String!) {
  hub(ref: $ref) {
    slug title visibility
    owner { username displayName profile { bio track } }
    program { slug name }
    entries {
      databaseId kind title status problem
      topics { slug name }
      author { username displayName }
      problemLink { confidence problem { databaseId title } }
    }
  }
}
"""


def test_hub_page_in_one_request(graphql):
    # given
    hub = HubFactory(visibility=Hub.Visibility.PUBLIC)
    topic = TopicFactory()
    entry = ChallengeFactory(hub=hub)
    entry.topics.add(topic)
    EntryFactory(hub=hub, status=Entry.Status.DRAFT, published_at=None)
    # when
    data = graphql(HUB_PAGE, {"ref": hub.slug})
    # then
    assert "errors" not in data, data
    page = data["data"]["hub"]
    assert page["slug"] == hub.slug
    assert [e["databaseId"] for e in page["entries"]] == [entry.pk]
    assert page["entries"][0]["topics"] == [{"slug": topic.slug, "name": topic.name}]
    assert page["entries"][0]["author"]["username"] == hub.owner.username
