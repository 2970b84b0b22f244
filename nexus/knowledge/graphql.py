"""Canonical problems, their links to challenges, confirmations and verifications over GraphQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry import relay
from strawberry.types import Info

from nexus.core.graphql import actor, optimized
from nexus.knowledge import access
from nexus.knowledge.models import Problem, ProblemLink, SolutionConfirmation, SolutionVerification

if TYPE_CHECKING:
    from nexus.accounts.graphql import UserType
    from nexus.hubs.graphql import EntryType
    from nexus.topics.graphql import TopicType


@strawberry_django.type(Problem)
class ProblemType(relay.Node):
    """A canonical problem that several learners' challenges describe."""

    title: strawberry.auto
    description: strawberry.auto
    topics: list[Annotated[TopicType, strawberry.lazy("nexus.topics.graphql")]]
    curated: strawberry.auto
    merged_into: ProblemType | None
    created_at: strawberry.auto
    updated_at: strawberry.auto

    @strawberry_django.field(description="The id REST uses.", only=["id"])
    def database_id(self) -> int:
        return self.pk  # type: ignore[attr-defined]

    @classmethod
    def get_queryset(cls, queryset: QuerySet[Problem], info: Info, **kwargs: Any) -> QuerySet[Problem]:
        return queryset & access.problems_visible_to(actor(info))


@strawberry_django.type(ProblemLink)
class ProblemLinkType:
    """A challenge's link to its canonical problem."""

    problem: ProblemType
    entry: Annotated[EntryType, strawberry.lazy("nexus.hubs.graphql")]
    confidence: strawberry.auto
    attached_by: strawberry.auto


@strawberry_django.type(SolutionConfirmation)
class SolutionConfirmationType:
    """A member saying a challenge's solution worked for them too."""

    user: Annotated[UserType, strawberry.lazy("nexus.accounts.graphql")]
    created_at: strawberry.auto


@strawberry_django.type(SolutionVerification)
class SolutionVerificationType:
    """A mentor's or staff member's verification of a solution."""

    verified_by: Annotated[UserType, strawberry.lazy("nexus.accounts.graphql")] | None
    created_at: strawberry.auto


@strawberry.type
class Query:
    @strawberry_django.field(description="A problem by its REST id.")
    def problem(self, info: Info, id: int) -> ProblemType | None:
        return optimized(access.access_problem(actor(info), id), info)


@strawberry.type
class Mutation:
    """Knowledge writes -- added by the mutations work."""
