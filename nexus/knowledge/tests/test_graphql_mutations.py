"""Knowledge-base mutations: confirmations, verification, attaching, and mentors' curation --
the same services, rules and refusals as REST."""

from __future__ import annotations

import pytest

from nexus.accounts.tests.factories import UserFactory
from nexus.core.tests.graphql_parity import assert_refused_like_rest
from nexus.knowledge.models import Problem, ProblemLink, SolutionConfirmation, SolutionVerification

pytestmark = pytest.mark.django_db

CELERY = "Celery tasks stuck behind RabbitMQ"
CELERY_PROBLEM = "Celery tasks never left the RabbitMQ queue; the worker sat idle with no consumer."

CONFIRM_PROBLEM = """
mutation ($id: ID!) { confirmProblem(id: $id) { state { hitCount hitByMe problem { databaseId } } errors { field } } }
"""
UNCONFIRM_PROBLEM = "mutation ($id: ID!) { unconfirmProblem(id: $id) { state { hitCount hitByMe } errors { field } } }"
CONFIRM_SOLUTION = """
mutation ($entry: ID!) {
  confirmSolution(entryId: $entry) { state { confirmations confirmedByMe entry { databaseId } } errors { field } }
}
"""
UNCONFIRM_SOLUTION = """
mutation ($entry: ID!) { unconfirmSolution(entryId: $entry) { state { confirmations confirmedByMe } errors { field } } }
"""
VERIFY = """
mutation ($entry: ID!) { verifySolution(entryId: $entry) { state { verified verifiedBy verifiedAt } errors { field } } }
"""
UNVERIFY = (
    "mutation ($entry: ID!) { unverifySolution(entryId: $entry) { state { verified verifiedBy } errors { field } } }"
)
MERGE = """
mutation ($id: ID!, $target: ID!) { mergeProblem(id: $id, target: $target) { problem { databaseId } errors { field } } }
"""
SPLIT = """
mutation ($id: ID!, $input: ProblemSplitInput!) {
  splitProblem(id: $id, input: $input) { problem { databaseId title } errors { field messages } }
}
"""
RENAME = """
mutation ($id: ID!, $input: ProblemRenameInput!) {
  renameProblem(id: $id, input: $input) { problem { title curated } errors { field messages code } }
}
"""
ATTACH = """
mutation ($entry: ID!, $problem: ID!) {
  attachChallenge(entryId: $entry, problem: $problem) {
    link { confidence attachedBy problem { databaseId } }
    errors { field messages }
  }
}
"""


def test_i_hit_this_too_is_idempotent_and_undoable(challenge, graphql):
    entry = challenge(CELERY, CELERY_PROBLEM)
    problem = str(entry.problem_link.problem_id)
    member = UserFactory()

    first = graphql(CONFIRM_PROBLEM, {"id": problem}, member=member)
    again = graphql(CONFIRM_PROBLEM, {"id": problem}, member=member)
    undone = graphql(UNCONFIRM_PROBLEM, {"id": problem}, member=member)

    assert first["data"]["confirmProblem"] == {
        "state": {"hitCount": 2, "hitByMe": True, "problem": {"databaseId": int(problem)}},
        "errors": [],
    }
    assert again["data"]["confirmProblem"]["state"]["hitCount"] == 2
    assert undone["data"]["unconfirmProblem"] == {"state": {"hitCount": 1, "hitByMe": False}, "errors": []}
    assert_refused_like_rest(graphql(CONFIRM_PROBLEM, {"id": problem}), 401, field="confirmProblem")


def test_worked_for_me_and_its_refusals_match_rest(challenge, graphql, client_for):
    entry = challenge(CELERY, CELERY_PROBLEM)
    member = UserFactory()

    confirmed = graphql(CONFIRM_SOLUTION, {"entry": str(entry.pk)}, member=member)
    undone = graphql(UNCONFIRM_SOLUTION, {"entry": str(entry.pk)}, member=member)
    own_rest = client_for(entry.hub.owner).post(f"/api/v1/entries/{entry.pk}/confirmations/")
    own = graphql(CONFIRM_SOLUTION, {"entry": str(entry.pk)}, member=entry.hub.owner)

    assert confirmed["data"]["confirmSolution"] == {
        "state": {"confirmations": 1, "confirmedByMe": True, "entry": {"databaseId": entry.pk}},
        "errors": [],
    }
    assert undone["data"]["unconfirmSolution"] == {"state": {"confirmations": 0, "confirmedByMe": False}, "errors": []}
    assert own_rest.status_code == 403
    assert_refused_like_rest(own, 403, field="confirmSolution")
    assert own["errors"][0]["message"] == own_rest.json()["detail"] == "You cannot confirm your own solution."
    assert not SolutionConfirmation.objects.exists()


def test_a_private_challenge_is_not_found(challenge, graphql, client_for):
    entry = challenge(CELERY, CELERY_PROBLEM, visibility="private")
    member = UserFactory()

    assert client_for(member).post(f"/api/v1/entries/{entry.pk}/confirmations/").status_code == 404
    assert_refused_like_rest(
        graphql(CONFIRM_SOLUTION, {"entry": str(entry.pk)}, member=member), 404, field="confirmSolution"
    )
    assert not SolutionConfirmation.objects.exists()


def test_verification_needs_a_mentor_of_the_cohort(challenge, graphql, client_for, mentor):
    entry = challenge(CELERY, CELERY_PROBLEM)
    learner = UserFactory()

    assert client_for(learner).put(f"/api/v1/entries/{entry.pk}/verification/").status_code == 403
    assert_refused_like_rest(graphql(VERIFY, {"entry": str(entry.pk)}, member=learner), 403, field="verifySolution")
    assert not SolutionVerification.objects.exists()

    verified = graphql(VERIFY, {"entry": str(entry.pk)}, member=mentor)
    state = verified["data"]["verifySolution"]["state"]
    assert (state["verified"], state["verifiedBy"]) == (True, mentor.username) and state["verifiedAt"]
    undone = graphql(UNVERIFY, {"entry": str(entry.pk)}, member=mentor)
    assert undone["data"]["unverifySolution"] == {"state": {"verified": False, "verifiedBy": None}, "errors": []}


def test_mentor_merges_splits_and_renames(challenge, graphql, client_for, mentor, settings):
    settings.KNOWLEDGE_ATTACH_THRESHOLD = 0.99
    a = challenge(CELERY, CELERY_PROBLEM)
    b = challenge("Worker idle", "Nothing consumed the queue.")
    source, target = b.problem_link.problem_id, a.problem_link.problem_id

    rest = client_for(a.hub.owner).post(f"/api/v1/problems/{source}/merge/", {"target": target})
    assert rest.status_code == 403
    refused = graphql(MERGE, {"id": str(source), "target": str(target)}, member=a.hub.owner)
    assert_refused_like_rest(refused, 403, field="mergeProblem")
    assert Problem.objects.get(pk=source).merged_into_id is None

    merged = graphql(MERGE, {"id": str(source), "target": str(target)}, member=mentor)
    assert merged["data"]["mergeProblem"] == {"problem": {"databaseId": target}, "errors": []}
    assert Problem.objects.get(pk=source).merged_into_id == target

    split = graphql(SPLIT, {"id": str(target), "input": {"entryIds": [b.pk], "title": "Idle workers"}}, member=mentor)
    new = split["data"]["splitProblem"]["problem"]
    assert new["title"] == "Idle workers"
    assert ProblemLink.objects.get(entry=b).problem_id == new["databaseId"]
    empty = graphql(SPLIT, {"id": str(target), "input": {"entryIds": [], "title": "None"}}, member=mentor)
    assert empty["data"]["splitProblem"] == {
        "problem": None,
        "errors": [{"field": "entryIds", "messages": ["Ensure this field has at least 1 elements."]}],
    }

    renamed = graphql(RENAME, {"id": str(target), "input": {"title": "Celery tasks not consumed"}}, member=mentor)
    assert renamed["data"]["renameProblem"] == {
        "problem": {"title": "Celery tasks not consumed", "curated": True},
        "errors": [],
    }
    blank = graphql(RENAME, {"id": str(target), "input": {"title": ""}}, member=mentor)
    assert blank["data"]["renameProblem"] == {
        "problem": None,
        "errors": [{"field": "title", "messages": ["This field may not be blank."], "code": "blank"}],
    }


def test_attach_my_challenge_to_another_problem(challenge, graphql, client_for, settings):
    settings.KNOWLEDGE_ATTACH_THRESHOLD = 0.99
    mine = challenge(CELERY, CELERY_PROBLEM)
    other = challenge("Worker idle", "Nothing consumed the queue.")
    problem = other.problem_link.problem_id

    attached = graphql(ATTACH, {"entry": str(mine.pk), "problem": str(problem)}, member=mine.hub.owner)
    assert attached["data"]["attachChallenge"] == {
        "link": {"confidence": 1.0, "attachedBy": "member", "problem": {"databaseId": problem}},
        "errors": [],
    }
    # someone else's challenge: REST says 403, and so does GraphQL
    rest = client_for(other.hub.owner).put(f"/api/v1/entries/{mine.pk}/problem/", {"problem": problem})
    assert rest.status_code == 403
    theirs = graphql(ATTACH, {"entry": str(mine.pk), "problem": str(problem)}, member=other.hub.owner)
    assert_refused_like_rest(theirs, 403, field="attachChallenge")
