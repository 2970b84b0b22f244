"""Nested GraphQL lists cost a fixed number of queries, whatever their length (pinned)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nexus.accounts.tests.factories import UserFactory
from nexus.hubs.tests.factories import EntryFactory, HubFactory
from nexus.knowledge.tests.factories import ProblemLinkFactory
from nexus.notifications.tests.factories import NotificationFactory
from nexus.topics.tests.factories import TopicAliasFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _entries(n: int, reader) -> None:
    topic = TopicFactory()
    for _ in range(n):
        EntryFactory(hub=HubFactory()).topics.add(topic)


def _problems(n: int, reader) -> None:
    for _ in range(n):
        ProblemLinkFactory().problem.topics.add(TopicFactory())


def _notifications(n: int, reader) -> None:
    NotificationFactory.create_batch(n, recipient=reader)


def _topics(n: int, reader) -> None:
    parent = TopicFactory()
    for _ in range(n):
        TopicAliasFactory(topic=TopicFactory(parent=parent))


CASES = {
    # query, data maker, queries: the token's member + what the comment says
    "entries with hub, author, topics": (
        "{ entries(first: 100) { edges { node { title hub { slug owner { username } }"
        " author { displayName } topics { slug } } } } }",
        _entries,
        3,  # member; entries (+hub, owner, profile in one join); topics
    ),
    "problems with topics and links": (
        "{ problems(first: 100) { edges { node { title topics { slug } } } } }",
        _problems,
        3,  # member; problems (visibility-checked); topics
    ),
    "notifications with actors": (
        "{ notifications(first: 100) { edges { node { text actor { username displayName } } } } }",
        _notifications,
        2,  # member; notifications (+actor, profile)
    ),
    "topics with parent and aliases": (
        "{ topics(first: 100) { edges { node { slug parent { slug } aliases { name } } } } }",
        _topics,
        3,  # member; topics (+parent); aliases
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_list_query_count_is_flat(graphql, case):
    query, make, expected = CASES[case]
    reader = UserFactory()

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            data = graphql(query, member=reader)
        assert "errors" not in data, data
        return len(captured)

    graphql("{ me { username } }", member=reader)  # the reader's token is issued (a write) before counting
    make(2, reader)
    few = count()
    make(10, reader)
    many = count()

    assert few == many == expected
