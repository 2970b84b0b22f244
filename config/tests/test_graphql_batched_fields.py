"""Computed fields batched per request: a list of N parents costs the same queries for N=2 and N=5 (pinned)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nexus.accounts.tests.factories import UserFactory
from nexus.knowledge.tests.factories import ProblemConfirmationFactory, ProblemLinkFactory, SolutionConfirmationFactory
from nexus.registry.models import ApiSchemaVersion, HealthCheck, RegisteredApi
from nexus.registry.tests.factories import ApiConsumerFactory, RegisteredApiFactory

pytestmark = pytest.mark.django_db

PROBLEMS = (
    '{ problems(first: 100, ordering: "title") { edges { node { title hitByMe'
    " solutions { entry { title } confirmations confirmedByMe } } } } }"
)
APIS = "{ apis(first: 100) { edges { node { slug uptime { last24h last7d } latestVersion { number title } } } } }"


def _counted(graphql, query: str, reader) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        data = graphql(query, member=reader)
    assert "errors" not in data, data
    return len(captured), data


def _problems(n: int, reader, start: int) -> None:
    for i in range(start, start + n):
        link = ProblemLinkFactory(problem__title=f"problem {i:02}")
        if i % 2 == 0:  # every other one: the reader hit it and confirmed its solution
            ProblemConfirmationFactory(problem=link.problem, user=reader)
            SolutionConfirmationFactory(entry=link.entry, user=reader)


def _apis(n: int, start: int) -> None:
    now = timezone.now()
    for i in range(start, start + n):
        api = RegisteredApiFactory()
        for number in (1, 2):
            ApiSchemaVersion.objects.create(
                api=api, number=number, sha256="0" * 64, source="url", title=f"v{number} of {i}", document={}
            )
        HealthCheck.objects.create(api=api, checked_at=now - timedelta(hours=1), ok=True)
        HealthCheck.objects.create(api=api, checked_at=now - timedelta(days=2), ok=i % 2 == 0)


def test_problem_solutions_and_hit_by_me_are_batched(graphql):
    reader = UserFactory()
    graphql("{ me { username } }", member=reader)  # the token is issued (a write) before counting
    _problems(2, reader, 0)
    few, _ = _counted(graphql, PROBLEMS, reader)
    _problems(3, reader, 2)
    many, data = _counted(graphql, PROBLEMS, reader)

    # member; problems; hit-by-me of all; solutions of all (+ their topics, their confirmations)
    assert few == many == 6
    nodes = [edge["node"] for edge in data["data"]["problems"]["edges"]]
    assert len(nodes) == 5
    for i, node in enumerate(nodes):  # each problem got its own answers, not a neighbour's
        assert node["title"] == f"problem {i:02}"
        assert node["hitByMe"] is (i % 2 == 0)
        assert len(node["solutions"]) == 1
        assert node["solutions"][0]["confirmations"] == (1 if i % 2 == 0 else 0)
        assert node["solutions"][0]["confirmedByMe"] is (i % 2 == 0)


def test_problem_batched_fields_for_a_visitor(graphql):
    _problems(2, UserFactory(), 0)
    data = graphql(PROBLEMS)
    nodes = [edge["node"] for edge in data["data"]["problems"]["edges"]]
    assert [node["hitByMe"] for node in nodes] == [False, False]
    assert [node["solutions"][0]["confirmedByMe"] for node in nodes] == [False, False]


def test_api_uptime_and_latest_version_are_batched(graphql):
    reader = UserFactory()
    graphql("{ me { username } }", member=reader)
    _apis(2, 0)
    few, _ = _counted(graphql, APIS, reader)
    _apis(3, 2)
    many, data = _counted(graphql, APIS, reader)

    assert few == many == 4  # member; APIs; uptime of all; latest version of all
    nodes = {edge["node"]["slug"]: edge["node"] for edge in data["data"]["apis"]["edges"]}
    assert len(nodes) == 5
    for node in nodes.values():
        assert node["latestVersion"]["number"] == 2
        assert node["latestVersion"]["title"].startswith("v2 of ")
        assert node["uptime"]["last24h"] == 100.0
    assert sorted(node["uptime"]["last7d"] for node in nodes.values()) == [50.0, 50.0, 100.0, 100.0, 100.0]


def test_api_without_versions_or_checks(graphql):
    RegisteredApiFactory()
    data = graphql(APIS)
    node = data["data"]["apis"]["edges"][0]["node"]
    assert node["latestVersion"] is None
    assert node["uptime"] == {"last24h": None, "last7d": None}


def test_batched_through_relations(graphql):
    """Parents reached through a relation (entry -> problem link -> problem, consumed -> API) are batched too."""
    reader = UserFactory()
    graphql("{ me { username } }", member=reader)
    entries = "{ entries(first: 100) { edges { node { problemLink { problem { hitByMe solutions { score } } } } } } }"
    consumed = "{ apisConsumed(first: 100) { edges { node { api { uptime { last7d } latestVersion { number } } } } } }"

    def make(n: int, start: int) -> None:
        _problems(n, reader, start)
        _apis(n, start)
        for api in RegisteredApi.objects.exclude(consumers__user=reader):
            ApiConsumerFactory(api=api, user=reader)

    make(2, 0)
    few = [_counted(graphql, query, reader)[0] for query in (entries, consumed)]
    make(3, 2)
    many = [_counted(graphql, query, reader)[0] for query in (entries, consumed)]
    assert few == many
    data = graphql(entries, member=reader)["data"]["entries"]["edges"]
    hits = [edge["node"]["problemLink"]["problem"]["hitByMe"] for edge in data]
    assert sorted(hits) == [False, False, True, True, True]
