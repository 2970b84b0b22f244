"""Hub and entry pages: reading (visibility, drafts), README export/import, editing with htmx."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.tests.factories import MembershipFactory
from nexus.core.tests.web import build_world, htmx
from nexus.hubs.models import Entry, EntryRevision, Hub
from nexus.knowledge.models import ProblemLink

README = """# Project Nexus: Kim's Backend Notes

## Overview
What I learned in the ProDev Backend program.

## Key Technologies Covered
1. **Django** – models, views and the ORM.
2. **Celery** – background tasks with RabbitMQ.

## Challenges Faced
**Problem:** Celery tasks hung behind RabbitMQ.
**Solution:** Retried the broker connection on startup.

## My Favourite Snacks
Crisps while debugging.
"""


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    return build_world(django_capture_on_commit_callbacks)


def _program(world) -> str:
    return world.ada_hub.program.slug


# --- hub page ---------------------------------------------------------------------------------


def test_hub_page_reads_like_a_document(world, django_assert_num_queries):
    client = world.client()
    with django_assert_num_queries(6):
        response = client.get("/@ada/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="hub-title">Ada&#x27;s Project Nexus</h1>' in html
    # Overview rendered from Markdown, a table of contents, sections with their entries.
    assert "How I <em>learned</em>." in html
    assert '<nav class="toc card" aria-labelledby="toc-title">' in html
    assert '<a href="#key-technologies">Key Technologies' in html
    assert '<section class="hub-section" id="key-technologies"' in html
    assert f'id="entry-{world.learning.pk}"' in html and "Signals <strong>wire</strong> apps together." in html
    # A challenge with its problem, solution and how many it worked for; topics are links.
    assert "Retry the broker connection on startup." in html
    assert f'id="worked-{world.challenge.pk}"' in html
    assert '<a class="tag" href="/topics/celery/">Celery</a>' in html
    assert 'href="/hubs/' + world.ada_hub.slug + '/readme/" id="download-readme"' in html
    # Drafts and edit controls are the owner's only.
    assert "Unfinished thoughts" not in html and "Secret draft text." not in html
    assert 'id="new-entry"' not in html and "/edit/" not in html


def test_owner_sees_drafts_and_edit_controls(world, django_assert_num_queries):
    client = world.client(world.ada)
    with django_assert_num_queries(8):
        html = client.get("/@ada/").content.decode()
    assert "Unfinished thoughts" in html and '<span class="badge badge--draft">Draft</span>' in html
    assert 'id="new-entry"' in html and 'id="import-readme"' in html
    assert f'href="/entries/{world.learning.pk}/edit/"' in html
    # No "worked for me" on one's own solution.
    assert f'id="worked-button-{world.challenge.pk}"' not in html


def test_another_member_can_confirm_a_solution_from_the_hub(world):
    html = world.client(world.linus).get("/@ada/").content.decode()
    assert f'id="worked-button-{world.challenge.pk}"' in html
    assert 'name="worked" value="1"' in html


def test_hub_per_program_and_unknown_program(world):
    client = world.client()
    assert client.get(f"/@ada/{_program(world)}/").status_code == 200
    assert client.get("/@ada/no-such-program/").status_code == 404
    assert client.get("/@nobody/").status_code == 404


@pytest.mark.parametrize(
    ("viewer", "status"), [(None, 404), ("grace", 404), ("ada", 200), ("linus", 200), ("mentor", 200)]
)
def test_cohort_hub_is_visible_to_its_cohort_only(world, viewer, status):
    member = getattr(world, viewer) if viewer else None
    assert world.client(member).get("/@linus/").status_code == status


@pytest.mark.parametrize(("viewer", "status"), [(None, 404), ("ada", 404), ("mentor", 404), ("grace", 200)])
def test_private_hub_is_its_owners_only(world, viewer, status):
    member = getattr(world, viewer) if viewer else None
    assert world.client(member).get("/@grace/").status_code == status


def test_hub_page_filters_entries_by_kind(world):
    html = world.client().get("/@ada/?kind=challenge").content.decode()
    assert "Celery tasks hanging behind RabbitMQ" in html and "Signals in Django" not in html
    assert "Showing challenge entries only." in html


def test_hub_list_shows_visible_hubs_and_answers_htmx_with_a_fragment(world, django_assert_num_queries):
    client = world.client(world.ada)
    with django_assert_num_queries(4):  # session, member, count, page (cohort ids as a subquery)
        html = client.get("/hubs/").content.decode()
    assert "Ada&#x27;s Project Nexus" in html and "Linus&#x27;s hub" in html and "Grace&#x27;s hub" not in html
    part = client.get("/hubs/?q=linus", **htmx())
    assert "<html" not in part.content.decode()
    assert "Linus&#x27;s hub" in part.content.decode() and "Ada&#x27;s" not in part.content.decode()


def test_hub_by_slug_redirects_to_its_page(world):
    response = world.client().get(f"/hubs/{world.ada_hub.slug}/")
    assert response.status_code == 302 and response["Location"] == f"/@ada/{_program(world)}/"
    assert world.client().get(f"/hubs/{world.grace_hub.slug}/").status_code == 404


# --- README export --------------------------------------------------------------------------


def test_download_readme_is_an_attachment_of_what_the_viewer_may_see(world, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = world.client().get(f"/hubs/{world.ada_hub.slug}/readme/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{world.ada_hub.slug}-README.md"'
    text = response.content.decode()
    assert "Signals in Django" in text and "Unfinished thoughts" not in text
    assert world.client().get(f"/hubs/{world.grace_hub.slug}/readme/").status_code == 404


# --- README import --------------------------------------------------------------------------


@pytest.fixture
def kim(world):
    member = UserFactory(username="kim")
    MembershipFactory(user=member, cohort=world.ada_hub.cohort)
    return member


def test_import_needs_a_member(world):
    response = world.client().get("/hubs/import/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_import_without_text_or_file_says_so(world, kim):
    response = world.client(kim).post("/hubs/import/", {"markdown": "  ", "action": "preview"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Paste a README or choose a file to upload."]


def test_import_preview_shows_warnings_and_writes_nothing(world, kim):
    response = world.client(kim).post("/hubs/import/", {"markdown": README, "action": "preview"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "A new hub will be created." in html
    assert '<div class="alert alert--warning" role="note" id="import-warnings">' in html
    assert "My Favourite Snacks" in html
    assert 'id="import-confirm"' in html
    assert not Hub.objects.filter(owner=kim).exists()


def test_import_preview_over_htmx_is_a_fragment(world, kim):
    response = world.client(kim).post("/hubs/import/", {"markdown": README, "action": "preview"}, **htmx())
    html = response.content.decode()
    assert "<html" not in html and 'id="import-preview-result"' in html


def test_import_confirm_creates_the_hub_and_shows_it(world, kim, django_capture_on_commit_callbacks):
    client = world.client(kim)
    preview = client.post("/hubs/import/", {"markdown": README, "action": "preview"}).content.decode()
    text = re.search(r'<textarea name="markdown" id="import-confirm-markdown" hidden>(.*?)</textarea>', preview, re.S)
    assert text is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/hubs/import/", {"markdown": README, "action": "confirm", "program": ""})
    hub = Hub.objects.get(owner=kim)
    assert response.status_code == 302 and response["Location"] == f"/@kim/{hub.program.slug}/"
    titles = set(hub.entries.values_list("title", flat=True))
    assert {"Django", "Celery"} <= titles
    page = client.get(response["Location"]).content.decode()
    assert "README imported:" in page and "Celery tasks hung behind RabbitMQ." in page


def test_import_accepts_an_upload_and_refuses_binary(world, kim):
    client = world.client(kim)
    upload = SimpleUploadedFile("README.md", README.encode(), content_type="text/markdown")
    response = client.post("/hubs/import/", {"file": upload, "action": "preview"})
    assert 'id="import-confirm"' in response.content.decode()
    binary = SimpleUploadedFile("README.md", b"\x00\x01\x02PNG", content_type="image/png")
    response = client.post("/hubs/import/", {"file": binary, "action": "preview"})
    assert response.context["form"].errors["file"] == ["This is a binary file, not a Markdown README."]


def test_import_asks_for_a_program_when_the_member_has_none(world):
    loner = UserFactory(username="loner")
    response = world.client(loner).post("/hubs/import/", {"markdown": README, "action": "preview"})
    assert response.context["form"].errors["program"] == [
        "Say which program this README is for: you are in no cohort yet."
    ]


# --- entries --------------------------------------------------------------------------------


def test_entry_page_and_visibility_of_drafts(world, django_assert_num_queries):
    with django_assert_num_queries(3):  # the entry with its hub and problem; topics; comments (none)
        response = world.client().get(f"/entries/{world.learning.pk}/")
    assert response.status_code == 200 and "Signals <strong>wire</strong> apps together." in response.content.decode()
    assert world.client().get(f"/entries/{world.draft.pk}/").status_code == 404
    assert world.client(world.linus).get(f"/entries/{world.draft.pk}/").status_code == 404
    assert world.client(world.ada).get(f"/entries/{world.draft.pk}/").status_code == 200
    assert world.client().get(f"/entries/{world.grace_entry.pk}/").status_code == 404


def test_challenge_page_links_its_problem_and_offers_worked_for_me(world, django_assert_num_queries):
    problem_id = ProblemLink.objects.get(entry=world.challenge).problem_id
    client = world.client(world.linus)
    with django_assert_num_queries(7):
        html = client.get(f"/entries/{world.challenge.pk}/").content.decode()
    assert f'href="/knowledge/problems/{problem_id}/"' in html
    assert f'id="worked-button-{world.challenge.pk}"' in html
    # A mentor of the hub's cohort may verify it.
    assert (
        f'id="verify-button-{world.challenge.pk}"'
        in world.client(world.mentor).get(f"/entries/{world.challenge.pk}/").content.decode()
    )
    assert 'id="verify-button-' not in html


def test_new_entry_form_has_labels_preview_and_similar_problems(world, django_assert_num_queries):
    client = world.client(world.ada)
    with django_assert_num_queries(3):
        html = client.get(f"/hubs/{world.ada_hub.slug}/entries/new/").content.decode()
    for name in ("kind", "title", "section", "body", "problem", "solution", "outcome", "topics", "references"):
        assert f'<label for="id_{name}">' in html, name
    assert 'hx-post="/entries/preview/"' in html and 'aria-live="polite"' in html
    assert 'hx-post="/knowledge/similar/"' in html


def test_creating_an_entry_validates_with_clear_errors(world):
    client = world.client(world.ada)
    url = f"/hubs/{world.ada_hub.slug}/entries/new/"
    response = client.post(url, {"kind": "challenge", "title": "Broken", "status": "draft"})
    assert response.status_code == 200
    assert response.context["form"].errors["problem"] == ["A challenge needs a problem."]
    response = client.post(url, {"kind": "learning", "title": "", "topics": "django", "status": "draft"})
    assert response.context["form"].errors["title"] == ["This field is required."]
    response = client.post(url, {"kind": "learning", "title": "Tagged", "topics": "nope, django", "status": "draft"})
    assert response.context["form"].errors["topics"] == ["Unknown topic(s): nope."]
    response = client.post(url, {"kind": "learning", "title": "Ref", "references": "/etc/passwd", "status": "draft"})
    assert "neither a URL nor a relative project path" in response.context["form"].errors["references"][0]
    assert not world.ada_hub.entries.filter(title__in=["Broken", "Tagged", "Ref"]).exists()


def test_creating_an_entry_saves_a_draft_and_shows_it(world):
    client = world.client(world.ada)
    response = client.post(
        f"/hubs/{world.ada_hub.slug}/entries/new/",
        {"kind": "practice", "title": "Pin query counts", "body": "Use `django_assert_num_queries`.",
         "topics": "django", "references": "https://docs.djangoproject.com/\napp/tests.py", "status": "draft"},
    )  # fmt: skip
    entry = Entry.objects.get(title="Pin query counts")
    assert response.status_code == 302 and response["Location"] == f"/entries/{entry.pk}/"
    assert entry.status == "draft" and entry.section == "Best Practices"
    assert entry.references == ["https://docs.djangoproject.com/", "app/tests.py"]
    assert list(entry.topics.values_list("slug", flat=True)) == ["django"]


def test_only_the_owner_writes_in_a_hub(world):
    assert world.client(world.linus).get(f"/hubs/{world.ada_hub.slug}/entries/new/").status_code == 403
    assert world.client(world.ada).get(f"/hubs/{world.grace_hub.slug}/entries/new/").status_code == 404
    response = world.client(world.linus).post(
        f"/hubs/{world.ada_hub.slug}/entries/new/", {"kind": "note", "title": "Graffiti", "status": "published"}
    )
    assert response.status_code == 403 and not Entry.objects.filter(title="Graffiti").exists()


def test_editing_an_entry_records_a_revision(world):
    client = world.client(world.ada)
    url = f"/entries/{world.learning.pk}/edit/"
    form = client.get(url).context["form"]
    assert form.initial["topics"] == "django"
    data = {**form.initial, "body": "Signals **decouple** apps.", "references": ""}
    response = client.post(url, data)
    assert response.status_code == 302
    world.learning.refresh_from_db()
    assert world.learning.body_html == "<p>Signals <strong>decouple</strong> apps.</p>\n"
    assert world.learning.revisions.count() == 2


def test_editing_is_the_authors_only(world):
    assert world.client(world.linus).get(f"/entries/{world.learning.pk}/edit/").status_code == 403
    assert world.client(world.linus).get(f"/entries/{world.draft.pk}/edit/").status_code == 404


def test_preview_is_a_sanitized_fragment(world):
    client = world.client(world.ada)
    response = client.post(
        "/entries/preview/",
        {"field": "body", "body": '**bold** <script>alert(1)</script> <a href="javascript:alert(1)">x</a>'},
        **htmx(),
    )
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script" not in html and 'href="javascript' not in html and "<html" not in html
    assert world.client().post("/entries/preview/", {"body": "x"}).status_code == 302


def test_publishing_over_htmx_swaps_the_control(world):
    client = world.client(world.ada)
    response = client.post(f"/entries/{world.draft.pk}/status/", {"status": "published"}, **htmx())
    html = response.content.decode()
    assert "<html" not in html and f'id="entry-status-{world.draft.pk}"' in html
    assert 'name="status" value="draft"' in html  # offers to undo
    world.draft.refresh_from_db()
    assert world.draft.status == "published" and world.draft.published_at is not None
    again = client.post(f"/entries/{world.draft.pk}/status/", {"status": "draft"}, HTTP_REFERER="/")
    assert again.status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.status == "draft"


def test_status_changes_are_the_authors_and_checked(world):
    assert (
        world.client(world.linus).post(f"/entries/{world.learning.pk}/status/", {"status": "draft"}).status_code == 403
    )
    assert world.client(world.ada).post(f"/entries/{world.learning.pk}/status/", {"status": "gone"}).status_code == 400
    world.learning.refresh_from_db()
    assert world.learning.status == "published"


def test_reordering_moves_entries_and_rerenders_the_list(world, django_assert_num_queries):
    client = world.client(world.ada)
    with django_assert_num_queries(5):
        html = client.get(f"/hubs/{world.ada_hub.slug}/manage/").content.decode()
    assert html.index("Signals in Django") < html.index("Unfinished thoughts") < html.index("Celery tasks hanging")
    response = client.post(f"/entries/{world.challenge.pk}/move/", {"position": "0"}, **htmx())
    part = response.content.decode()
    assert "<html" not in part
    assert part.index("Celery tasks hanging") < part.index("Signals in Django") < part.index("Unfinished thoughts")
    order = list(world.ada_hub.entries.order_by("position").values_list("title", flat=True))
    assert order == ["Celery tasks hanging behind RabbitMQ", "Signals in Django", "Unfinished thoughts"]
    assert client.post(f"/entries/{world.challenge.pk}/move/", {"position": "up"}).status_code == 400
    assert world.client(world.linus).get(f"/hubs/{world.ada_hub.slug}/manage/").status_code == 403


def test_history_shows_each_revision_with_its_changes(world, django_capture_on_commit_callbacks):
    client = world.client(world.ada)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/entries/{world.learning.pk}/edit/",
            {"kind": "learning", "title": "Signals in Django", "section": "Key Technologies",
             "body": "Signals decouple apps.", "topics": "django", "status": "published"},
        )  # fmt: skip
    html = world.client().get(f"/entries/{world.learning.pk}/history/").content.decode()
    assert "Revision 2" in html and "Revision 1" in html
    assert "<del>- Signals **wire** apps together.</del>" in html
    assert "<ins>+ Signals decouple apps.</ins>" in html
    assert EntryRevision.objects.filter(entry=world.learning).count() == 2
    assert world.client(world.linus).get(f"/entries/{world.draft.pk}/history/").status_code == 404


def test_deleting_an_entry(world):
    assert world.client(world.linus).post(f"/entries/{world.learning.pk}/delete/").status_code == 403
    response = world.client(world.ada).post(f"/entries/{world.learning.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == f"/@ada/{_program(world)}/"
    assert not Entry.objects.filter(pk=world.learning.pk).exists()


def test_hub_settings_and_new_hub(world):
    client = world.client(world.ada)
    response = client.post(
        f"/hubs/{world.ada_hub.slug}/settings/", {"title": "Renamed", "overview": "", "visibility": "private"}
    )
    assert response.status_code == 302
    world.ada_hub.refresh_from_db()
    assert (world.ada_hub.title, world.ada_hub.visibility) == ("Renamed", "private")
    assert world.client().get("/@ada/").status_code == 404
    response = client.post("/hubs/new/", {"program": _program(world), "title": "Again", "visibility": "public"})
    assert response.context["form"].errors["program"] == ["You already have a hub for this program."]
    assert world.client(world.linus).get(f"/hubs/{world.ada_hub.slug}/settings/").status_code == 404


def test_own_address_without_a_hub_says_how_to_start(world):
    newcomer = UserFactory(username="newcomer")
    response = world.client(newcomer).get("/@newcomer/")
    assert response.status_code == 200
    assert "You have no hub yet" in response.content.decode()
    assert 'href="/hubs/import/"' in response.content.decode()
    assert world.client(world.ada).get("/@newcomer/").status_code == 404


def test_hub_page_queries_do_not_grow_with_its_entries(world, django_assert_num_queries):
    from nexus.hubs.tests.factories import ChallengeFactory, EntryFactory

    for n in range(5):
        EntryFactory(hub=world.ada_hub, title=f"More {n}", section="More")
        ChallengeFactory(hub=world.ada_hub, title=f"Hard {n}", section="Hard")
    with django_assert_num_queries(6):
        html = world.client().get("/@ada/").content.decode()
    assert "More 4" in html and "Hard 4" in html


def test_following_a_member_from_their_hub(world):
    from nexus.notifications.models import MemberFollow

    client = world.client(world.linus)
    page = client.get("/@ada/").content.decode()
    assert 'hx-get="/hubs/follow/ada/" hx-trigger="load"' in page
    assert "/hubs/follow/" not in world.client(world.ada).get("/@ada/").content.decode()  # not on your own
    followed = client.post("/hubs/follow/ada/", {"follow": "1"}, **htmx()).content.decode()
    assert 'aria-pressed="true"' in followed and "1 follower" in followed
    client.post("/hubs/follow/ada/", {"follow": "1"}, **htmx())
    assert MemberFollow.objects.filter(follower=world.linus, followed=world.ada).count() == 1
    response = client.post("/hubs/follow/ada/", {"follow": "0"}, HTTP_REFERER="/")
    assert response.status_code == 302 and response["Location"] == "/@ada/"
    assert not MemberFollow.objects.filter(follower=world.linus).exists()
    own = world.client(world.ada).post("/hubs/follow/ada/", {"follow": "1"})
    assert own.status_code == 400 and own.content.decode() == "You cannot follow yourself."
