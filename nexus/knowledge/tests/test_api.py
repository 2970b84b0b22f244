"""The knowledge REST contract: problems, ranked solutions, similarity, confirmations, curation."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from nexus.accounts.tests.factories import UserFactory
from nexus.hubs.models import Hub
from nexus.knowledge.models import SolutionConfirmation, SolutionVerification

pytestmark = pytest.mark.django_db

CELERY = "Celery tasks stuck behind RabbitMQ"
CELERY_PROBLEM = "Celery tasks never left the RabbitMQ queue; the worker sat idle with no consumer."


def test_problem_detail_ranks_solutions_and_hides_what_you_may_not_read(challenge, client_for, mentor):
    # given an old verified solution, a newer one confirmed recently, and a private duplicate
    now = timezone.now()
    old = challenge(CELERY, CELERY_PROBLEM, published_at=now - timedelta(days=720), solution="Restart the worker.")
    new = challenge(CELERY, CELERY_PROBLEM, published_at=now - timedelta(days=10), solution="Declare the queue.")
    hidden = challenge(CELERY, CELERY_PROBLEM, visibility=Hub.Visibility.PRIVATE, solution="Private text.")
    problem_id = old.problem_link.problem_id
    assert new.problem_link.problem_id == hidden.problem_link.problem_id == problem_id
    verification = SolutionVerification.objects.create(entry=old, verified_by=mentor)
    SolutionVerification.objects.filter(pk=verification.pk).update(created_at=now - timedelta(days=700))
    reader = UserFactory()
    for member in (UserFactory(), reader):
        assert client_for(member).post(f"/api/v1/entries/{new.pk}/confirmations/").status_code == 200

    # when
    response = client_for(reader).get(f"/api/v1/problems/{problem_id}/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["hit_count"] == 3 and body["title"] == CELERY and body["hit_by_me"] is False
    assert [(s["id"], s["confirmations"], s["verified"], s["confirmed_by_me"]) for s in body["solutions"]] == [
        (new.pk, 2, False, True),
        (old.pk, 0, True, False),
    ]
    assert "Private text" not in response.content.decode()

    # and a fresh verification puts the old one back on top (the row is moved in time behind the
    # services' back, so the cached page is dropped by hand)
    SolutionVerification.objects.filter(entry=old).update(created_at=now)
    cache.clear()
    ranked = client_for(reader).get(f"/api/v1/problems/{problem_id}/").json()["solutions"]
    assert [s["id"] for s in ranked] == [old.pk, new.pk]


def test_problem_made_only_of_private_challenges_is_a_404(challenge, api_client):
    entry = challenge(CELERY, CELERY_PROBLEM, visibility=Hub.Visibility.PRIVATE)
    response = api_client.get(f"/api/v1/problems/{entry.problem_link.problem_id}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert api_client.get("/api/v1/problems/").json()["results"] == []


def test_problem_list_orders_by_learners_who_hit_it_and_filters(challenge, api_client, cohort):
    single = challenge("CORS errors from the React frontend", "The browser blocked calls: no CORS headers.")
    for _ in range(2):
        challenge(CELERY, CELERY_PROBLEM)
    body = api_client.get("/api/v1/problems/").json()
    assert [(p["title"], p["hit_count"]) for p in body["results"]] == [(CELERY, 2), (single.title, 1)]
    assert [p["title"] for p in api_client.get("/api/v1/problems/?q=cors").json()["results"]] == [single.title]
    assert len(api_client.get(f"/api/v1/problems/?cohort={cohort.slug}").json()["results"]) == 2
    assert api_client.get("/api/v1/problems/?cohort=nope").json()["results"] == []
    assert api_client.get("/api/v1/problems/?ordering=sideways").status_code == 400


def test_similar_while_composing_and_for_an_entry(challenge, client_for):
    celery = challenge(CELERY, CELERY_PROBLEM)
    challenge("CORS errors from the React frontend", "The browser blocked calls: no CORS headers.")
    draft = {"text": "My celery worker is idle and tasks pile up in rabbitmq"}
    body = client_for(None).post("/api/v1/problems/similar/", draft, format="json").json()
    assert body["threshold"] == 0.5
    assert [r["problem"]["title"] for r in body["results"]] == [CELERY]
    assert 0 < body["results"][0]["score"] <= 1

    other = challenge("Celery worker idle", "RabbitMQ tasks pile up", link=False)
    similar = client_for(None).get(f"/api/v1/entries/{other.pk}/similar/").json()["results"]
    assert [r["problem"]["id"] for r in similar] == [celery.problem_link.problem_id]
    # its own problem is not "similar" to it
    assert client_for(None).get(f"/api/v1/entries/{celery.pk}/similar/").json()["results"] == []


def test_confirmations_are_idempotent_and_undoable_over_http(challenge, client_for):
    entry = challenge(CELERY, CELERY_PROBLEM)
    member = client_for(UserFactory())
    url = f"/api/v1/problems/{entry.problem_link.problem_id}/confirmations/"
    assert member.post(url).json() == {"problem": entry.problem_link.problem_id, "hit_count": 2, "hit_by_me": True}
    assert member.post(url).json()["hit_count"] == 2
    assert member.delete(url).json()["hit_count"] == 1
    assert member.delete(url).json() == {"problem": entry.problem_link.problem_id, "hit_count": 1, "hit_by_me": False}

    own = client_for(entry.hub.owner).post(f"/api/v1/entries/{entry.pk}/confirmations/")
    assert own.status_code == 403
    assert own.json()["detail"] == "You cannot confirm your own solution."
    assert not SolutionConfirmation.objects.exists()
    assert client_for(None).post(url).status_code == 401


def test_verification_needs_a_mentor_of_the_cohort(challenge, client_for, mentor):
    entry = challenge(CELERY, CELERY_PROBLEM)
    url = f"/api/v1/entries/{entry.pk}/verification/"
    assert client_for(UserFactory()).put(url).status_code == 403
    body = client_for(mentor).put(url).json()
    assert (body["entry"], body["verified"], body["verified_by"]) == (entry.pk, True, mentor.username)
    assert client_for(mentor).delete(url).json()["verified"] is False


def test_mentor_merges_splits_and_renames(challenge, client_for, mentor, settings):
    settings.KNOWLEDGE_ATTACH_THRESHOLD = 0.99
    a = challenge(CELERY, CELERY_PROBLEM)
    b = challenge("Worker idle", "Nothing consumed the queue.")
    source, target = b.problem_link.problem_id, a.problem_link.problem_id
    learner = client_for(a.hub.owner)
    assert learner.post(f"/api/v1/problems/{source}/merge/", {"target": target}).status_code == 403

    merged = client_for(mentor).post(f"/api/v1/problems/{source}/merge/", {"target": target}).json()
    assert (merged["id"], merged["hit_count"], len(merged["solutions"])) == (target, 2, 2)
    assert client_for(None).get(f"/api/v1/problems/{source}/").json()["merged_into"] == target

    split = client_for(mentor).post(
        f"/api/v1/problems/{target}/split/", {"entry_ids": [b.pk], "title": "Idle workers"}, format="json"
    )
    assert split.status_code == 201
    assert [s["id"] for s in split.json()["solutions"]] == [b.pk]

    renamed = client_for(mentor).patch(f"/api/v1/problems/{target}/", {"title": "Celery tasks not consumed"})
    assert (renamed.json()["title"], renamed.json()["curated"]) == ("Celery tasks not consumed", True)
    bad = client_for(mentor).patch(f"/api/v1/problems/{target}/", {"title": ""})
    assert bad.status_code == 400 and "title" in bad.json()["errors"]
