import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.tests.factories import ProgramFactory
from nexus.hubs.models import Entry, Hub


class HubFactory(DjangoModelFactory):
    class Meta:
        model = Hub

    owner = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    cohort = None
    slug = factory.Sequence(lambda n: f"hub-{n}")
    title = factory.Sequence(lambda n: f"Project Nexus {n}")
    overview = "What I learned."
    visibility = Hub.Visibility.PUBLIC


class EntryFactory(DjangoModelFactory):
    class Meta:
        model = Entry

    hub = factory.SubFactory(HubFactory)
    kind = Entry.Kind.LEARNING
    title = factory.Sequence(lambda n: f"Entry {n}")
    body = "Learned **something**."
    body_html = "<p>Learned <strong>something</strong>.</p>"
    status = Entry.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    position = factory.Sequence(lambda n: n)


class ChallengeFactory(EntryFactory):
    kind = Entry.Kind.CHALLENGE
    problem = "CORS errors between the frontend and the API."
    solution = "Configured django-cors-headers with an explicit allow-list."
