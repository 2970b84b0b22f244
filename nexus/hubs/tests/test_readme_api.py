"""POST /api/v1/hubs/import/ and GET /api/v1/hubs/{id or slug}/readme/."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nexus.cohorts.tests.factories import MembershipFactory
from nexus.hubs.models import Hub

pytestmark = pytest.mark.django_db

ADA = (Path(__file__).resolve().parents[1] / "demo" / "ada.md").read_text(encoding="utf-8")
IMPORT = "/api/v1/hubs/import/"


@pytest.fixture
def learner(taxonomy):
    return MembershipFactory().user


def test_dry_run_previews_without_saving(client_for, learner):
    response = client_for(learner).post(IMPORT, {"markdown": ADA, "dry_run": True}, format="json")

    body = response.json()
    assert response.status_code == 200
    assert body["dry_run"] is True and body["hub"] is None and body["hub_created"] is True
    assert body["title"] == "🚀 Project Nexus — Ada's ProDev Backend Journey"
    assert body["created"] == len(body["entries"]) > 0
    assert {"kind", "section", "title", "body", "problem", "solution", "outcome", "topics"} == set(body["entries"][0])
    assert Hub.objects.count() == 0


def test_import_by_json_then_by_file_updates_the_same_hub(client_for, learner):
    client = client_for(learner)

    created = client.post(IMPORT, {"markdown": ADA}, format="json")
    upload = SimpleUploadedFile("README.md", ADA.encode(), content_type="text/markdown")
    again = client.post(IMPORT, {"file": upload}, format="multipart")

    assert created.status_code == 201
    assert created.json()["hub"]["owner"]["username"] == learner.username
    assert again.status_code == 200
    assert again.json()["hub"]["id"] == created.json()["hub"]["id"]
    assert (again.json()["created"], again.json()["updated"]) == (0, 0)


def test_import_refuses_bad_input_with_problem_documents(client_for, learner, settings):
    client = client_for(learner)
    settings.README_MAX_BYTES = 100

    both = client.post(IMPORT, {"markdown": "x", "file": SimpleUploadedFile("a.md", b"x")}, format="multipart")
    neither = client.post(IMPORT, {"dry_run": True}, format="json")
    big = client.post(IMPORT, {"markdown": "x" * 101}, format="json")
    binary = client.post(IMPORT, {"file": SimpleUploadedFile("a.png", b"\x89PNG\x00\x00")}, format="multipart")
    anonymous = client_for(None).post(IMPORT, {"markdown": "# Hi"}, format="json")

    for response in (both, neither, big, binary, anonymous):
        assert response["Content-Type"] == "application/problem+json"
    assert both.status_code == neither.status_code == 400
    assert neither.json()["detail"] == "Send the README either as `markdown` or as `file`, not both."
    assert big.status_code == 413
    assert big.json()["detail"] == "The README is 101 bytes or more; the limit is 100 bytes."
    assert binary.status_code == 415
    assert anonymous.status_code == 401


@pytest.mark.django_db(transaction=True)  # the cached README is invalidated after a real commit
def test_readme_export_has_an_etag_and_answers_304(client_for, learner):
    client = client_for(learner)
    hub = client.post(IMPORT, {"markdown": ADA}, format="json").json()["hub"]

    first = client.get(f"/api/v1/hubs/{hub['slug']}/readme/")
    cached = client.get(f"/api/v1/hubs/{hub['id']}/readme/", HTTP_IF_NONE_MATCH=first["ETag"])
    client.patch(f"/api/v1/hubs/{hub['id']}/", {"title": "Renamed"}, format="json")
    changed = client.get(f"/api/v1/hubs/{hub['id']}/readme/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert first["Content-Type"] == "text/markdown; charset=utf-8"
    assert first.content.decode().startswith("# ")
    assert cached.status_code == 304 and cached.content == b""
    assert cached["ETag"] == first["ETag"]
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert changed.content.decode().startswith("# Renamed")


def test_readme_of_a_hub_you_may_not_see_is_404(client_for, learner):
    client_for(learner).post(IMPORT, {"markdown": ADA}, format="json")
    hub = Hub.objects.get(owner=learner)  # private by default

    response = client_for(MembershipFactory().user).get(f"/api/v1/hubs/{hub.slug}/readme/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_import_slug_is_reserved(client_for, learner):
    hub = client_for(learner).post(IMPORT, {"markdown": ADA}, format="json").json()["hub"]

    response = client_for(learner).patch(f"/api/v1/hubs/{hub['id']}/", {"slug": "import"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"slug": ["The slug 'import' is reserved."]}
