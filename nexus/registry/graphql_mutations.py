"""API registry mutations: the REST writes of `nexus/registry/api/views.py`, over GraphQL.

| mutation            | REST                                            | service                     |
|---------------------|-------------------------------------------------|-----------------------------|
| registerApi         | POST apis/                                      | api_create                  |
| updateApi           | PATCH apis/{slug}/                              | api_update                  |
| addApiVersion       | PATCH apis/{slug}/ {"schema": ...}              | api_update (new version if it differs) |
| refreshApiSchema    | POST apis/{slug}/refresh/                       | api_schema_refresh_for      |
| deleteApi           | DELETE apis/{slug}/                             | api_delete                  |
| subscribeToApi      | POST apis/{slug}/consumers/                     | consumer_subscribe          |
| unsubscribeFromApi  | DELETE apis/{slug}/consumers/                   | consumer_unsubscribe        |
| markApiAlertsRead   | POST apis/alerts/read/                          | alert_mark_read             |

`api` arguments take the API's slug, id or Relay id.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from django.http import Http404
from strawberry.types import Info

from nexus.core.graphql_mutations import (
    DeletePayload,
    input_from_serializer,
    mutate,
    payload_type,
    pk_of,
    ref_of,
)
from nexus.registry import services
from nexus.registry.access import access_api, apis_visible_to
from nexus.registry.api import serializers

if TYPE_CHECKING:
    from nexus.registry.graphql import ApiSchemaVersionType, RegisteredApiType

ApiNode = Annotated["RegisteredApiType", strawberry.lazy("nexus.registry.graphql")]
VersionNode = Annotated["ApiSchemaVersionType", strawberry.lazy("nexus.registry.graphql")]

ApiCreateInput = input_from_serializer(serializers.ApiCreateSerializer, "ApiCreateInput")
ApiUpdateInput = input_from_serializer(serializers.ApiUpdateSerializer, "ApiUpdateInput")


@strawberry.type(description="Your consumption of an API: all of it, or the operations listed.")
class ApiConsumption:
    api: ApiNode
    operations: list[str] = strawberry.field(description='"METHOD /path" keys; empty for the whole API.')
    created_at: datetime
    updated_at: datetime


@strawberry.type(description="A schema refresh: the new version, or null when the schema had not changed.")
class SchemaRefresh:
    api: ApiNode
    version: VersionNode | None


@strawberry.type(description="How many alerts were marked read.")
class AlertsMarked:
    marked: int


ApiPayload = payload_type(ApiNode, "RegisteredApiPayload", node_name="api")
SchemaRefreshPayload = payload_type(SchemaRefresh, "SchemaRefreshPayload", node_name="refresh")
ApiConsumptionPayload = payload_type(ApiConsumption, "ApiConsumptionPayload", node_name="consumption")
AlertsMarkedPayload = payload_type(AlertsMarked, "AlertsMarkedPayload", node_name="result")


def _slug(actor: Any, api: strawberry.ID) -> str:
    """The slug of an API the actor may see, from a slug, an id or a Relay id (404 otherwise)."""
    ref = ref_of(api)
    if isinstance(ref, str):
        return ref
    slug = apis_visible_to(actor).filter(pk=ref).values_list("slug", flat=True).first()
    if slug is None:
        raise Http404(f"No registered API {api!s}.")
    return slug


def _schema_text(data: dict[str, Any]) -> dict[str, Any]:
    """The `schema` field (a JSON object or text) as the text the service parses (as REST does)."""
    if "schema" in data:
        schema = data.pop("schema")
        if schema is not None:
            data["schema_text"] = schema if isinstance(schema, str) else json.dumps(schema)
    return data


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Register your API with its OpenAPI schema (POST /api/v1/apis/).")
    def register_api(self, info: Info, input: ApiCreateInput) -> ApiPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            ApiPayload,
            lambda actor, data: services.api_create(actor=actor, **_schema_text(data)),
            input=input,
            serializer=serializers.ApiCreateSerializer,
            node_name="api",
        )

    @strawberry.mutation(description="Change your API (PATCH /api/v1/apis/{slug}/).")
    def update_api(self, info: Info, api: strawberry.ID, input: ApiUpdateInput) -> ApiPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            ApiPayload,
            lambda actor, data: services.api_update(actor=actor, slug=_slug(actor, api), **_schema_text(data)),
            input=input,
            serializer=serializers.ApiUpdateSerializer,
            partial=True,
            node_name="api",
        )

    @strawberry.mutation(
        description="Upload a new schema of your API: a new version (and consumer alerts) when it differs "
        '(PATCH /api/v1/apis/{slug}/ {"schema": ...}).'
    )
    def add_api_version(self, info: Info, api: strawberry.ID, schema: strawberry.scalars.JSON) -> ApiPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            ApiPayload,
            lambda actor, data: services.api_update(actor=actor, slug=_slug(actor, api), **_schema_text(data)),
            raw={"schema": schema},
            serializer=serializers.ApiUpdateSerializer,
            partial=True,
            node_name="api",
        )

    @strawberry.mutation(description="Fetch your API's schema URL again now (POST /api/v1/apis/{slug}/refresh/).")
    def refresh_api_schema(self, info: Info, api: strawberry.ID) -> SchemaRefreshPayload:  # type: ignore[valid-type]
        def call(actor: Any, _: dict[str, Any]) -> SchemaRefresh:
            slug = _slug(actor, api)
            version = services.api_schema_refresh_for(actor=actor, slug=slug)
            return SchemaRefresh(api=access_api(actor, slug), version=version)  # type: ignore[arg-type]

        return mutate(info, SchemaRefreshPayload, call, node_name="refresh")

    @strawberry.mutation(description="Delete your API (DELETE /api/v1/apis/{slug}/).")
    def delete_api(self, info: Info, api: strawberry.ID) -> DeletePayload:
        def call(actor: Any, _: dict[str, Any]) -> strawberry.ID:
            services.api_delete(actor=actor, slug=_slug(actor, api))
            return api

        return mutate(info, DeletePayload, call, node_name="deleted_id")

    @strawberry.mutation(
        description='Consume an API -- all of it, or these operation ids / "METHOD /path" keys -- and be alerted '
        "when they change or it goes down (POST /api/v1/apis/{slug}/consumers/)."
    )
    def subscribe_to_api(
        self, info: Info, api: strawberry.ID, operations: list[str] | None = None
    ) -> ApiConsumptionPayload:  # type: ignore[valid-type]
        def call(actor: Any, data: dict[str, Any]) -> ApiConsumption:
            consumer = services.consumer_subscribe(actor=actor, slug=_slug(actor, api), **data)
            return ApiConsumption(
                api=consumer.api,  # type: ignore[arg-type]
                operations=list(consumer.operations),
                created_at=consumer.created_at,
                updated_at=consumer.updated_at,
            )

        return mutate(
            info,
            ApiConsumptionPayload,
            call,
            raw={} if operations is None else {"operations": operations},
            serializer=serializers.SubscribeSerializer,
            node_name="consumption",
        )

    @strawberry.mutation(description="Stop consuming an API (DELETE /api/v1/apis/{slug}/consumers/).")
    def unsubscribe_from_api(self, info: Info, api: strawberry.ID) -> DeletePayload:
        def call(actor: Any, _: dict[str, Any]) -> strawberry.ID:
            services.consumer_unsubscribe(actor=actor, slug=_slug(actor, api))
            return api

        return mutate(info, DeletePayload, call, node_name="deleted_id")

    @strawberry.mutation(
        description="Mark your registry alerts read: these ids, or all (POST /api/v1/apis/alerts/read/)."
    )
    def mark_api_alerts_read(self, info: Info, ids: list[strawberry.ID] | None = None) -> AlertsMarkedPayload:  # type: ignore[valid-type]
        def call(actor: Any, data: dict[str, Any]) -> AlertsMarked:
            return AlertsMarked(marked=services.alert_mark_read(actor=actor, alert_ids=data.get("ids")))

        return mutate(
            info,
            AlertsMarkedPayload,
            call,
            raw={} if ids is None else {"ids": [pk_of(i, what="alert") for i in ids]},
            serializer=serializers.AlertReadSerializer,
            node_name="result",
        )
