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
