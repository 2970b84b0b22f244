import factory
from factory.django import DjangoModelFactory

from nexus.accounts.tests.factories import UserFactory
from nexus.registry.models import ApiConsumer, RegisteredApi


class RegisteredApiFactory(DjangoModelFactory):
    class Meta:
        model = RegisteredApi

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Pets API {n}")
    slug = factory.Sequence(lambda n: f"pets-{n}")
    base_url = "https://pets.example.com"
    visibility = RegisteredApi.Visibility.PUBLIC


class ApiConsumerFactory(DjangoModelFactory):
    class Meta:
        model = ApiConsumer

    api = factory.SubFactory(RegisteredApiFactory)
    user = factory.SubFactory(UserFactory)
    operations = factory.LazyFunction(list)
