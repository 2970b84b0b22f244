import factory
from factory.django import DjangoModelFactory

from nexus.accounts.models import Profile, Track, User

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    profile = factory.RelatedFactory("nexus.accounts.tests.factories.ProfileFactory", factory_related_name="user")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook
        if create:
            obj.save()


class ProfileFactory(DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory, profile=None)
    display_name = factory.Faker("name")
    track = Track.BACKEND
