"""One search over everything, over GraphQL (through `nexus.search.selectors.search`)."""

from __future__ import annotations

from typing import Annotated

import strawberry
import strawberry_django
from strawberry.types import Info

from nexus.core.graphql import actor, validated
from nexus.search import selectors
from nexus.search.api import serializers as api_serializers


@strawberry.type
class SearchHitType:
    """One result; `titleHtml` and `snippetHtml` are escaped text with matches in <mark>."""

    type: str = strawberry.field(description="The document type: entry, hub, topic, member.")
    id: int = strawberry.field(description="The object's id in its type (REST id).")
    kind: str
    title: str
    title_html: str
    snippet_html: str
    url: str = strawberry.field(description="The object's REST URL.")
    score: float


@strawberry.type
class FacetValueType:
    value: str
    count: int


@strawberry.type
class FacetsType:
    kind: list[FacetValueType]
    topic: list[FacetValueType]
    cohort: list[FacetValueType]
    track: list[FacetValueType]
    author: list[FacetValueType]


@strawberry.type
class CorrectionType:
    word: str
    suggestions: list[str]


@strawberry.type
class SearchResultType:
    """A page of hits with the count and facets of every match (of the candidates when capped)."""

    hits: list[SearchHitType]
    count: int
    count_is_lower_bound: bool
    facets: FacetsType
    corrections: list[CorrectionType]
    next_cursor: str | None = strawberry.field(description="Pass as `cursor` for the next page; null on the last.")


@strawberry.type
class Query:
    @strawberry_django.field(description="Search entries, challenges, hubs, topics and members you may read.")
    def search(
        self,
        info: Info,
        q: str,
        kind: str | None = None,
        topic: str | None = None,
        cohort: str | None = None,
        track: str | None = None,
        author: str | None = None,
        cursor: str | None = None,
        first: Annotated[int | None, strawberry.argument(description="Page size, 1-100 (default 20).")] = None,
    ) -> SearchResultType:
        filters = validated(
            api_serializers.SearchFilterSerializer,
            q=q,
            kind=kind,
            topic=topic,
            cohort=cohort,
            track=track,
            author=author,
            cursor=cursor,
            page_size=first,
        )
        limit = filters.pop("page_size")
        result = selectors.search(actor=actor(info), limit=limit, **filters)
        facets = {
            name: [FacetValueType(value=v, count=n) for v, n in result.facets.get(name, [])]
            for name in selectors.FACETS
        }
        return SearchResultType(
            hits=[
                SearchHitType(
                    type=h.source,
                    id=h.id,
                    kind=h.kind,
                    title=h.title,
                    title_html=h.title_html,
                    snippet_html=h.snippet_html,
                    url=h.url,
                    score=h.score,
                )
                for h in result.hits
            ],
            count=result.total,
            count_is_lower_bound=result.capped,
            facets=FacetsType(**facets),
            corrections=[CorrectionType(word=w, suggestions=list(s)) for w, s in result.corrections.items()],
            next_cursor=result.next_cursor,
        )


@strawberry.type
class Mutation:
    """Search has no writes."""
