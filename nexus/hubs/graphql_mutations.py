"""Hub and entry mutations: the REST writes of `nexus/hubs/api/views.py`, over GraphQL.

Each validates its input with the REST input serializer and calls the same service
(`nexus.core.graphql_mutations`); ownership and visibility are the services' `access_*` rules.

| mutation            | REST                                   | service                                   |
|---------------------|----------------------------------------|-------------------------------------------|
| createHub           | POST hubs/                             | hub_create                                |
| updateHub           | PATCH hubs/{hub}/                      | hub_update                                |
| deleteHub           | DELETE hubs/{hub}/                     | hub_delete                                |
| importReadme        | POST hubs/import/ (JSON `markdown`)    | readme_decode + hub_import_readme         |
| createEntry         | POST entries/                          | entry_create                              |
| updateEntry         | PATCH entries/{id}/                    | entry_update                              |
| publishEntry        | PATCH entries/{id}/ {"status": "published"} | entry_update                         |
| moveEntry           | PATCH entries/{id}/ {"position": n}    | entry_update (reorder)                    |
| deleteEntry         | DELETE entries/{id}/                   | entry_delete                              |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from nexus.core.graphql_mutations import (
    DeletePayload,
    input_from_serializer,
    mutate,
    payload_type,
    pk_of,
    ref_of,
)
from nexus.hubs import services
from nexus.hubs.api import serializers

if TYPE_CHECKING:
    from nexus.hubs.graphql import EntryType, HubType

Hub = Annotated["HubType", strawberry.lazy("nexus.hubs.graphql")]
Entry = Annotated["EntryType", strawberry.lazy("nexus.hubs.graphql")]

HubCreateInput = input_from_serializer(serializers.HubCreateSerializer, "HubCreateInput")
HubUpdateInput = input_from_serializer(serializers.HubUpdateSerializer, "HubUpdateInput")
EntryCreateInput = input_from_serializer(serializers.EntryCreateSerializer, "EntryCreateInput")
EntryUpdateInput = input_from_serializer(serializers.EntryUpdateSerializer, "EntryUpdateInput")
ReadmeImportInput = input_from_serializer(
    serializers.HubImportSerializer,
    "ReadmeImportInput",
    description="A README to import into your hub for a program (the REST JSON body; `markdown` is required here).",
)

HubPayload = payload_type(Hub, "HubPayload", node_name="hub")
EntryPayload = payload_type(Entry, "EntryPayload", node_name="entry")


@strawberry.type(description="What a README import did (or, on a dry run, would do).")
class ReadmeImportResult:
    dry_run: bool
    hub: Hub | None = strawberry.field(description="The hub (null on a dry run for a hub that does not exist yet).")
    hub_created: bool
    created: int = strawberry.field(description="Entries added.")
    updated: int = strawberry.field(description="Entries changed in place (each with a new revision).")
    unchanged: int
    kept: int = strawberry.field(description="Entries of the hub the README does not mention; never deleted.")
    title: str
    overview: str
    topics: list[str]
    warnings: list[str]


ReadmeImportPayload = payload_type(ReadmeImportResult, "ReadmeImportPayload", node_name="result")


def _import(actor: Any, data: dict[str, Any]) -> ReadmeImportResult:
    result = services.hub_import_readme(
        actor=actor,
        markdown=services.readme_decode(data["markdown"]),
        program=data.get("program"),
        dry_run=data["dry_run"],
    )
    return ReadmeImportResult(
        dry_run=data["dry_run"],
        hub=result.hub,  # type: ignore[arg-type]
        hub_created=result.hub_created,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        kept=result.kept,
        title=result.parsed.title,
        overview=result.parsed.overview,
        topics=list(result.parsed.topics),
        warnings=list(result.parsed.warnings),
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create your hub for a program (POST /api/v1/hubs/).")
    def create_hub(self, info: Info, input: HubCreateInput) -> HubPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            HubPayload,
            lambda actor, data: services.hub_create(actor=actor, **data),
            input=input,
            serializer=serializers.HubCreateSerializer,
            node_name="hub",
        )

    @strawberry.mutation(description="Change your hub, by id or slug (PATCH /api/v1/hubs/{hub}/).")
    def update_hub(self, info: Info, hub: strawberry.ID, input: HubUpdateInput) -> HubPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            HubPayload,
            lambda actor, data: services.hub_update(actor=actor, hub=ref_of(hub), data=data),
            input=input,
            serializer=serializers.HubUpdateSerializer,
            partial=True,
            node_name="hub",
        )

    @strawberry.mutation(description="Delete your hub and its entries (DELETE /api/v1/hubs/{hub}/).")
    def delete_hub(self, info: Info, hub: strawberry.ID) -> DeletePayload:
        def call(actor: Any, _: dict[str, Any]) -> strawberry.ID:
            services.hub_delete(actor=actor, hub=ref_of(hub))
            return hub

        return mutate(info, DeletePayload, call, node_name="deleted_id")

    @strawberry.mutation(description="Import a README into your hub; `dryRun` previews (POST /api/v1/hubs/import/).")
    def import_readme(self, info: Info, input: ReadmeImportInput) -> ReadmeImportPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            ReadmeImportPayload,
            _import,
            input=input,
            serializer=serializers.HubImportSerializer,
            node_name="result",
        )

    @strawberry.mutation(description="Add an entry to your hub (POST /api/v1/entries/).")
    def create_entry(self, info: Info, input: EntryCreateInput) -> EntryPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            EntryPayload,
            lambda actor, data: services.entry_create(actor=actor, **data),
            input=input,
            serializer=serializers.EntryCreateSerializer,
            node_name="entry",
        )

    @strawberry.mutation(description="Change your entry; a revision is recorded (PATCH /api/v1/entries/{id}/).")
    def update_entry(self, info: Info, id: strawberry.ID, input: EntryUpdateInput) -> EntryPayload:  # type: ignore[valid-type]
        return _entry_update(info, id, input=input)

    @strawberry.mutation(description='Publish your draft entry (PATCH /api/v1/entries/{id}/ {"status": "published"}).')
    def publish_entry(self, info: Info, id: strawberry.ID) -> EntryPayload:  # type: ignore[valid-type]
        return _entry_update(info, id, data={"status": "published"})

    @strawberry.mutation(
        description="Move your entry to a 0-based place in its hub; the others shift (PATCH entries/{id}/ position)."
    )
    def move_entry(self, info: Info, id: strawberry.ID, position: int) -> EntryPayload:  # type: ignore[valid-type]
        return _entry_update(info, id, data={"position": position})

    @strawberry.mutation(description="Delete your entry (DELETE /api/v1/entries/{id}/).")
    def delete_entry(self, info: Info, id: strawberry.ID) -> DeletePayload:
        def call(actor: Any, _: dict[str, Any]) -> strawberry.ID:
            services.entry_delete(actor=actor, entry_id=pk_of(id, what="entry"))
            return id

        return mutate(info, DeletePayload, call, node_name="deleted_id")


def _entry_update(info: Info, id: strawberry.ID, *, input: Any = None, data: dict[str, Any] | None = None) -> Any:
    """updateEntry, publishEntry and moveEntry: the same serializer and service, fields from the input or fixed."""
    return mutate(
        info,
        EntryPayload,
        lambda actor, checked: services.entry_update(actor=actor, entry_id=pk_of(id, what="entry"), data=checked),
        input=input,
        raw=data,
        serializer=serializers.EntryUpdateSerializer,
        partial=True,
        node_name="entry",
    )
