"""The hubs and entries REST contract: payloads, filters, paging, revisions, query counts."""

import json

import pytest

from nexus.cohorts.tests.factories import MembershipFactory, ProgramFactory
from nexus.hubs.models import Entry
from nexus.hubs.tests.factories import ChallengeFactory, EntryFactory, HubFactory
from nexus.topics.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def my_hub(user):
    membership = MembershipFactory(user=user)
    return HubFactory(owner=user, program=membership.cohort.program, cohort=membership.cohort, slug="my-hub")


def test_client_journey_register_tokens_hub_entries_filter_page_logout(api_client, taxonomy):
    """Register, get tokens, refresh, create a hub and entries of every kind, filter, page, log out."""
    ProgramFactory(slug="prodev-backend", name="ProDev Backend")
    register = api_client.post(
        "/api/v1/auth/register/", {"username": "ada", "email": "ada@example.com", "password": "a-long-passphrase"}
    )
    assert register.status_code == 201
    pair = api_client.post("/api/v1/auth/token/", {"username": "ada", "password": "a-long-passphrase"}).json()
    pair = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")

    hub = api_client.post(
        "/api/v1/hubs/", {"program": "prodev-backend", "title": "Ada's Nexus", "visibility": "public"}
    )
    assert hub.status_code == 201, hub.json()
    assert hub.json()["slug"] == "ada-prodev-backend"
    kinds = {
        "learning": {"title": "Django REST Framework", "body": "Serializers and viewsets with DRF."},
        "challenge": {"title": "CORS", "problem": "Browser blocked calls.", "solution": "django-cors-headers."},
        "practice": {"title": "Environment variables", "body": "Keep secrets out of git."},
        "note": {"title": "Collaboration", "body": "Shared endpoints on Discord."},
    }
    for kind, fields in kinds.items():
        created = api_client.post(
            "/api/v1/entries/", {"hub": "ada-prodev-backend", "kind": kind, "status": "published", **fields}
        )
        assert created.status_code == 201, created.json()

    challenges = api_client.get("/api/v1/entries/?kind=challenge").json()["results"]
    assert [(e["title"], e["problem"], e["solution"]) for e in challenges] == [
        ("CORS", "Browser blocked calls.", "django-cors-headers.")
    ]
    drf = api_client.get("/api/v1/entries/?topic=drf").json()["results"]
    assert [e["title"] for e in drf] == ["Django REST Framework"]
    first = api_client.get("/api/v1/entries/?hub=ada-prodev-backend&page_size=3").json()
    second = api_client.get(first["next"]).json()
    assert [e["kind"] for e in first["results"] + second["results"]] == list(kinds)
    assert second["next"] is None

    assert api_client.post("/api/v1/auth/logout/", {"refresh": pair["refresh"]}).status_code == 204
    api_client.credentials()
    assert api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401


def test_entry_payload(auth_client, my_hub, taxonomy):
    response = auth_client.post(
        "/api/v1/entries/",
        {
            "hub": my_hub.pk,
            "kind": "challenge",
            "section": "Challenges & Solutions",
            "title": "Celery tasks hanging",
            "problem": "Tasks queued behind **RabbitMQ** never ran.",
            "solution": "Retry the broker connection on startup.",
            "outcome": "No lost tasks.",
            "references": ["https://docs.celeryq.dev/", "app/tasks.py"],
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "hub": {"id": my_hub.pk, "slug": "my-hub", "title": my_hub.title},
        "author": {"username": my_hub.owner.username, "display_name": my_hub.owner.profile.display_name},
        "kind": "challenge",
        "section": "Challenges & Solutions",
        "title": "Celery tasks hanging",
        "body": "",
        "body_html": "",
        "problem": "Tasks queued behind **RabbitMQ** never ran.",
        "problem_html": "<p>Tasks queued behind <strong>RabbitMQ</strong> never ran.</p>\n",
        "solution": "Retry the broker connection on startup.",
        "solution_html": "<p>Retry the broker connection on startup.</p>\n",
        "outcome": "No lost tasks.",
        "outcome_html": "<p>No lost tasks.</p>\n",
        "topics": [{"slug": "celery", "name": "Celery"}, {"slug": "rabbitmq", "name": "RabbitMQ"}],
        "references": ["https://docs.celeryq.dev/", "app/tasks.py"],
        "status": "draft",
        "position": 0,
        "published_at": None,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }


def test_non_challenges_have_null_problem_fields_and_refuse_them(auth_client, my_hub):
    ok = auth_client.post("/api/v1/entries/", {"hub": my_hub.pk, "kind": "note", "title": "N", "topics": []})
    bad = auth_client.post(
        "/api/v1/entries/", {"hub": my_hub.pk, "kind": "note", "title": "N", "problem": "x", "topics": []}
    )
    no_problem = auth_client.post("/api/v1/entries/", {"hub": my_hub.pk, "kind": "challenge", "title": "C"})

    assert ok.json()["problem"] is None and ok.json()["solution_html"] is None
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"problem": ["Only challenges have a problem, solution and outcome."]}
    assert no_problem.status_code == 400
    assert no_problem.json()["errors"] == {"problem": ["A challenge needs a problem."]}


def test_bad_references_and_topics_are_refused(auth_client, my_hub, taxonomy):
    refs = auth_client.post(
        "/api/v1/entries/",
        {"hub": my_hub.pk, "kind": "note", "title": "N", "references": ["../etc/passwd"], "topics": []},
    )
    topics = auth_client.post(
        "/api/v1/entries/", {"hub": my_hub.pk, "kind": "note", "title": "N", "topics": ["django", "no-such-topic"]}
    )

    assert refs.status_code == 400
    assert refs.json()["errors"] == {
        "references": ["Reference 1 is neither a URL nor a relative project path: '../etc/passwd'."]
    }
    assert topics.status_code == 400
    assert topics.json()["errors"] == {"topics": ["Unknown topic(s): no-such-topic."]}
    assert Entry.objects.count() == 0


def test_markdown_is_sanitized(auth_client, my_hub):
    response = auth_client.post(
        "/api/v1/entries/",
        {
            "hub": my_hub.pk,
            "kind": "note",
            "title": "X",
            "body": "<script>x()</script>[a](javascript:x())",
            "topics": [],
        },
    )

    assert "<script" not in response.json()["body_html"]
    assert 'href="javascript' not in response.json()["body_html"]


def test_update_records_revisions_and_publishes(auth_client, my_hub, taxonomy):
    entry_id = auth_client.post(
        "/api/v1/entries/", {"hub": my_hub.pk, "kind": "learning", "title": "Docker", "body": "Containers."}
    ).json()["id"]

    auth_client.patch(f"/api/v1/entries/{entry_id}/", {"body": "Containers and Compose.", "status": "published"})
    unchanged = auth_client.patch(f"/api/v1/entries/{entry_id}/", {"body": "Containers and Compose."})
    revisions = auth_client.get(f"/api/v1/entries/{entry_id}/revisions/").json()["results"]

    assert unchanged.json()["status"] == "published"
    assert unchanged.json()["published_at"] is not None
    assert [(r["number"], r["body"], r["status"]) for r in revisions] == [
        (2, "Containers and Compose.", "published"),
        (1, "Containers.", "draft"),
    ]
    assert revisions[0]["editor"] == my_hub.owner.username
    assert revisions[0]["topics"] == ["docker"]


def test_positions_stay_dense_on_insert_move_and_delete(auth_client, my_hub):
    ids = [
        auth_client.post("/api/v1/entries/", {"hub": my_hub.pk, "kind": "note", "title": t, "topics": []}).json()["id"]
        for t in "ABC"
    ]
    inserted = auth_client.post(
        "/api/v1/entries/", {"hub": my_hub.pk, "kind": "note", "title": "first", "position": 0, "topics": []}
    )
    auth_client.patch(f"/api/v1/entries/{ids[2]}/", {"position": 1})
    auth_client.delete(f"/api/v1/entries/{ids[0]}/")

    listed = auth_client.get(f"/api/v1/entries/?hub={my_hub.slug}").json()["results"]
    assert inserted.json()["position"] == 0
    assert [(e["title"], e["position"]) for e in listed] == [("first", 0), ("C", 1), ("B", 2)]


def test_filters(auth_client, user, my_hub, taxonomy):
    django = Topic.objects.get(slug="django")
    orm = Topic.objects.get(slug="django-orm")
    EntryFactory(hub=my_hub, title="ORM tricks", body="select_related").topics.add(orm)
    EntryFactory(hub=my_hub, title="Django basics").topics.add(django)
    ChallengeFactory(hub=my_hub, title="CORS again", status=Entry.Status.DRAFT, published_at=None)
    EntryFactory(title="Someone else's")

    def titles(query):
        response = auth_client.get(f"/api/v1/entries/?{query}")
        assert response.status_code == 200, response.json()
        return sorted(e["title"] for e in response.json()["results"])

    assert titles("topic=django") == ["Django basics", "ORM tricks"]  # includes sub-topics
    assert titles("topic=django-orm") == ["ORM tricks"]
    assert titles("kind=challenge") == ["CORS again"]
    assert titles("status=draft") == ["CORS again"]
    assert titles(f"author={user.username}") == ["CORS again", "Django basics", "ORM tricks"]
    assert titles(f"cohort={my_hub.cohort.slug}") == ["CORS again", "Django basics", "ORM tricks"]
    assert titles("q=select_related") == ["ORM tricks"]
    assert titles(f"hub={my_hub.pk}") == titles(f"hub={my_hub.slug}")
    assert titles("ordering=title") == ["CORS again", "Django basics", "ORM tricks", "Someone else's"]
    bad = auth_client.get("/api/v1/entries/?kind=poem&ordering=body")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"kind", "ordering"}


def test_ordering_pages_through_everything_once(auth_client, my_hub):
    for n in range(7):
        EntryFactory(hub=my_hub, title=f"T{n % 3}")  # duplicate titles: ties broken by id

    seen, url = [], "/api/v1/entries/?ordering=-title&page_size=2"
    while url:
        page = auth_client.get(url).json()
        seen += [(e["title"], e["id"]) for e in page["results"]]
        url = page["next"]

    assert len(seen) == 7 and len(set(seen)) == 7
    assert [t for t, _ in seen] == sorted((t for t, _ in seen), reverse=True)


def test_entry_list_query_count_is_constant(client_for, django_assert_num_queries, taxonomy):
    hub = HubFactory()
    topics = list(Topic.objects.all()[:3])
    for _ in range(12):
        EntryFactory(hub=hub).topics.set(topics)
    client = client_for(hub.owner)

    # user (token), the page's keys, their rows with hub/author/profile, their topics
    with django_assert_num_queries(4):
        small = client.get("/api/v1/entries/?page_size=2")
    with django_assert_num_queries(4):
        large = client.get("/api/v1/entries/?page_size=50")
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 12
    assert all(len(e["topics"]) == 3 for e in large.json()["results"])
    # user (token), the entry's row with hub and author, its topics
    with django_assert_num_queries(3):
        detail = client.get(f"/api/v1/entries/{large.json()['results'][0]['id']}/")
    assert detail.status_code == 200 and len(detail.json()["topics"]) == 3


def test_hub_list_query_count_is_constant(client_for, django_assert_num_queries, user):
    for _ in range(6):
        HubFactory(visibility="public")
    client = client_for(user)

    # user (token), hubs with owner/profile/program/cohort (cohort visibility is a subquery)
    with django_assert_num_queries(2):
        small = client.get("/api/v1/hubs/?page_size=2")
    with django_assert_num_queries(2):
        large = client.get("/api/v1/hubs/?page_size=50")
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 6


def test_hub_create_rules(auth_client, user):
    membership = MembershipFactory(user=user)
    program = membership.cohort.program

    first = auth_client.post("/api/v1/hubs/", {"program": program.slug, "title": "Mine", "visibility": "cohort"})
    again = auth_client.post("/api/v1/hubs/", {"program": program.slug, "title": "Twice"})
    unknown = auth_client.post("/api/v1/hubs/", {"program": "nope", "title": "X"})
    other = ProgramFactory()
    no_cohort = auth_client.post("/api/v1/hubs/", {"program": other.slug, "title": "X", "visibility": "cohort"})

    assert first.status_code == 201
    assert first.json()["cohort"] == {"slug": membership.cohort.slug, "name": membership.cohort.name}
    assert again.json()["errors"] == {"program": ["You already have a hub for this program."]}
    assert unknown.json()["errors"] == {"program": ["No program 'nope'."]}
    assert no_cohort.json()["errors"] == {
        "visibility": ["A cohort-visible hub needs a cohort; join one of the program first."]
    }


def test_hub_patch_renders_overview(auth_client, my_hub):
    response = auth_client.patch(f"/api/v1/hubs/{my_hub.slug}/", {"overview": "# Hi", "visibility": "private"})

    assert response.status_code == 200
    assert response.json()["overview_html"] == "<h1>Hi</h1>\n"
    assert response.json()["visibility"] == "private"


def test_entry_rows_give_exactly_what_the_serializer_documents(client_for, taxonomy):
    """The read path builds entries from rows; the documented serializer is the yardstick."""
    from nexus.accounts.models import Profile
    from nexus.hubs.api.serializers import EntrySerializer
    from nexus.hubs.selectors import entry_queryset

    hub = HubFactory(visibility="public")
    Profile.objects.filter(user=hub.owner).update(display_name="Ada L.")
    nameless = HubFactory(visibility="public")
    Profile.objects.filter(user=nameless.owner).delete()  # a member without a profile row
    topics = list(Topic.objects.order_by("slug")[:3])
    made = [
        EntryFactory(hub=hub, kind="challenge", problem="CORS *blocked*", solution="`corsheaders`", outcome="ok"),
        EntryFactory(hub=hub, kind="learning", references=["https://example.org/a"]),
        EntryFactory(hub=nameless, kind="note", status="draft"),
        EntryFactory(hub=nameless, kind="practice"),
    ]
    made[0].topics.set(topics)
    made[1].topics.set(topics[:1])

    for client in (client_for(None), client_for(nameless.owner)):
        listed = client.get("/api/v1/entries/?page_size=50").json()["results"]
        assert listed, "nothing listed"
        shown = entry_queryset(actor=nameless.owner).filter(pk__in=[x["id"] for x in listed])
        expected = {e.pk: EntrySerializer(e).data for e in shown}
        for got in listed:
            assert got == json.loads(json.dumps(expected[got["id"]])), got["title"]
            detail = client.get(f"/api/v1/entries/{got['id']}/").json()
            assert detail == got
    assert {e["author"]["display_name"] for e in listed} == {"Ada L.", nameless.owner.username}


def test_unfiltered_list_defaults_match_the_filter_serializer():
    from nexus.hubs.api.serializers import EntryFilterSerializer, entry_filters

    validated = EntryFilterSerializer(data={})
    validated.is_valid(raise_exception=True)

    assert entry_filters({}) == entry_filters({"page_size": "5", "cursor": "x"}) == dict(validated.validated_data)
    assert entry_filters({"kind": "note"}) == {"kind": "note", "ordering": "-created_at"}
