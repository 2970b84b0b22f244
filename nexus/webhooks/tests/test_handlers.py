"""Published entries reach the webhooks of the cohorts that may read them, once per event."""

import pytest

from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.core import events
from nexus.core.models import OutboxEvent
from nexus.hubs import services as hub_services
from nexus.hubs.tests.factories import HubFactory
from nexus.webhooks import handlers
from nexus.webhooks.models import WebhookDelivery
from nexus.webhooks.tests.factories import WebhookFactory

pytestmark = pytest.mark.django_db


def publish(hub, title):
    return hub_services.entry_create(
        actor=hub.owner, hub=hub.slug, kind="learning", title=title, body="Words.", status="published"
    )


def test_published_entries_reach_their_cohorts_webhooks_once(django_capture_on_commit_callbacks):
    cohort, other = CohortFactory(), CohortFactory()
    owner = MembershipFactory(cohort=cohort).user
    hub = HubFactory(owner=owner, cohort=cohort, program=cohort.program, visibility="cohort")
    hook = WebhookFactory(cohort=cohort, event_types=["entry.published"])
    WebhookFactory(cohort=other, event_types=["*"])
    WebhookFactory(cohort=cohort, event_types=["solution.verified"])

    with django_capture_on_commit_callbacks(execute=True):
        publish(hub, "Docker networking")
    event = OutboxEvent.objects.get(type="entries.published")
    deliveries = list(WebhookDelivery.objects.all())

    assert [(d.webhook_id, d.event_type) for d in deliveries] == [(hook.pk, "entry.published")]
    payload = deliveries[0].payload
    assert payload["summary"] == f"{owner.username} published “Docker networking”"
    assert payload["entries"][0]["title"] == "Docker networking"
    # the same event handled again (a redelivery) queues nothing new
    assert handlers.entries_published in events.handlers_for("entries.published")
    handlers.entries_published(event)
    assert WebhookDelivery.objects.count() == 1


def test_private_hubs_and_drafts_stay_quiet(django_capture_on_commit_callbacks):
    cohort = CohortFactory()
    owner = MembershipFactory(cohort=cohort).user
    hub = HubFactory(owner=owner, cohort=cohort, program=cohort.program, visibility="private")
    WebhookFactory(cohort=cohort, event_types=["*"])

    with django_capture_on_commit_callbacks(execute=True):
        publish(hub, "Secret notes")

    assert WebhookDelivery.objects.count() == 0


def test_a_channels_new_messages_reach_that_channels_webhooks(client_for, django_capture_on_commit_callbacks):
    from nexus.cohorts.models import Membership
    from nexus.discussions import services as discussions

    cohort = CohortFactory()
    mentor = MembershipFactory(cohort=cohort, role=Membership.Role.MENTOR).user
    learner = MembershipFactory(cohort=cohort).user
    outsider = MembershipFactory().user
    channel = discussions.channel_create(actor=mentor, cohort=cohort.slug, name="General")
    other = discussions.channel_create(actor=mentor, cohort=cohort.slug, name="Random")
    body = {"channel": channel.pk, "name": "General on Discord", "url": "https://hooks.example.com/x",
            "format": "discord", "event_types": ["message.*"]}  # fmt: skip

    refused = client_for(learner).post("/api/v1/webhooks/", body, format="json")
    hidden = client_for(outsider).post("/api/v1/webhooks/", {**body, "channel": 999999}, format="json")
    both = client_for(mentor).post("/api/v1/webhooks/", {**body, "cohort": cohort.slug}, format="json")
    made = client_for(mentor).post("/api/v1/webhooks/", body, format="json")
    WebhookFactory(cohort=cohort, event_types=["*"])  # the cohort's own webhook gets no chat
    with django_capture_on_commit_callbacks(execute=True):
        discussions.thread_create(actor=learner, channel_id=channel.pk, title="Celery", body="Worker idles")
        discussions.thread_create(actor=learner, channel_id=other.pk, title="Lunch", body="Pizza?")

    assert refused.status_code == 403 and hidden.status_code == 404 and both.status_code == 400
    assert made.status_code == 201 and made.json()["channel"] == channel.pk and made.json()["cohort"] is None
    deliveries = list(WebhookDelivery.objects.all())
    assert [(d.webhook_id, d.event_type) for d in deliveries] == [(made.json()["id"], "message.created")]
    assert deliveries[0].payload["summary"] == f"{learner.username} in #General › Celery: Worker idles"
    listed = client_for(mentor).get(f"/api/v1/webhooks/?channel={channel.pk}").json()["results"]
    assert [w["id"] for w in listed] == [made.json()["id"]]
