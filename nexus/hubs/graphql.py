"""Hubs, entries and revisions over GraphQL: types and queries.

Visibility is never decided here: each type's `get_queryset` narrows any queryset of it -- a
root list or a nested relation the optimizer prefetches -- with `hubs.access`, and single
objects are loaded with `access_hub` / `access_entry` (404 -> null + NOT_FOUND error).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry_django.relay import DjangoCursorConnection

from nexus.core.graphql import actor, bare, narrowed, optimized, validated
from nexus.hubs import access, selectors
from nexus.hubs.api import serializers as api_serializers
from nexus.hubs.models import Entry, EntryRevision, Hub

if TYPE_CHECKING:
    from nexus.accounts.graphql import UserType
    from nexus.cohorts.graphql import CohortType, ProgramType
    from nexus.knowledge.graphql import ProblemLinkType
    from nexus.topics.graphql import TopicType

_ENTRY_ORDERING = (
    "created_at, updated_at, position or title; `-` for descending. Default: `position` with `hub`, else `-created_at`."
)
# What an entry's author (a UserType reached through the hub) may show, loaded with the entry.
_AUTHOR_FIELDS = (
    "id", "username", "profile__id", "profile__user_id", "profile__display_name", "profile__bio", "profile__track",
    "profile__github_url", "profile__linkedin_url", "profile__website_url",
)  # fmt: skip
_CHALLENGE_ONLY = "Only challenges have one; null on other kinds (as in REST)."


@strawberry_django.type(Hub)
class HubType(relay.Node):
    """A member's knowledge hub for one program."""

    slug: strawberry.auto
    title: strawberry.auto
    overview: strawberry.auto
    overview_html: strawberry.auto
    visibility: strawberry.auto
    owner: Annotated[UserType, strawberry.lazy("nexus.accounts.graphql")]
    program: Annotated[ProgramType, strawberry.lazy("nexus.cohorts.graphql")]
    cohort: Annotated[CohortType, strawberry.lazy("nexus.cohorts.graphql")] | None
    created_at: strawberry.auto
    updated_at: strawberry.auto
    entries: list[EntryType] = strawberry_django.field(
        description="The entries you may see, in hub order (drafts only to the owner)."
    )

    @strawberry_django.field(description="The id REST uses.", only=["id"])
    def database_id(self) -> int:
        return self.pk  # type: ignore[attr-defined]

    @classmethod
    def get_queryset(cls, queryset: QuerySet[Hub], info: Info, **kwargs: Any) -> QuerySet[Hub]:
        return narrowed(queryset, access.hubs_visible_to(actor(info)))


@strawberry_django.type(Entry)
class EntryType(relay.Node):
    """One piece of knowledge in a hub: a learning, a challenge, a practice or a note."""

    hub: HubType
    kind: strawberry.auto
    section: strawberry.auto
    title: strawberry.auto
    body: strawberry.auto
    body_html: strawberry.auto
    topics: list[Annotated[TopicType, strawberry.lazy("nexus.topics.graphql")]]
    references: JSON
    status: strawberry.auto
    position: strawberry.auto
    published_at: strawberry.auto
    created_at: strawberry.auto
    updated_at: strawberry.auto
    problem_link: Annotated[ProblemLinkType, strawberry.lazy("nexus.knowledge.graphql")] | None = (
        strawberry_django.field(description="The canonical problem this challenge is linked to, if any.")
    )

    @strawberry_django.field(description="The id REST uses.", only=["id"])
    def database_id(self) -> int:
        return self.pk  # type: ignore[attr-defined]

    @strawberry_django.field(
        description="The hub's owner (their `hubs` are not batched here: ask them on `member`).",
        select_related=["hub__owner__profile"],
        # The whole hub row comes along: `hub { ... }` next to `author` is then read from the
        # same join (a narrower `only` here would leave the hub's other columns deferred: N+1).
        only=[f"hub__owner__{name}" for name in _AUTHOR_FIELDS]
        + [f"hub__{f.attname}" for f in Hub._meta.concrete_fields],
    )
    def author(self) -> Annotated[UserType, strawberry.lazy("nexus.accounts.graphql")]:
        return self.hub.owner  # type: ignore[attr-defined,return-value]

    @strawberry_django.field(description=_CHALLENGE_ONLY, only=["kind", "problem"])
    def problem(self) -> str | None:
        return self.problem if self.kind == Entry.Kind.CHALLENGE else None  # type: ignore[attr-defined]

    @strawberry_django.field(description=_CHALLENGE_ONLY, only=["kind", "problem_html"])
    def problem_html(self) -> str | None:
        return self.problem_html if self.kind == Entry.Kind.CHALLENGE else None  # type: ignore[attr-defined]

    @strawberry_django.field(description=_CHALLENGE_ONLY, only=["kind", "solution"])
    def solution(self) -> str | None:
        return self.solution if self.kind == Entry.Kind.CHALLENGE else None  # type: ignore[attr-defined]

    @strawberry_django.field(description=_CHALLENGE_ONLY, only=["kind", "solution_html"])
    def solution_html(self) -> str | None:
        return self.solution_html if self.kind == Entry.Kind.CHALLENGE else None  # type: ignore[attr-defined]

    @strawberry_django.field(description=_CHALLENGE_ONLY, only=["kind", "outcome"])
    def outcome(self) -> str | None:
        return self.outcome if self.kind == Entry.Kind.CHALLENGE else None  # type: ignore[attr-defined]

    @strawberry_django.field(description=_CHALLENGE_ONLY, only=["kind", "outcome_html"])
    def outcome_html(self) -> str | None:
        return self.outcome_html if self.kind == Entry.Kind.CHALLENGE else None  # type: ignore[attr-defined]

    @classmethod
    def get_queryset(cls, queryset: QuerySet[Entry], info: Info, **kwargs: Any) -> QuerySet[Entry]:
        return narrowed(queryset, access.entries_visible_to(actor(info)))


@strawberry_django.type(EntryRevision)
class EntryRevisionType(relay.Node):
    """A snapshot of an entry's content after a change."""

    number: strawberry.auto
    editor: Annotated[UserType, strawberry.lazy("nexus.accounts.graphql")] | None
    created_at: strawberry.auto
    kind: strawberry.auto
    title: strawberry.auto
    body: strawberry.auto
    problem: strawberry.auto
    solution: strawberry.auto
    outcome: strawberry.auto
    status: strawberry.auto
    topics: JSON = strawberry_django.field(description="Topic slugs at the time of the revision.")
    references: JSON


@strawberry.type
class Query:
    @strawberry_django.connection(DjangoCursorConnection[HubType], description="Hubs you may see (as REST /hubs/).")
    def hubs(
        self,
        info: Info,
        owner: str | None = None,
        program: str | None = None,
        cohort: str | None = None,
        visibility: str | None = None,
        q: str | None = None,
    ) -> QuerySet[Hub]:
        filters = validated(
            api_serializers.HubFilterSerializer, owner=owner, program=program, cohort=cohort, visibility=visibility, q=q
        )
        return bare(selectors.hub_list(actor=actor(info), **filters)).order_by("-created_at", "-id")

    @strawberry_django.connection(
        DjangoCursorConnection[EntryType],
        description="Entries you may see, filtered as REST /entries/ (`topic` includes the topics below it).",
    )
    def entries(
        self,
        info: Info,
        kind: str | None = None,
        topic: str | None = None,
        hub: str | None = None,
        author: str | None = None,
        cohort: str | None = None,
        status: str | None = None,
        q: str | None = None,
        ordering: Annotated[str | None, strawberry.argument(description=_ENTRY_ORDERING)] = None,
    ) -> QuerySet[Entry]:
        filters = validated(
            api_serializers.EntryFilterSerializer,
            kind=kind,
            topic=topic,
            hub=hub,
            author=author,
            cohort=cohort,
            status=status,
            q=q,
            ordering=ordering,
        )
        order = filters.pop("ordering")
        return selectors.entry_list(actor=actor(info), **filters).order_by(order, "-id" if order[0] == "-" else "id")

    @strawberry_django.field(description="A hub by id or slug (null + NOT_FOUND if you may not see it).")
    def hub(self, info: Info, ref: str) -> HubType | None:
        return optimized(access.access_hub(actor(info), ref), info)

    @strawberry_django.field(description="An entry by its REST id (null + NOT_FOUND if you may not see it).")
    def entry(self, info: Info, id: int) -> EntryType | None:
        return optimized(access.access_entry(actor(info), id), info)

    @strawberry_django.connection(
        DjangoCursorConnection[EntryRevisionType],
        description="An entry's revisions, newest first (a draft's history only to its author).",
    )
    def entry_revisions(self, info: Info, entry_id: int) -> QuerySet[EntryRevision]:
        entry = access.access_entry(actor(info), entry_id)
        return bare(selectors.revision_list(entry=entry)).order_by("-number")


@strawberry.type
class Mutation:
    """Hub and entry writes -- added by the mutations work."""
