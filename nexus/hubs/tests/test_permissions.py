"""The visibility and permission matrix: anonymous, owner, other learner (in and out of the
cohort), mentor and staff against private, cohort and public hubs and entries, for every method.
The world (fixture) lives in conftest.py, shared with test_graphql.py."""

import pytest

from nexus.hubs.models import Entry, Hub
from nexus.hubs.tests.conftest import ACTORS, READERS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("visibility", list(READERS))
def test_hub_read(world, client_for, actor, visibility):
    hub = world.hubs[visibility]
    client = client_for(world.actors[actor])

    by_id = client.get(f"/api/v1/hubs/{hub.pk}/")
    by_slug = client.get(f"/api/v1/hubs/{hub.slug}/")

    expected = 200 if actor in READERS[visibility] else 404
    assert by_id.status_code == expected
    assert by_slug.status_code == expected
    if expected == 404:
        assert by_id.json()["detail"] == f"No hub '{hub.pk}'."


@pytest.mark.parametrize("actor", ACTORS)
def test_hub_list_shows_exactly_what_the_actor_may_see(world, client_for, actor):
    response = client_for(world.actors[actor]).get("/api/v1/hubs/")

    seen = {h["visibility"] for h in response.json()["results"]}
    assert seen == {v for v, readers in READERS.items() if actor in readers}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("visibility", list(READERS))
def test_entry_read(world, client_for, actor, visibility):
    client = client_for(world.actors[actor])

    published = client.get(f"/api/v1/entries/{world.published[visibility].pk}/")
    draft = client.get(f"/api/v1/entries/{world.drafts[visibility].pk}/")
    revisions = client.get(f"/api/v1/entries/{world.published[visibility].pk}/revisions/")

    assert published.status_code == (200 if actor in READERS[visibility] else 404)
    assert revisions.status_code == published.status_code
    assert draft.status_code == (200 if actor == "owner" else 404)


@pytest.mark.parametrize("actor", ACTORS)
def test_entry_list_shows_exactly_what_the_actor_may_see(world, client_for, actor):
    response = client_for(world.actors[actor]).get("/api/v1/entries/?page_size=100")

    titles = {e["title"] for e in response.json()["results"]}
    expected = {f"{v} published" for v, readers in READERS.items() if actor in readers}
    if actor == "owner":
        expected |= {f"{v} draft" for v in READERS}
    assert titles == expected


def _write_status(actor: str, visibility: str, ok: int) -> int:
    if actor == "anonymous":
        return 401
    if actor == "owner":
        return ok
    return 403 if actor in READERS[visibility] else 404


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("visibility", list(READERS))
def test_hub_writes(world, client_for, actor, visibility):
    hub = world.hubs[visibility]
    client = client_for(world.actors[actor])

    patch = client.patch(f"/api/v1/hubs/{hub.pk}/", {"title": "Changed"})
    assert patch.status_code == _write_status(actor, visibility, 200)
    hub.refresh_from_db()
    assert (hub.title == "Changed") == (actor == "owner")

    delete = client.delete(f"/api/v1/hubs/{hub.pk}/")
    assert delete.status_code == _write_status(actor, visibility, 204)
    assert Hub.objects.filter(pk=hub.pk).exists() == (actor != "owner")


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("visibility", list(READERS))
def test_entry_writes(world, client_for, actor, visibility):
    hub, entry = world.hubs[visibility], world.published[visibility]
    client = client_for(world.actors[actor])
    before = Entry.objects.count()

    create = client.post("/api/v1/entries/", {"hub": hub.pk, "kind": "note", "title": "New", "topics": []})
    assert create.status_code == _write_status(actor, visibility, 201)
    assert Entry.objects.count() == before + (1 if actor == "owner" else 0)

    patch = client.patch(f"/api/v1/entries/{entry.pk}/", {"title": "Changed"})
    assert patch.status_code == _write_status(actor, visibility, 200)
    entry.refresh_from_db()
    assert (entry.title == "Changed") == (actor == "owner")

    delete = client.delete(f"/api/v1/entries/{entry.pk}/")
    assert delete.status_code == _write_status(actor, visibility, 204)
    assert Entry.objects.filter(pk=entry.pk).exists() == (actor != "owner")


@pytest.mark.parametrize("actor", ["peer", "mentor", "staff", "outsider"])
def test_nobody_but_the_owner_touches_a_draft(world, client_for, actor):
    draft = world.drafts["public"]
    client = client_for(world.actors[actor])

    assert client.patch(f"/api/v1/entries/{draft.pk}/", {"title": "x"}).status_code == 404
    assert client.delete(f"/api/v1/entries/{draft.pk}/").status_code == 404
    draft.refresh_from_db()
    assert draft.title == "public draft"
