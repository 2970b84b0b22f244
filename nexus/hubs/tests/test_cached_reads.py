"""The hub page and README export are cached, and never stale after a write commits: entry and
hub edits, a renamed slug, a visibility change, the owner's new display name, a problem renamed
or a challenge linked, an admin edit. Real commits (transaction=True), since the cache is
invalidated after commit."""

import gzip

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils.http import parse_http_date

from nexus.accounts import services as account_services
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.hubs import selectors
from nexus.hubs.tests.factories import ChallengeFactory, EntryFactory, HubFactory
from nexus.knowledge import services as knowledge_services
from nexus.topics.models import Topic

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hub():
    hub = HubFactory(visibility="public", slug="ada-nexus")
    EntryFactory(hub=hub, title="Published one", position=0)
    EntryFactory(hub=hub, title="A draft", status="draft", published_at=None, position=1)
    return hub


def page(client, ref):
    response = client.get(f"/api/v1/hubs/{ref}/page/")
    return response.status_code, response.json() if response.status_code == 200 else None


def titles(body):
    return [e["title"] for e in body["entries"]]


def test_page_shows_the_hub_its_owner_entries_topics_and_problems(client_for, hub, taxonomy):
    challenge = ChallengeFactory(hub=hub, title="CORS blocked", position=2)
    challenge.topics.set(Topic.objects.filter(slug__in=["django", "cors"]))
    hub.entries.get(title="Published one").topics.set(Topic.objects.filter(slug="django"))
    knowledge_services.challenge_link(entry_id=challenge.pk)

    status, body = page(client_for(None), hub.slug)
    _, own = page(client_for(hub.owner), hub.pk)

    assert status == 200
    assert body["hub"]["slug"] == "ada-nexus" and body["owner"]["username"] == hub.owner.username
    assert titles(body) == ["Published one", "CORS blocked"]  # hub order, no draft for visitors
    assert titles(own) == ["Published one", "A draft", "CORS blocked"]  # the owner sees drafts
    linked = body["entries"][1]["problem_link"]
    assert linked is not None and linked["title"] == "CORS blocked"
    assert body["entries"][0]["problem_link"] is None
    assert [(t["slug"], t["entries"]) for t in body["topics"]] == [("django", 2), ("cors", 1)]


def test_anonymous_hits_need_no_query(client_for, hub, django_assert_num_queries):
    client = client_for(None)
    assert page(client, hub.slug)[0] == 200
    assert client.get(f"/api/v1/hubs/{hub.slug}/readme/").status_code == 200

    with django_assert_num_queries(0):
        assert page(client, hub.slug)[0] == 200
        assert client.get(f"/api/v1/hubs/{hub.slug}/readme/").status_code == 200


@pytest.mark.parametrize("read", ["page", "readme"])
def test_entry_writes_show_at_once(client_for, hub, read):
    owner, visitor = client_for(hub.owner), client_for(None)

    def text(client):
        return client.get(f"/api/v1/hubs/{hub.slug}/{read}/").content.decode()

    assert "Published one" in text(visitor) and "Fresh title" not in text(visitor)
    entry_id = hub.entries.get(title="Published one").pk
    owner.patch(f"/api/v1/entries/{entry_id}/", {"title": "Fresh title"}, format="json")
    assert "Fresh title" in text(visitor) and "Published one" not in text(visitor)

    owner.post(
        "/api/v1/entries/",
        {"hub": hub.slug, "kind": "learning", "title": "Brand new", "status": "published"},
        format="json",
    )
    assert "Brand new" in text(visitor)

    owner.delete(f"/api/v1/entries/{entry_id}/")
    assert "Fresh title" not in text(visitor)


def test_visibility_and_slug_changes_show_at_once(client_for, hub):
    owner, visitor = client_for(hub.owner), client_for(None)
    assert page(visitor, hub.slug)[0] == 200 and page(visitor, hub.pk)[0] == 200

    owner.patch(f"/api/v1/hubs/{hub.slug}/", {"visibility": "private"}, format="json")
    assert page(visitor, hub.slug)[0] == 404 and page(visitor, hub.pk)[0] == 404

    owner.patch(f"/api/v1/hubs/{hub.slug}/", {"visibility": "public", "slug": "ada-renamed"}, format="json")
    assert page(visitor, "ada-nexus")[0] == 404
    assert page(visitor, "ada-renamed")[1]["hub"]["slug"] == "ada-renamed"


def test_cohort_hub_cached_for_a_member_is_not_served_to_a_visitor(client_for):
    cohort = CohortFactory()
    member = MembershipFactory(cohort=cohort, role=Membership.Role.LEARNER).user
    hub = HubFactory(visibility="cohort", cohort=cohort, program=cohort.program)
    EntryFactory(hub=hub, title="Cohort only")

    assert page(client_for(member), hub.slug)[0] == 200  # cached as the "reader" copy
    assert page(client_for(None), hub.slug)[0] == 404
    with pytest.raises(Exception, match="No hub"):
        selectors.hub_page_json(actor=AnonymousUser(), ref=hub.slug)


def test_owner_profile_and_problem_titles_show_at_once(client_for, hub):
    visitor = client_for(None)
    challenge = ChallengeFactory(hub=hub, title="Celery tasks vanish", position=2)
    knowledge_services.challenge_link(entry_id=challenge.pk)
    first = page(visitor, hub.slug)[1]
    stamp = client_for(None).get(f"/api/v1/hubs/{hub.slug}/page/")["Last-Modified"]

    account_services.profile_update(user=hub.owner, data={"display_name": "Ada Lovelace"})
    problem_id = first["entries"][1]["problem_link"]["id"]
    curator = MembershipFactory(role=Membership.Role.MENTOR).user
    curator.is_staff = True
    curator.save()
    knowledge_services.problem_rename(actor=curator, problem_id=problem_id, title="Celery tasks lost on restart")
    after = page(visitor, hub.slug)[1]

    assert first["owner"]["display_name"] != "Ada Lovelace"
    assert after["owner"]["display_name"] == "Ada Lovelace"
    assert after["entries"][1]["problem_link"]["title"] == "Celery tasks lost on restart"
    # the hub was touched: its Last-Modified (whole seconds) moved forward, never back
    after_stamp = client_for(None).get(f"/api/v1/hubs/{hub.slug}/page/")["Last-Modified"]
    assert parse_http_date(after_stamp) >= parse_http_date(stamp)
    hub.refresh_from_db()
    assert parse_http_date(after_stamp) == int(hub.updated_at.timestamp())


def test_admin_edits_show_at_once(client, client_for, hub, admin_user):
    visitor_before = page(client_for(None), hub.slug)[1]
    entry = hub.entries.get(title="Published one")
    client.force_login(admin_user)
    form = {
        "hub": hub.pk, "kind": "learning", "section": entry.section, "title": "Edited in the admin",
        "body": entry.body, "status": "published", "position": entry.position,
        "published_at_0": entry.published_at.strftime("%Y-%m-%d"), "published_at_1": "10:00:00",
        "references": "[]", "problem": "", "solution": "", "outcome": "",
        "revisions-TOTAL_FORMS": "0", "revisions-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(f"/admin/hubs/entry/{entry.pk}/change/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Published one" in titles(visitor_before)
    assert "Edited in the admin" in titles(page(client_for(None), hub.slug)[1])


def test_visitors_fast_path_answers_like_the_api(api_client, hub):
    missing = api_client.get("/api/v1/hubs/no-such-hub/page/")
    bad_token = api_client.get(f"/api/v1/hubs/{hub.slug}/page/", HTTP_AUTHORIZATION="Bearer not-a-token")
    first = api_client.get(f"/api/v1/hubs/{hub.slug}/readme/")
    again = api_client.get(f"/api/v1/hubs/{hub.slug}/readme/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    assert missing.json()["detail"] == "No hub 'no-such-hub'."
    assert bad_token.status_code == 401  # credentials take DRF's path, and are checked
    assert first.status_code == 200 and first["ETag"] and again.status_code == 304


def test_clients_that_accept_gzip_get_the_cached_body_compressed(api_client, hub):
    EntryFactory(hub=hub, title="Long enough", body="word " * 400, position=2)  # over GZIP_MIN_BYTES
    for path in (f"/api/v1/hubs/{hub.slug}/page/", f"/api/v1/hubs/{hub.slug}/readme/"):
        plain = api_client.get(path)
        packed = api_client.get(path, HTTP_ACCEPT_ENCODING="br, gzip;q=0.9")
        revalidated = api_client.get(path, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])

        assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
        assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
        assert gzip.decompress(packed.content) == plain.content
        assert len(packed.content) < len(plain.content) / 3
        assert packed["ETag"] == f"W/{plain['ETag']}"  # another representation of the same text
        assert revalidated.status_code == 304


def test_a_small_cached_body_is_not_compressed(api_client):
    hub = HubFactory(visibility="public", slug="tiny", overview="")
    response = api_client.get(f"/api/v1/hubs/{hub.slug}/readme/", HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200 and len(response.content) < selectors.GZIP_MIN_BYTES
    assert "Content-Encoding" not in response
    assert "Accept-Encoding" not in response.get("Vary", "")
