"""The GraphQL root: every app's `Query` and `Mutation` merged by inheritance (HOUSE-STYLE).

Each app's `nexus/<app>/graphql.py` owns its types and root fields; this module only wires
them together with the extensions every request goes through: the strawberry-django
optimizer (no N+1), depth / alias / token limits, error shaping, and introspection that
`GRAPHQL_INTROSPECTION` turns off (off in production settings). See docs/api.md.
"""

from __future__ import annotations

import functools
from functools import partial
from typing import Any

import strawberry
from django.conf import settings
from django.urls import path
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.types.base import get_object_definition
from strawberry_django.optimizer import DjangoOptimizerExtension

from nexus.accounts import graphql as accounts
from nexus.accounts import graphql_mutations as accounts_writes
from nexus.cohorts import graphql as cohorts
from nexus.core.graphql import NexusErrors
from nexus.core.graphql_ws import GraphQLSubscriptionConsumer
from nexus.discussions import graphql as discussions
from nexus.discussions import graphql_mutations as discussions_writes
from nexus.discussions import graphql_subscriptions as discussions_live
from nexus.hubs import graphql as hubs
from nexus.hubs import graphql_mutations as hubs_writes
from nexus.knowledge import graphql as knowledge
from nexus.knowledge import graphql_mutations as knowledge_writes
from nexus.notifications import graphql as notifications
from nexus.notifications import graphql_mutations as notifications_writes
from nexus.notifications import graphql_subscriptions as notifications_live
from nexus.registry import graphql as registry
from nexus.registry import graphql_mutations as registry_writes
from nexus.registry import graphql_subscriptions as registry_live
from nexus.search import graphql as search
from nexus.topics import graphql as topics
from nexus.webhooks import graphql as webhooks
from nexus.webhooks import graphql_mutations as webhooks_writes

APPS = (accounts, cohorts, topics, hubs, knowledge, search, discussions, notifications, registry)


@strawberry.type
class Query(
    accounts.Query,
    cohorts.Query,
    topics.Query,
    hubs.Query,
    knowledge.Query,
    search.Query,
    discussions.Query,
    notifications.Query,
    registry.Query,
    webhooks.Query,
):
    """Everything you can read."""


@strawberry.type
class Mutation(
    accounts.Mutation,
    cohorts.Mutation,
    topics.Mutation,
    hubs.Mutation,
    knowledge.Mutation,
    search.Mutation,
    discussions.Mutation,
    notifications.Mutation,
    registry.Mutation,
    # The writes (nexus/<app>/graphql_mutations.py): REST's input serializers, REST's services.
    accounts_writes.Mutation,
    hubs_writes.Mutation,
    knowledge_writes.Mutation,
    discussions_writes.Mutation,
    notifications_writes.Mutation,
    registry_writes.Mutation,
    webhooks_writes.Mutation,
):
    """Everything you can change."""


@strawberry.type
class Subscription(discussions_live.Subscription, notifications_live.Subscription, registry_live.Subscription):
    """What you can watch live: graphql-transport-ws at /graphql/ (nexus/core/graphql_ws.py)."""


class CachedNameConverter(NameConverter):
    """strawberry's camelCase names, computed once per Python name.

    The optimizer looks every selected field up by comparing GraphQL names with each field of its
    type, converting each name again (about a thousand conversions for a hub page: a third of the
    request's time). The names never change, so they are cached.
    """

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one converter lives as long as the schema
    def apply_naming_config(self, name: str) -> str:
        return super().apply_naming_config(name)


def _has_fields(cls: type | None) -> bool:
    definition = get_object_definition(cls) if cls is not None else None
    return bool(definition and definition.fields)


def extensions() -> list[Any]:
    """The schema extensions, configured from settings (read once, at import)."""
    found: list[Any] = [
        partial(QueryDepthLimiter, max_depth=settings.GRAPHQL_MAX_DEPTH),
        partial(MaxAliasesLimiter, max_alias_count=settings.GRAPHQL_MAX_ALIASES),
        partial(MaxTokensLimiter, max_token_count=settings.GRAPHQL_MAX_TOKENS),
        NexusErrors,
        DjangoOptimizerExtension,
        # A client sends the same few documents again and again: parse and validate each once.
        partial(ParserCache, maxsize=256),
        partial(ValidationCache, maxsize=256),
    ]
    if not settings.GRAPHQL_INTROSPECTION:
        found.append(DisableIntrospection)
    return found


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation if _has_fields(Mutation) else None,
    subscription=Subscription if _has_fields(Subscription) else None,
    extensions=extensions(),
    config=StrawberryConfig(name_converter=CachedNameConverter()),
)

# The WebSocket route config/asgi.py mounts behind the shared Origin check and authentication.
websocket_urlpatterns: list[Any] = [
    path("graphql/", GraphQLSubscriptionConsumer.as_asgi(schema=schema), name="ws-graphql"),
]
