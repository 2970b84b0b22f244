"""A small cohort for the page tests (docs/web.md), written through the services as members would.

ada (learner)    public hub: a learning, a draft, a challenge about Celery
linus (learner)  cohort hub: a challenge about the same problem, a learning
grace (learner)  another cohort; private hub with one learning
mentor           mentor of ada's and linus's cohort
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client

from nexus.accounts.tests.factories import PASSWORD, UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.hubs import services as hub_services
from nexus.hubs.models import Entry, Hub
from nexus.search import services as search_services
from nexus.topics.tests.factories import TopicAliasFactory, TopicFactory


@dataclass
class WebWorld:
    ada: Any
    linus: Any
    grace: Any
    mentor: Any
    ada_hub: Hub
    linus_hub: Hub
    grace_hub: Hub
    learning: Entry
    draft: Entry
    challenge: Entry
    linus_challenge: Entry
    linus_learning: Entry
    grace_entry: Entry

    def client(self, member: Any = None, **kwargs: Any) -> Client:
        """A browser signed in as `member` (anonymous for None)."""
        client = Client(**kwargs)
        if member is not None:
            assert client.login(username=member.username, password=PASSWORD)
        return client


def build_world(capture) -> WebWorld:
    """`capture` is pytest-django's django_capture_on_commit_callbacks (links and indexing run after commit)."""
    cohort = CohortFactory(slug="be-3", name="Backend 3")
    other = CohortFactory(program=cohort.program, slug="be-4", name="Backend 4")
    ada = UserFactory(username="ada", profile__display_name="Ada Lovelace")
    linus = UserFactory(username="linus", profile__display_name="Linus T")
    grace = UserFactory(username="grace", profile__display_name="Grace H")
    mentor = UserFactory(username="mira", profile__display_name="Mira Mentor")
    MembershipFactory(user=ada, cohort=cohort)
    MembershipFactory(user=linus, cohort=cohort)
    MembershipFactory(user=grace, cohort=other)
    MembershipFactory(user=mentor, cohort=cohort, role=Membership.Role.MENTOR)
    TopicFactory(slug="django", name="Django")
    celery = TopicFactory(slug="celery", name="Celery")
    TopicFactory(slug="rabbitmq", name="RabbitMQ")
    TopicAliasFactory(topic=celery, name="celery beat")
    program = cohort.program.slug
    with capture(execute=True):
        ada_hub = hub_services.hub_create(
            actor=ada,
            program=program,
            title="Ada's Project Nexus",
            overview="## Program overview\n\nHow I *learned*.",
            visibility=Hub.Visibility.PUBLIC,
        )
        linus_hub = hub_services.hub_create(
            actor=linus, program=program, title="Linus's hub", visibility=Hub.Visibility.COHORT
        )
        grace_hub = hub_services.hub_create(
            actor=grace, program=program, title="Grace's hub", visibility=Hub.Visibility.PRIVATE
        )
        learning = hub_services.entry_create(
            actor=ada,
            hub=ada_hub.pk,
            kind="learning",
            title="Signals in Django",
            section="Key Technologies",
            body="Signals **wire** apps together.",
            topics=["django"],
            status="published",
        )
        draft = hub_services.entry_create(
            actor=ada,
            hub=ada_hub.pk,
            kind="note",
            title="Unfinished thoughts",
            body="Secret draft text.",
            status="draft",
            topics=[],
        )
        challenge = hub_services.entry_create(
            actor=ada,
            hub=ada_hub.pk,
            kind="challenge",
            title="Celery tasks hanging behind RabbitMQ",
            problem="Celery tasks hang behind RabbitMQ when the worker starts first.",
            solution="Retry the broker connection on startup.",
            topics=["celery", "rabbitmq"],
            status="published",
        )
        linus_challenge = hub_services.entry_create(
            actor=linus,
            hub=linus_hub.pk,
            kind="challenge",
            title="Celery tasks hang behind RabbitMQ",
            problem="Celery tasks hang behind RabbitMQ when the worker starts before the broker.",
            solution="Add a health check so the worker waits for RabbitMQ.",
            topics=["celery", "rabbitmq"],
            status="published",
        )
        linus_learning = hub_services.entry_create(
            actor=linus,
            hub=linus_hub.pk,
            kind="learning",
            title="Celery beat schedules",
            body="Periodic tasks.",
            topics=["celery"],
            status="published",
        )
        grace_entry = hub_services.entry_create(
            actor=grace, hub=grace_hub.pk, kind="learning", title="Private Celery notes", body="Hidden text.",
            topics=["celery"], status="published",
        )  # fmt: skip
    search_services.reindex_all()  # topics and members too, as `make run` has them
    return WebWorld(
        ada=ada, linus=linus, grace=grace, mentor=mentor, ada_hub=ada_hub, linus_hub=linus_hub, grace_hub=grace_hub,
        learning=learning, draft=draft, challenge=challenge, linus_challenge=linus_challenge,
        linus_learning=linus_learning, grace_entry=grace_entry,
    )  # fmt: skip


def htmx(**extra: str) -> dict[str, str]:
    """Headers of a request htmx makes."""
    return {"HTTP_HX_REQUEST": "true", **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in extra.items()}}
