import factory
from factory.django import DjangoModelFactory

from nexus.accounts.tests.factories import UserFactory
from nexus.hubs.tests.factories import ChallengeFactory
from nexus.knowledge.models import Problem, ProblemConfirmation, ProblemLink, SolutionConfirmation, SolutionVerification


class ProblemFactory(DjangoModelFactory):
    class Meta:
        model = Problem

    title = factory.Sequence(lambda n: f"Problem {n}")
    description = "Something went wrong."


class ProblemLinkFactory(DjangoModelFactory):
    class Meta:
        model = ProblemLink

    entry = factory.SubFactory(ChallengeFactory)
    problem = factory.SubFactory(ProblemFactory)


class ProblemConfirmationFactory(DjangoModelFactory):
    class Meta:
        model = ProblemConfirmation

    problem = factory.SubFactory(ProblemFactory)
    user = factory.SubFactory(UserFactory)


class SolutionConfirmationFactory(DjangoModelFactory):
    class Meta:
        model = SolutionConfirmation

    entry = factory.SubFactory(ChallengeFactory)
    user = factory.SubFactory(UserFactory)


class SolutionVerificationFactory(DjangoModelFactory):
    class Meta:
        model = SolutionVerification

    entry = factory.SubFactory(ChallengeFactory)
    verified_by = factory.SubFactory(UserFactory)
