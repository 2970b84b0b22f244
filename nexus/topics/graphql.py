"""The topic taxonomy over GraphQL: types and queries."""

from __future__ import annotations

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry import relay
from strawberry.types import Info
from strawberry_django.relay import DjangoCursorConnection

from nexus.core.graphql import bare, optimized, validated
from nexus.topics import selectors
from nexus.topics.api import serializers as api_serializers
from nexus.topics.models import Topic, TopicAlias


@strawberry_django.type(TopicAlias)
class TopicAliasType:
    name: strawberry.auto


@strawberry_django.type(Topic)
class TopicType(relay.Node):
    """A technology, concept or practice entries are tagged with."""

    slug: strawberry.auto
    name: strawberry.auto
    kind: strawberry.auto
    description: strawberry.auto
    parent: TopicType | None
    children: list[TopicType]
    aliases: list[TopicAliasType]


@strawberry.type
class Query:
    @strawberry_django.connection(DjangoCursorConnection[TopicType], description="Topics (as REST /topics/).")
    def topics(
        self, info: Info, kind: str | None = None, q: str | None = None, parent: str | None = None
    ) -> QuerySet[Topic]:
        filters = validated(api_serializers.TopicFilterSerializer, kind=kind, q=q, parent=parent)
        return bare(selectors.topic_list(**filters)).order_by("name", "slug")

    @strawberry_django.field(description="A topic by slug.")
    def topic(self, info: Info, slug: str) -> TopicType | None:
        return optimized(selectors.topic_get(slug=slug), info)


@strawberry.type
class Mutation:
    """Topic writes -- added by the mutations work."""
