"""Registered APIs, their schema versions, operations, health and consumers over GraphQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from nexus.core.graphql import actor, optimized
from nexus.registry import access
from nexus.registry.models import ApiOperation, ApiSchemaVersion, HealthCheck, RegisteredApi

if TYPE_CHECKING:
    from nexus.accounts.graphql import UserType
    from nexus.cohorts.graphql import CohortType


@strawberry_django.type(ApiSchemaVersion)
class ApiSchemaVersionType:
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
class ApiOperationType:
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
class HealthCheckType:
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

    @classmethod
    def get_queryset(cls, queryset: QuerySet[RegisteredApi], info: Info, **kwargs: Any) -> QuerySet[RegisteredApi]:
        return queryset & access.apis_visible_to(actor(info))


@strawberry.type
class Query:
    @strawberry_django.field(description="A registered API you may see, by slug.")
    def api(self, info: Info, slug: str) -> RegisteredApiType | None:
        return optimized(access.access_api(actor(info), slug), info)


@strawberry.type
class Mutation:
    """Registry writes -- added by the mutations work."""
