"""Importing a README into a hub and exporting it back, through the service layer."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from nexus.cohorts.tests.factories import MembershipFactory
from nexus.core.errors import ApplicationError
from nexus.hubs import readme, selectors, services
from nexus.hubs.models import Entry, EntryRevision, Hub
from nexus.hubs.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[1] / "demo"
ADA = (DEMO / "ada.md").read_text(encoding="utf-8")


@pytest.fixture
def learner(taxonomy):
    return MembershipFactory().user


def _entries(hub):
    return list(hub.entries.order_by("position").values_list("kind", "title", "position"))


def test_import_creates_the_hub_with_the_parsed_entries_in_order(learner):
    result = services.hub_import_readme(actor=learner, markdown=ADA)

    hub = result.hub
    parsed = readme.parse(ADA)
    assert result.hub_created and result.created == len(parsed.entries) > 0
    assert (result.updated, result.unchanged, result.kept) == (0, 0, 0)
    assert hub.title == parsed.title
    assert hub.overview == parsed.overview
    assert [(k, t) for k, t, _ in _entries(hub)] == [(e.kind, e.title) for e in parsed.entries]
    assert [p for _, _, p in _entries(hub)] == list(range(len(parsed.entries)))
    assert all(e.status == Entry.Status.PUBLISHED for e in hub.entries.all())
    assert EntryRevision.objects.filter(entry__hub=hub).count() == len(parsed.entries)
    celery = hub.entries.get(kind="challenge", title__icontains="Celery")
    assert {"celery", "rabbitmq"} <= set(celery.topics.values_list("slug", flat=True))


def test_reimporting_the_same_readme_changes_nothing(learner):
    first = services.hub_import_readme(actor=learner, markdown=ADA)
    before = (_entries(first.hub), EntryRevision.objects.count())

    again = services.hub_import_readme(actor=learner, markdown=ADA)

    assert not again.hub_created and again.hub.pk == first.hub.pk
    assert (again.created, again.updated, again.kept) == (0, 0, 0)
    assert again.unchanged == first.created
    assert (_entries(again.hub), EntryRevision.objects.count()) == before
    assert Hub.objects.filter(owner=learner).count() == 1


def test_an_edited_readme_updates_entries_in_place_with_history(learner):
    first = services.hub_import_readme(actor=learner, markdown=ADA)
    edited = ADA.replace("django-cors-headers with an explicit allow-list", "django-cors-headers, allow-list in env")

    result = services.hub_import_readme(actor=learner, markdown=edited)

    cors = first.hub.entries.get(kind="challenge", title__icontains="CORS")
    assert (result.created, result.updated, result.unchanged) == (0, 1, first.created - 1)
    assert "allow-list in env" in cors.solution
    assert list(cors.revisions.values_list("number", flat=True)) == [2, 1]
    assert "explicit allow-list" in cors.revisions.get(number=1).solution


def test_entries_not_in_the_readme_are_kept_after_the_imported_ones(learner):
    first = services.hub_import_readme(actor=learner, markdown=ADA)
    mine = EntryFactory(hub=first.hub, kind="note", title="Written in Nexus", position=0)

    result = services.hub_import_readme(actor=learner, markdown=ADA)

    mine.refresh_from_db()
    assert result.kept == 1
    assert mine.position == first.created  # after the README's entries


def test_dry_run_writes_nothing(learner):
    result = services.hub_import_readme(actor=learner, markdown=ADA, dry_run=True)

    assert result.hub is None and result.hub_created
    assert result.created == len(result.parsed.entries)
    assert Hub.objects.count() == 0 and Entry.objects.count() == 0


def test_program_must_be_given_when_the_member_is_in_several(learner):
    MembershipFactory(user=learner)

    with pytest.raises(ValidationError) as caught:
        services.hub_import_readme(actor=learner, markdown=ADA)

    assert "you are in several" in caught.value.message_dict["program"][0]


def test_export_is_the_render_of_the_hub_and_reimports_to_the_same_hub(learner):
    hub = services.hub_import_readme(actor=learner, markdown=ADA).hub

    exported = selectors.hub_readme(actor=learner, ref=hub.pk).value
    again = services.hub_import_readme(actor=learner, markdown=exported)

    assert exported == readme.render(readme.parse(ADA))
    assert (again.created, again.updated) == (0, 0)


def test_export_hides_drafts_from_others(learner):
    hub = services.hub_import_readme(actor=learner, markdown=ADA).hub
    services.hub_update(actor=learner, hub=hub.pk, data={"visibility": "public"})
    EntryFactory(hub=hub, kind="note", title="Secret draft", status="draft", published_at=None)

    assert "Secret draft" in selectors.hub_readme(actor=learner, ref=hub.pk).value
    assert "Secret draft" not in selectors.hub_readme(actor=MembershipFactory().user, ref=hub.pk).value


@pytest.mark.parametrize(
    ("raw", "status", "detail"),
    [
        (b"x" * 1_000_001, 413, "The README is 1,000,001 bytes or more; the limit is 1,000,000 bytes."),
        (b"# Title\x00\x01\x02", 415, "This is a binary file, not a Markdown README."),
        (bytes(range(1, 32)) * 10, 415, "This is a binary file, not a Markdown README."),
    ],
)
def test_oversized_and_binary_input_is_refused(raw, status, detail):
    with pytest.raises(ApplicationError) as caught:
        services.readme_decode(raw)

    assert (caught.value.status, caught.value.message) == (status, detail)


def test_decoding_accepts_utf8_with_bom_and_cp1252():
    assert services.readme_decode("\ufeff# Café ✓".encode()) == "# Café ✓"
    assert services.readme_decode("# Café – notes".encode("cp1252")) == "# Café – notes"
