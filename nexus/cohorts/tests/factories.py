import factory
from factory.django import DjangoModelFactory

from nexus.accounts.models import Track
from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Cohort, Membership, Program


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"ProDev Program {n}")
    track = Track.BACKEND


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    name = factory.Sequence(lambda n: f"Cohort {n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.LEARNER
