"""Registered APIs, their schema versions, operations, health and consumers over GraphQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry_django.relay import DjangoCursorConnection

from nexus.core.graphql import actor, bare, batch_loader, narrowed, noted, optimized, signed_in, validated
from nexus.registry import access, selectors
from nexus.registry.api import serializers as api_serializers
from nexus.registry.models import (
    ApiConsumer,
    ApiOperation,
    ApiSchemaVersion,
    HealthCheck,
    RegisteredApi,
    RegistryAlert,
)

if TYPE_CHECKING:
    from nexus.accounts.graphql import UserType
    from nexus.cohorts.graphql import CohortType


@strawberry_django.type(ApiSchemaVersion)
class ApiSchemaVersionType(relay.Node):
    """One version of an API's OpenAPI schema, with its diff to the previous one."""

    number: strawberry.auto
    sha256: strawberry.auto
    source: strawberry.auto
    title: strawberry.auto
    version_label: strawberry.auto
    operation_count: strawberry.auto
    breaking_count: strawberry.auto
    changes: JSON
    created_at: strawberry.auto


@strawberry_django.type(ApiOperation)
class ApiOperationType(relay.Node):
    """An operation ("GET /items") of an API's current schema."""

    key: strawberry.auto
    method: strawberry.auto
    path: strawberry.auto
    operation_id: strawberry.auto
    summary: strawberry.auto
    description: strawberry.auto
    deprecated: strawberry.auto
    parameters: JSON
    request_body: JSON | None
    responses: JSON


@strawberry_django.type(HealthCheck)
class HealthCheckType(relay.Node):
    """One probe of an API's health URL."""

    checked_at: strawberry.auto
    ok: strawberry.auto
    status_code: strawberry.auto
    latency_ms: strawberry.auto
    error: strawberry.auto


@strawberry_django.type(RegisteredApi)
class RegisteredApiType(relay.Node):
    """An API a member registered: its schema history, health and consumers."""

    owner: Annotated[UserType, strawberry.lazy("nexus.accounts.graphql")]
    name: strawberry.auto
    slug: strawberry.auto
    description: strawberry.auto
    base_url: strawberry.auto
    schema_url: strawberry.auto
    health_url: strawberry.auto
    topics: JSON
    visibility: strawberry.auto
    cohort: Annotated[CohortType, strawberry.lazy("nexus.cohorts.graphql")] | None
    health_state: strawberry.auto
    health_changed_at: strawberry.auto
    last_checked_at: strawberry.auto
    schema_error: strawberry.auto
    created_at: strawberry.auto
    updated_at: strawberry.auto

    @strawberry_django.field(description="The id REST uses.", only=["id"])
    def database_id(self) -> int:
        return self.pk  # type: ignore[attr-defined]

    @strawberry_django.field(description="Uptime over 24 hours and 7 days.", only=["id"])
    def uptime(self, info: Info) -> UptimeType:
        up = batch_loader(info, RegisteredApi, "uptime", lambda ids: selectors.uptime_many(api_ids=ids)).load(
            self.pk  # type: ignore[attr-defined]
        )
        return UptimeType(last_24h=up["24h"], last_7d=up["7d"])

    @strawberry_django.field(description="The newest schema version, if any.", only=["id"])
    def latest_version(self, info: Info) -> ApiSchemaVersionType | None:
        loader = batch_loader(info, RegisteredApi, "latest_version", lambda ids: selectors.versions_latest(api_ids=ids))
        return loader.load(self.pk)  # type: ignore[attr-defined,return-value]

    @classmethod
    def get_queryset(cls, queryset: QuerySet[RegisteredApi], info: Info, **kwargs: Any) -> QuerySet[RegisteredApi]:
        return noted(narrowed(queryset, access.apis_visible_to(actor(info))), info)


@strawberry_django.type(ApiConsumer)
class ApiConsumerType(relay.Node):
    """A member who said they consume an API (and which operations)."""

    api: RegisteredApiType
    user: Annotated[UserType, strawberry.lazy("nexus.accounts.graphql")]
    operations: JSON
    created_at: strawberry.auto


@strawberry_django.type(RegistryAlert)
class RegistryAlertType(relay.Node):
    """A health or contract change of an API you own or consume."""

    api: RegisteredApiType
    kind: strawberry.auto
    message: strawberry.auto
    diff: JSON
    read: strawberry.auto
    created_at: strawberry.auto


@strawberry.type
class UptimeType:
    """Share (%) of successful health checks; null without checks in the period."""

    last_24h: float | None
    last_7d: float | None


@strawberry.type
class VersionDiffType:
    from_version: int
    to_version: int
    breaking: bool
    changes: JSON


@strawberry.type
class Query:
    @strawberry_django.connection(
        DjangoCursorConnection[RegisteredApiType], description="APIs you may see, newest first (as REST /apis/)."
    )
    def apis(
        self, info: Info, topic: str | None = None, owner: str | None = None, q: str | None = None
    ) -> QuerySet[RegisteredApi]:
        filters = validated(api_serializers.ApiFilterSerializer, topic=topic, owner=owner, q=q)
        return bare(selectors.api_list(actor=actor(info), **filters)).order_by("-created_at", "-id")

    @strawberry_django.field(description="A registered API you may see, by slug.")
    def api(self, info: Info, slug: str) -> RegisteredApiType | None:
        return optimized(access.access_api(actor(info), slug), info)

    @strawberry_django.connection(
        DjangoCursorConnection[ApiOperationType], description="An API's current operations, by path."
    )
    def api_operations(self, info: Info, slug: str, method: str | None = None) -> QuerySet[ApiOperation]:
        filters = validated(api_serializers.OperationFilterSerializer, method=method)
        api = access.access_api(actor(info), slug)
        return bare(selectors.operation_list(api=api, **filters)).order_by("path", "id")

    @strawberry_django.connection(
        DjangoCursorConnection[ApiSchemaVersionType], description="An API's schema versions, newest first."
    )
    def api_versions(self, info: Info, slug: str) -> QuerySet[ApiSchemaVersion]:
        api = access.access_api(actor(info), slug)
        return bare(selectors.version_list(api=api)).order_by("-number", "-id")

    @strawberry_django.field(description="One schema version of an API.")
    def api_version(self, info: Info, slug: str, number: int) -> ApiSchemaVersionType | None:
        return optimized(selectors.version_get(api=access.access_api(actor(info), slug), number=number), info)

    @strawberry_django.field(description="The changes between two stored versions (either direction).")
    def api_diff(self, info: Info, slug: str, from_version: int, to_version: int) -> VersionDiffType:
        params = validated(api_serializers.DiffParamsSerializer, from_version=from_version, to_version=to_version)
        api = access.access_api(actor(info), slug)
        return VersionDiffType(**selectors.version_diff(api=api, **params))

    @strawberry_django.connection(
        DjangoCursorConnection[HealthCheckType], description="An API's health checks, newest first."
    )
    def api_health_checks(self, info: Info, slug: str) -> QuerySet[HealthCheck]:
        api = access.access_api(actor(info), slug)
        return bare(selectors.health_check_list(api=api)).order_by("-checked_at", "-id")

    @strawberry_django.connection(
        DjangoCursorConnection[ApiConsumerType], description="Who consumes your API (owner only: FORBIDDEN otherwise)."
    )
    def api_consumers(self, info: Info, slug: str) -> QuerySet[ApiConsumer]:
        api = access.access_api(signed_in(info), slug, must_own=True)
        return bare(selectors.consumer_list(api=api)).order_by("-created_at", "-id")

    @strawberry_django.connection(
        DjangoCursorConnection[ApiConsumerType], description="The APIs you consume, most recent first."
    )
    def apis_consumed(self, info: Info) -> QuerySet[ApiConsumer]:
        return bare(selectors.consumed_list(actor=signed_in(info))).order_by("-created_at", "-id")

    @strawberry_django.connection(
        DjangoCursorConnection[RegistryAlertType], description="Your registry alerts, newest first."
    )
    def api_alerts(self, info: Info, unread: bool | None = None) -> QuerySet[RegistryAlert]:
        return bare(selectors.alert_list(actor=signed_in(info), unread=unread)).order_by("-created_at", "-id")


@strawberry.type
class Mutation:
    """Registry writes -- added by the mutations work."""
