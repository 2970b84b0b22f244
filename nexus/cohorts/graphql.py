"""Programs, cohorts and memberships over GraphQL: types and queries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from django.db.models import QuerySet
from django.http import Http404
from strawberry import relay
from strawberry.types import Info
from strawberry_django.relay import DjangoCursorConnection

from nexus.cohorts import access, selectors
from nexus.cohorts.api import serializers as api_serializers
from nexus.cohorts.models import Cohort, Membership, Program
from nexus.core.graphql import actor, bare, optimized, validated

if TYPE_CHECKING:
    from nexus.accounts.graphql import UserType


@strawberry_django.type(Program)
class ProgramType(relay.Node):
    """A curriculum such as "ProDev Backend Engineering"."""

    slug: strawberry.auto
    name: strawberry.auto
    description: strawberry.auto
    track: strawberry.auto
    cohorts: list[CohortType]


@strawberry_django.type(Cohort)
class CohortType(relay.Node):
    """One intake of a program."""

    slug: strawberry.auto
    name: strawberry.auto
    starts_on: strawberry.auto
    ends_on: strawberry.auto
    program: ProgramType


@strawberry_django.type(Membership)
class MembershipType(relay.Node):
    """A member's place in a cohort."""

    user: Annotated[UserType, strawberry.lazy("nexus.accounts.graphql")]
    cohort: CohortType
    role: strawberry.auto
    created_at: strawberry.auto


@strawberry.type
class Query:
    @strawberry_django.connection(DjangoCursorConnection[ProgramType], description="Programs, by name.")
    def programs(self, info: Info) -> QuerySet[Program]:
        return selectors.program_list().order_by("name", "id")

    @strawberry_django.field(description="A program by slug.")
    def program(self, info: Info, slug: str) -> ProgramType | None:
        found = selectors.program_list().filter(slug=slug).first()
        if found is None:
            raise Http404(f"No program with slug {slug!r}.")
        return optimized(found, info)

    @strawberry_django.connection(DjangoCursorConnection[CohortType], description="Cohorts, newest first.")
    def cohorts(self, info: Info, program: str | None = None) -> QuerySet[Cohort]:
        filters = validated(api_serializers.CohortFilterSerializer, program=program)
        return bare(selectors.cohort_list(**filters)).order_by("-created_at", "-id")

    @strawberry_django.field(description="A cohort by slug.")
    def cohort(self, info: Info, slug: str) -> CohortType | None:
        return optimized(access.access_cohort(actor(info), slug), info)

    @strawberry_django.connection(
        DjangoCursorConnection[MembershipType], description="Members of a cohort (its members and staff only)."
    )
    def cohort_members(self, info: Info, slug: str, role: str | None = None) -> QuerySet[Membership]:
        cohort = access.access_cohort(actor(info), slug, to_list_members=True)
        filters = validated(api_serializers.MembershipFilterSerializer, role=role)
        return bare(selectors.membership_list(cohort=cohort, **filters)).order_by("created_at", "id")


@strawberry.type
class Mutation:
    """Cohort writes -- added by the mutations work."""
