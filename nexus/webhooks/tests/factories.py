import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from nexus.cohorts.tests.factories import CohortFactory
from nexus.webhooks.models import Webhook, WebhookDelivery


class WebhookFactory(DjangoModelFactory):
    class Meta:
        model = Webhook

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Cohort feed {n}")
    url = "https://hooks.example.com/nexus"
    format = Webhook.Format.GENERIC
    secret = factory.Sequence(lambda n: f"whsec_test-secret-{n}")
    event_types = factory.LazyFunction(lambda: ["*"])


class WebhookDeliveryFactory(DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    webhook = factory.SubFactory(WebhookFactory)
    event_id = factory.Sequence(lambda n: f"evt-{n}")
    event_type = "entry.published"
    payload = factory.LazyFunction(lambda: {"summary": "Ada published “CORS between React and DRF”."})
    next_attempt_at = factory.LazyFunction(timezone.now)
