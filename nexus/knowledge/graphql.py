"""Canonical problems, their links to challenges, confirmations and verifications over GraphQL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from django.conf import settings
from django.db.models import QuerySet
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry_django.relay import DjangoCursorConnection

from nexus.core.graphql import actor, bare, batch_loader, narrowed, noted, optimized, validated
from nexus.hubs import access as hub_access
from nexus.knowledge import access, selectors
from nexus.knowledge.api import serializers as api_serializers
from nexus.knowledge.models import Problem, ProblemLink, SolutionConfirmation, SolutionVerification
from nexus.topics.models import Topic

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

    @strawberry_django.field(description='Whether you said "I hit this too".', only=["id"])
    def hit_by_me(self, info: Info) -> bool:
        def load(ids: Iterable[int]) -> dict[int, bool]:
            ids = list(ids)
            hit = selectors.problems_hit_by(actor=actor(info), problem_ids=ids)
            return {pk: pk in hit for pk in ids}

        return batch_loader(info, Problem, "hit_by_me", load).load(self.pk)  # type: ignore[attr-defined]

    @strawberry_django.field(description="Its challenges you may read, best first.", only=["id"])
    def solutions(self, info: Info) -> list[RankedSolutionType]:
        def load(ids: Iterable[int]) -> dict[int, list[selectors.RankedSolution]]:
            return selectors.problems_solutions(actor=actor(info), problem_ids=ids)

        ranked = batch_loader(info, Problem, "solutions", load).load(self.pk)  # type: ignore[attr-defined]
        return [RankedSolutionType(**vars(solution)) for solution in ranked]

    @classmethod
    def get_queryset(cls, queryset: QuerySet[Problem], info: Info, **kwargs: Any) -> QuerySet[Problem]:
        return noted(narrowed(queryset, access.problems_visible_to(actor(info))), info)


@strawberry_django.type(ProblemLink)
class ProblemLinkType:
    """A challenge's link to its canonical problem."""

    problem: ProblemType | None = strawberry_django.field(
        description="Null when you may not read the problem (it has no published challenge you may read)."
    )
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
class RankedSolutionType:
    """A challenge as a solution of its problem, with what its rank is made of."""

    entry: Annotated[EntryType, strawberry.lazy("nexus.hubs.graphql")]
    score: float
    confirmations: int
    verified: bool
    verified_at: datetime | None
    confirmed_by_me: bool


@strawberry.type
class SimilarProblemType:
    problem: ProblemType
    score: float


@strawberry.type
class SimilarProblemsType:
    """Problems like a text, best first; `threshold` is the score at which a challenge joins one."""

    threshold: float
    results: list[SimilarProblemType]


def _similar(found: list[tuple[Problem, float]]) -> SimilarProblemsType:
    return SimilarProblemsType(
        threshold=settings.KNOWLEDGE_ATTACH_THRESHOLD,
        results=[SimilarProblemType(problem=problem, score=score) for problem, score in found],  # type: ignore[arg-type]
    )


_ORDERING = "-hit_count (default), -created_at, -updated_at or title."


@strawberry.type
class Query:
    @strawberry_django.connection(
        DjangoCursorConnection[ProblemType],
        description="Live problems you may read (as REST /problems/); by default those most learners hit first.",
    )
    def problems(
        self,
        info: Info,
        topic: str | None = None,
        cohort: str | None = None,
        q: str | None = None,
        ordering: Annotated[str | None, strawberry.argument(description=_ORDERING)] = None,
    ) -> QuerySet[Problem]:
        filters = validated(api_serializers.ProblemFilterSerializer, topic=topic, cohort=cohort, q=q, ordering=ordering)
        order = filters.pop("ordering")
        found = bare(selectors.problem_list(actor=actor(info), **filters))
        return found.order_by(order, "-id" if order[0] == "-" else "id")

    @strawberry_django.field(description="A problem you may read, by its REST id.")
    def problem(self, info: Info, id: int) -> ProblemType | None:
        return optimized(access.access_problem(actor(info), id), info)

    @strawberry_django.field(description="Problems similar to a draft challenge (while composing).")
    def similar_problems(
        self, info: Info, text: str, topics: list[str] | None = None, limit: int | None = None
    ) -> SimilarProblemsType:
        params = validated(api_serializers.SimilarQuerySerializer, text=text, topics=topics, limit=limit)
        topic_ids = list(Topic.objects.filter(slug__in=params["topics"]).values_list("pk", flat=True))
        found = selectors.problem_similar(
            actor=actor(info), text=params["text"], topic_ids=topic_ids, limit=params["limit"]
        )
        return _similar(found)

    @strawberry_django.field(description="Problems similar to a challenge you may read, other than its own.")
    def entry_similar_problems(self, info: Info, entry_id: int, limit: int | None = None) -> SimilarProblemsType:
        params = validated(api_serializers.SimilarLimitSerializer, limit=limit)
        entry = hub_access.access_entry(actor(info), entry_id)
        link = getattr(entry, "problem_link", None)
        return _similar(
            selectors.problem_similar(
                actor=actor(info),
                text=selectors.entry_text(entry),
                topic_ids=entry.topics.values_list("pk", flat=True),
                exclude=[link.problem_id] if link else [],
                limit=params["limit"],
            )
        )

    @strawberry_django.field(
        description="What the cohort wrote about a topic and the topics below it (REST /topics/<slug>/page/, as JSON)."
    )
    def topic_page(self, info: Info, slug: str) -> JSON:
        return selectors.topic_page(actor=actor(info), slug=slug)


@strawberry.type
class Mutation:
    """Knowledge writes -- added by the mutations work."""
