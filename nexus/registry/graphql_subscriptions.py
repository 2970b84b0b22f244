"""GraphQL subscriptions `apiHealth(apiId)` and `apiContractChanges(apiId)`: a registered API, live.

The health check cycle and schema recording send their news to the API's group after commit
(`registry.live`); these subscriptions deliver it to members who may see the API
(`access.apis_visible_to`, the REST rule) -- anyone else is told NOT_FOUND, and an API that
stops being visible to the member (made private, the member left the cohort) ends the
subscription with FORBIDDEN at the next delivery after `DISCUSSIONS_WS_RECHECK_SECONDS`.
`apiId` is the API's id or its slug.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from datetime import datetime
from typing import Any

import strawberry
from channels.db import database_sync_to_async
from strawberry.types import Info

from nexus.core.graphql_mutations import not_found
from nexus.core.graphql_ws import deliveries
from nexus.registry import live
from nexus.registry.access import apis_visible_to


@strawberry.type(description="A registered API's health state moved (a check cycle found it up or down).")
class ApiHealthEvent:
    api_id: strawberry.ID
    state: str = strawberry.field(description='"up" or "down".')
    previous: str = strawberry.field(description='"unknown", "up" or "down".')
    changed_at: datetime
    status_code: int | None = strawberry.field(description="The health URL's answer; null when none came.")
    latency_ms: int | None
    error: str = strawberry.field(description="Why the check failed (empty when up).")


@strawberry.type(description="One change between two schema versions.")
class ApiContractChange:
    breaking: bool
    kind: str
    operation: str
    where: str
    message: str


@strawberry.type(description="A new schema version of a registered API, with its diff to the version before.")
class ApiContractEvent:
    api_id: strawberry.ID
    version: int
    version_label: str
    created_at: datetime
    operation_count: int
    breaking_count: int
    changes: list[ApiContractChange]


def _visible_api_id(user: Any, ref: str) -> int | None:
    apis = apis_visible_to(user)
    found = apis.filter(pk=int(ref)) if ref.isdigit() else apis.filter(slug=ref)
    return found.values_list("pk", flat=True).first()


def _can_see(api_id: int) -> Callable[[Any], bool]:
    return lambda user: apis_visible_to(user).filter(pk=api_id).exists()


async def _api_messages(info: Info, api_id: strawberry.ID, kind: str) -> AsyncGenerator[dict[str, Any], None]:
    pk = await database_sync_to_async(_visible_api_id)(info.context.user, str(api_id))
    if pk is None:
        raise not_found(f"No registered API {api_id!s}.")
    async for message in deliveries(
        info,
        groups=[live.api_group(pk)],
        types=[kind],
        can_read=_can_see(pk),
        not_found_message=f"No registered API {api_id!s}.",
    ):
        yield message


@strawberry.type
class Subscription:
    @strawberry.subscription(description="The API's health state, each time a check cycle moves it (id or slug).")
    async def api_health(self, info: Info, api_id: strawberry.ID) -> AsyncGenerator[ApiHealthEvent, None]:
        async for message in _api_messages(info, api_id, live.HEALTH_EVENT):
            health = message["health"]
            yield ApiHealthEvent(
                api_id=strawberry.ID(str(health["api"])),
                state=health["state"],
                previous=health["previous"],
                changed_at=datetime.fromisoformat(health["changed_at"]),
                status_code=health["status_code"],
                latency_ms=health["latency_ms"],
                error=health["error"],
            )

    @strawberry.subscription(description="Each new schema version of the API and what changed (id or slug).")
    async def api_contract_changes(self, info: Info, api_id: strawberry.ID) -> AsyncGenerator[ApiContractEvent, None]:
        async for message in _api_messages(info, api_id, live.CONTRACT_EVENT):
            contract = message["contract"]
            yield ApiContractEvent(
                api_id=strawberry.ID(str(contract["api"])),
                version=contract["version"],
                version_label=contract["version_label"],
                created_at=datetime.fromisoformat(contract["created_at"]),
                operation_count=contract["operation_count"],
                breaking_count=contract["breaking_count"],
                changes=[ApiContractChange(**change) for change in contract["changes"]],
            )
