"""Fixtures for search tests: the index hooks of hubs.services, and a small world to search."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.core.markdown import render_markdown
from nexus.hubs.models import Entry, Hub
from nexus.hubs.tests.factories import ChallengeFactory, EntryFactory, HubFactory
from nexus.search import services
from nexus.topics.tests.factories import TopicAliasFactory, TopicFactory


def make_entry(factory=EntryFactory, **fields) -> Entry:
    """An entry whose rendered HTML matches its Markdown (the factories' HTML is fixed)."""
    for source in ("body", "problem", "solution", "outcome"):
        if source in fields:
            fields[f"{source}_html"] = render_markdown(fields[source])
    return factory(**fields)


@dataclass
class World:
    """Members, hubs of every visibility, entries (published and draft), all indexed."""

    owner: object
    classmate: object  # in the owner's cohort
    stranger: object  # a learner elsewhere
    staff: object
    cohort: object
    public_hub: Hub
    cohort_hub: Hub
    private_hub: Hub
    public_entry: Entry
    public_draft: Entry
    cohort_entry: Entry
    private_entry: Entry
    challenge: Entry
    postgres_entry: Entry


@pytest.fixture
def world(db) -> World:
    """Every document mentions "kestrel" so one query sees all of them; none else does."""
    cohort = CohortFactory(slug="be-3")
    owner = UserFactory(username="ada")
    classmate = UserFactory(username="linus")
    stranger = UserFactory(username="grace")
    staff = UserFactory(username="admin", is_staff=True)
    MembershipFactory(user=owner, cohort=cohort)
    MembershipFactory(user=classmate, cohort=cohort)
    program = cohort.program
    other = CohortFactory(program=program, slug="be-4")
    MembershipFactory(user=stranger, cohort=other)
    public_hub = HubFactory(owner=owner, program=program, cohort=cohort, title="Ada kestrel public hub")
    cohort_hub = HubFactory(
        owner=classmate, program=program, cohort=cohort, visibility=Hub.Visibility.COHORT, title="Linus kestrel hub"
    )
    private_hub = HubFactory(
        owner=stranger, program=program, cohort=other, visibility=Hub.Visibility.PRIVATE, title="Grace kestrel hub"
    )
    django = TopicFactory(slug="django", name="Django")
    postgres = TopicFactory(slug="postgresql", name="PostgreSQL")
    TopicAliasFactory(topic=postgres, name="Postgres")
    public_entry = make_entry(hub=public_hub, title="Kestrel signals in Django", body="Signals **wire** apps.")
    public_entry.topics.set([django])
    public_draft = make_entry(
        hub=public_hub, title="Kestrel draft", status=Entry.Status.DRAFT, published_at=None, body="Unfinished."
    )
    cohort_entry = make_entry(hub=cohort_hub, title="Kestrel cohort notes", body="Only the cohort sees this.")
    private_entry = make_entry(hub=private_hub, title="Kestrel private notes", body="Only Grace sees this.")
    challenge = make_entry(
        ChallengeFactory,
        hub=public_hub,
        title="Kestrel workers stuck",
        body="",
        problem="Celery tasks hanging behind RabbitMQ.",
        solution="Set the broker heartbeat.",
    )
    postgres_entry = make_entry(
        hub=public_hub, title="Kestrel database", body="Ran migrations on the relational store."
    )
    postgres_entry.topics.set([postgres])
    services.reindex_all()
    return World(
        owner=owner,
        classmate=classmate,
        stranger=stranger,
        staff=staff,
        cohort=cohort,
        public_hub=public_hub,
        cohort_hub=cohort_hub,
        private_hub=private_hub,
        public_entry=public_entry,
        public_draft=public_draft,
        cohort_entry=cohort_entry,
        private_entry=private_entry,
        challenge=challenge,
        postgres_entry=postgres_entry,
    )
