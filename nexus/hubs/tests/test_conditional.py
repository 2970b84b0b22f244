"""Conditional GETs (ETag and Last-Modified with 304) on hubs, entries and README export, and no
stale read after a write."""

import pytest
from django.utils.http import http_date

from nexus.hubs.tests.factories import EntryFactory, HubFactory

# Real commits: cached reads are invalidated after commit, which a test transaction never reaches.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def entry():
    return EntryFactory(hub=HubFactory(visibility="public"))


@pytest.mark.parametrize("kind", ["hub", "entry", "readme"])
def test_if_none_match_answers_304_until_the_object_changes(client_for, entry, kind):
    client = client_for(entry.hub.owner)
    url = {
        "hub": f"/api/v1/hubs/{entry.hub.slug}/",
        "entry": f"/api/v1/entries/{entry.pk}/",
        "readme": f"/api/v1/hubs/{entry.hub.slug}/readme/",
    }[kind]

    first = client.get(url)
    cached = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    client.patch(f"/api/v1/entries/{entry.pk}/", {"title": "Renamed entry"}, format="json")
    after_write = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert cached.status_code == 304 and cached.content == b""
    assert after_write.status_code == 200
    assert after_write["ETag"] != first["ETag"]
    if kind != "hub":
        assert "Renamed entry" in after_write.content.decode()


def test_if_modified_since_answers_304(client_for, entry):
    client = client_for(None)
    first = client.get(f"/api/v1/entries/{entry.pk}/")

    cached = client.get(f"/api/v1/entries/{entry.pk}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    older = client.get(f"/api/v1/entries/{entry.pk}/", HTTP_IF_MODIFIED_SINCE=http_date(0))

    assert cached.status_code == 304
    assert older.status_code == 200


def test_readme_export_is_never_stale_after_a_write(client_for, entry):
    client = client_for(entry.hub.owner)
    before = client.get(f"/api/v1/hubs/{entry.hub.pk}/readme/").content.decode()

    client.patch(f"/api/v1/entries/{entry.pk}/", {"body": "Fresh words after the write."}, format="json")
    after = client.get(f"/api/v1/hubs/{entry.hub.pk}/readme/").content.decode()
    client.delete(f"/api/v1/entries/{entry.pk}/")
    deleted = client.get(f"/api/v1/hubs/{entry.hub.pk}/readme/").content.decode()

    assert "Fresh words" not in before
    assert "Fresh words after the write." in after
    assert "Fresh words" not in deleted


def test_errors_get_no_etag_and_no_304(client_for):
    response = client_for(None).get("/api/v1/entries/999999/", HTTP_IF_NONE_MATCH="*")

    assert response.status_code == 404
