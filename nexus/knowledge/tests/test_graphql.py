"""Problems and solutions through GraphQL: REST's visibility and ranking, REST's similar results."""

from __future__ import annotations

import pytest

from nexus.accounts.tests.factories import UserFactory
from nexus.hubs.models import Hub
from nexus.knowledge.tests.test_api import CELERY, CELERY_PROBLEM

pytestmark = pytest.mark.django_db

PROBLEM = """
query($id: Int!) {
  problem(id: $id) {
    databaseId title hitByMe topics { slug }
    solutions { score confirmations verified confirmedByMe entry { databaseId title solutionHtml author { username } } }
  }
}
"""
PROBLEMS = "query($q: String, $o: String) { problems(q: $q, ordering: $o) { edges { node { databaseId title } } } }"


def test_problem_and_ranked_solutions_agree_with_rest(challenge, client_for, graphql):
    # given: two public solutions and a private one under the same problem
    first = challenge(CELERY, CELERY_PROBLEM, solution="Declare the queue.")
    challenge(CELERY, CELERY_PROBLEM, solution="Restart the worker.")
    challenge(CELERY, CELERY_PROBLEM, visibility=Hub.Visibility.PRIVATE, solution="Private text.")
    problem_id = first.problem_link.problem_id
    reader = UserFactory()
    assert client_for(reader).post(f"/api/v1/entries/{first.pk}/confirmations/").status_code == 200
    # when
    rest = client_for(reader).get(f"/api/v1/problems/{problem_id}/").json()
    data = graphql(PROBLEM, {"id": problem_id}, member=reader)["data"]["problem"]
    # then
    assert data["title"] == rest["title"]
    assert data["hitByMe"] is rest["hit_by_me"] is False
    assert [
        (s["entry"]["databaseId"], s["confirmations"], s["verified"], s["confirmedByMe"]) for s in data["solutions"]
    ] == [(s["id"], s["confirmations"], s["verified"], s["confirmed_by_me"]) for s in rest["solutions"]]
    assert "Private text" not in str(data)


def test_problem_of_private_challenges_is_not_found(challenge, graphql, api_client):
    entry = challenge(CELERY, CELERY_PROBLEM, visibility=Hub.Visibility.PRIVATE)
    problem_id = entry.problem_link.problem_id

    data = graphql(PROBLEM, {"id": problem_id})

    assert api_client.get(f"/api/v1/problems/{problem_id}/").status_code == 404
    assert data["data"] == {"problem": None}
    assert data["errors"][0] == {
        "message": f"No problem {problem_id}.",
        "locations": [{"line": 3, "column": 3}],
        "path": ["problem"],
        "extensions": {"code": "NOT_FOUND"},
    }
    assert graphql(PROBLEMS)["data"]["problems"]["edges"] == []


def test_problem_list_agrees_with_rest(challenge, api_client, graphql):
    challenge("CORS errors from the React frontend", "The browser blocked calls: no CORS headers.")
    for _ in range(2):
        challenge(CELERY, CELERY_PROBLEM)

    for params, variables in (("", {}), ("?q=cors", {"q": "cors"}), ("?ordering=title", {"o": "title"})):
        rest = [p["id"] for p in api_client.get(f"/api/v1/problems/{params}").json()["results"]]
        data = [e["node"]["databaseId"] for e in graphql(PROBLEMS, variables)["data"]["problems"]["edges"]]
        assert data == rest, params
    bad = graphql(PROBLEMS, {"o": "sideways"})
    assert bad["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "errors": {"ordering": ['"sideways" is not a valid choice.']},
    }


def test_similar_problems_agree_with_rest(challenge, api_client, graphql):
    celery = challenge(CELERY, CELERY_PROBLEM)
    challenge("CORS errors from the React frontend", "The browser blocked calls: no CORS headers.")
    text = "My celery worker never picks up the tasks"

    rest = api_client.post("/api/v1/problems/similar/", {"text": text}, format="json").json()
    data = graphql(
        "query($t: String!) { similarProblems(text: $t) { threshold results { score problem { databaseId } } } }",
        {"t": text},
    )["data"]["similarProblems"]
    entry = graphql(
        "query($id: Int!) { entrySimilarProblems(entryId: $id) { results { problem { databaseId } } } }",
        {"id": celery.pk},
    )["data"]["entrySimilarProblems"]
    rest_entry = api_client.get(f"/api/v1/entries/{celery.pk}/similar/").json()

    assert data["threshold"] == rest["threshold"]
    assert [(r["problem"]["databaseId"], r["score"]) for r in data["results"]] == [
        (r["problem"]["id"], r["score"]) for r in rest["results"]
    ]
    assert [r["problem"]["databaseId"] for r in entry["results"]] == [r["problem"]["id"] for r in rest_entry["results"]]


def test_list_argument_errors_are_reported_like_rest(api_client, graphql):
    body = {"text": "celery", "topics": ["fine", "not a slug!"], "limit": 50}

    rest = api_client.post("/api/v1/problems/similar/", body, format="json").json()
    data = graphql(
        "query($t: String!, $topics: [String!], $l: Int) { similarProblems(text: $t, topics: $topics, limit: $l)"
        " { threshold } }",
        {"t": body["text"], "topics": body["topics"], "l": body["limit"]},
    )

    assert data["errors"][0]["extensions"]["errors"] == rest["errors"]
    assert set(rest["errors"]) == {"topics.1", "limit"}
    assert data["errors"][0]["message"] == rest["detail"]


def test_cohort_filter_agrees_with_rest(challenge, api_client, graphql, cohort):
    # the cohort filter makes a DISTINCT query, which the visibility rule still narrows
    challenge(CELERY, CELERY_PROBLEM)
    challenge("CORS errors from the React frontend", "The browser blocked calls: no CORS headers.")
    query = "query($c: String) { problems(cohort: $c) { edges { node { databaseId } } } }"

    for slug in (cohort.slug, "nope"):
        rest = [p["id"] for p in api_client.get(f"/api/v1/problems/?cohort={slug}").json()["results"]]
        data = graphql(query, {"c": slug})
        assert "errors" not in data, data
        assert [e["node"]["databaseId"] for e in data["data"]["problems"]["edges"]] == rest
    assert len(rest) == 0 and len(data["data"]["problems"]["edges"]) == 0
