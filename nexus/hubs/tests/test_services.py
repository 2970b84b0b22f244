"""Hub and entry rules at the service layer, including what must not happen on denial."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.hubs import services
from nexus.hubs.models import Entry, EntryRevision
from nexus.hubs.tests.factories import EntryFactory, HubFactory

pytestmark = pytest.mark.django_db


def test_topics_are_recognised_when_not_given(taxonomy):
    hub = HubFactory()

    entry = services.entry_create(
        actor=hub.owner, hub=hub.pk, kind="learning", title="Caching with Redis", body="Used Postgres and DRF."
    )

    assert {t.slug for t in entry.topics.all()} >= {"redis", "postgresql", "drf"}


def test_explicit_empty_topics_stay_empty(taxonomy):
    hub = HubFactory()

    entry = services.entry_create(actor=hub.owner, hub=hub.pk, kind="learning", title="Redis", topics=[])

    assert entry.topics.count() == 0


def test_no_revision_when_nothing_changes():
    hub = HubFactory()
    entry = services.entry_create(actor=hub.owner, hub=hub.pk, kind="note", title="N", topics=[])

    services.entry_update(actor=hub.owner, entry_id=entry.pk, data={"title": "N"})

    assert EntryRevision.objects.filter(entry=entry).count() == 1


def test_publishing_stamps_and_unpublishing_clears_the_date():
    hub = HubFactory()
    entry = services.entry_create(actor=hub.owner, hub=hub.pk, kind="note", title="N", topics=[])

    published = services.entry_update(actor=hub.owner, entry_id=entry.pk, data={"status": "published"})
    stamp = published.published_at
    again = services.entry_update(actor=hub.owner, entry_id=entry.pk, data={"title": "N2"})
    draft = services.entry_update(actor=hub.owner, entry_id=entry.pk, data={"status": "draft"})

    assert stamp is not None and again.published_at == stamp
    assert draft.published_at is None


def test_denied_update_changes_nothing_and_records_no_revision():
    entry = EntryFactory()
    other = MembershipFactory().user

    with pytest.raises(PermissionDenied):
        services.entry_update(actor=other, entry_id=entry.pk, data={"title": "hijacked"})

    entry.refresh_from_db()
    assert entry.title != "hijacked"
    assert EntryRevision.objects.filter(entry=entry).count() == 0


def test_kind_change_to_note_must_drop_the_problem():
    hub = HubFactory()
    entry = services.entry_create(
        actor=hub.owner, hub=hub.pk, kind="challenge", title="C", problem="P", solution="S", topics=[]
    )

    with pytest.raises(ValidationError) as caught:
        services.entry_update(actor=hub.owner, entry_id=entry.pk, data={"kind": "note"})
    converted = services.entry_update(
        actor=hub.owner, entry_id=entry.pk, data={"kind": "note", "problem": "", "solution": "", "body": "P. S."}
    )

    assert caught.value.message_dict == {
        "problem": ["Only challenges have a problem, solution and outcome."],
        "solution": ["Only challenges have a problem, solution and outcome."],
    }
    assert converted.kind == Entry.Kind.NOTE


def test_hub_cohort_must_be_one_of_the_owners():
    membership = MembershipFactory()
    foreign = CohortFactory(program=membership.cohort.program)

    with pytest.raises(ValidationError) as caught:
        services.hub_create(
            actor=membership.user, program=membership.cohort.program.slug, title="T", cohort=foreign.slug
        )

    assert caught.value.message_dict == {
        "cohort": [f"You are not a member of a cohort '{foreign.slug}' of this program."]
    }


def test_hub_slug_is_unique_and_derived_from_owner_and_program():
    first = MembershipFactory(user__username="ada")
    HubFactory(slug=f"ada-{first.cohort.program.slug}")  # someone took the natural slug

    hub = services.hub_create(actor=first.user, program=first.cohort.program.slug, title="T")

    assert hub.slug == f"ada-{first.cohort.program.slug}-2"


def test_moving_past_the_end_clamps():
    hub = HubFactory()
    a, _ = (services.entry_create(actor=hub.owner, hub=hub.pk, kind="note", title=t, topics=[]) for t in "AB")

    services.entry_update(actor=hub.owner, entry_id=a.pk, data={"position": 99})

    assert list(Entry.objects.filter(hub=hub).order_by("position").values_list("title", "position")) == [
        ("B", 0),
        ("A", 1),
    ]
