"""Problem and topic pages are cached per viewer and never stale after a write commits.
Real commits (transaction=True): the cache is invalidated after commit."""

import pytest

from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.hubs.tests.factories import ChallengeFactory, EntryFactory, HubFactory
from nexus.knowledge import services
from nexus.topics.models import Topic

pytestmark = pytest.mark.django_db(transaction=True)

CELERY = "Celery tasks never run"
PROBLEM = "Tasks queued in RabbitMQ were never picked up by the Celery worker."


@pytest.fixture
def setup(taxonomy):
    cohort = CohortFactory()
    author = MembershipFactory(cohort=cohort).user
    hub = HubFactory(owner=author, cohort=cohort, program=cohort.program, visibility="public")
    entry = ChallengeFactory(hub=hub, title=CELERY, problem=PROBLEM, solution="Declared the queue.")
    entry.topics.set(Topic.objects.filter(slug="celery"))
    link = services.challenge_link(entry_id=entry.pk)
    return {"cohort": cohort, "author": author, "hub": hub, "entry": entry, "problem_id": link.problem_id}


def test_problem_page_hit_costs_no_query_and_writes_show_at_once(client_for, setup, django_assert_num_queries):
    visitor, reader = client_for(None), MembershipFactory(cohort=setup["cohort"]).user
    url = f"/api/v1/problems/{setup['problem_id']}/"
    first = visitor.get(url).json()
    with django_assert_num_queries(0):
        assert visitor.get(url).json() == first

    # a confirmation, an entry edit, a second member's challenge: each shows on the next read
    assert client_for(reader).post(f"/api/v1/entries/{setup['entry'].pk}/confirmations/").status_code == 200
    assert visitor.get(url).json()["solutions"][0]["confirmations"] == 1
    mine = client_for(reader).get(url).json()
    assert mine["solutions"][0]["confirmed_by_me"] is True and first["solutions"][0]["confirmed_by_me"] is False

    client_for(setup["author"]).patch(
        f"/api/v1/entries/{setup['entry'].pk}/", {"solution": "Declared the queue and restarted beat."}, format="json"
    )
    assert "restarted beat" in visitor.get(url).json()["solutions"][0]["solution_html"]


def test_problem_page_follows_visibility_at_once(client_for, setup):
    url = f"/api/v1/problems/{setup['problem_id']}/"
    member = MembershipFactory(cohort=setup["cohort"]).user
    assert client_for(None).get(url).status_code == 200

    client_for(setup["author"]).patch(f"/api/v1/hubs/{setup['hub'].slug}/", {"visibility": "cohort"}, format="json")

    assert client_for(None).get(url).status_code == 404
    assert client_for(member).get(url).status_code == 200
    Membership.objects.filter(user=member).delete()  # leaving the cohort hides it at once too
    assert client_for(member).get(url).status_code == 404


def test_topic_page_counts_and_lists_what_the_viewer_may_read(client_for, setup):
    private = HubFactory(visibility="private")
    hidden = EntryFactory(hub=private, title="Private celery notes")
    hidden.topics.set(Topic.objects.filter(slug="celery"))

    visitor = client_for(None).get("/api/v1/topics/celery/page/").json()
    owner = client_for(private.owner).get("/api/v1/topics/celery/page/").json()

    assert visitor["topic"]["slug"] == "celery" and visitor["topic"]["name"]
    assert (visitor["entries"], visitor["members"]) == (1, 1)
    assert [e["title"] for e in visitor["newest_entries"]] == [CELERY]
    assert [p["id"] for p in visitor["top_problems"]] == [setup["problem_id"]]
    assert (owner["entries"], owner["members"]) == (2, 2)
    assert client_for(None).get("/api/v1/topics/no-such-topic/page/").status_code == 404


def test_topic_page_shows_new_entries_at_once(client_for, setup):
    visitor = client_for(None)
    assert visitor.get("/api/v1/topics/celery/page/").json()["entries"] == 1

    created = client_for(setup["author"]).post(
        "/api/v1/entries/",
        {
            "hub": setup["hub"].slug,
            "kind": "learning",
            "title": "Celery beat",
            "topics": ["celery"],
            "status": "published",
        },
        format="json",
    )

    assert created.status_code == 201
    page = visitor.get("/api/v1/topics/celery/page/").json()
    assert page["entries"] == 2 and page["newest_entries"][0]["title"] == "Celery beat"
