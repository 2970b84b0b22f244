"""Live news of a registered API, sent to its channel-layer group after the change commits.

Group `registry.api.<id>` (`api_group`) receives:

- `{"type": "registry.health", "health": {...}}` when a health check cycle moves the API's
  state (unknown → up/down included): the new and previous state, when, and the check that did it;
- `{"type": "registry.contract", "contract": {...}}` when a new schema version is recorded:
  its number, the diff to the version before and how many of its changes break clients.

Nothing here knows who listens: the GraphQL subscriptions `apiHealth` / `apiContractChanges`
check that the member may see the API before joining the group. Values are JSON types only
(the Redis layer carries them with msgpack).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nexus.core.live import send_after_commit
from nexus.registry.models import ApiSchemaVersion

HEALTH_EVENT = "registry.health"
CONTRACT_EVENT = "registry.contract"


def api_group(api_id: int) -> str:
    return f"registry.api.{api_id}"


def _when(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def health_changed(
    *,
    api_id: int,
    state: str,
    previous: str,
    changed_at: datetime,
    status_code: int | None,
    latency_ms: int | None,
    error: str,
) -> None:
    """After commit: the API's health state moved from `previous` to `state`."""
    health: dict[str, Any] = {
        "api": api_id,
        "state": state,
        "previous": previous,
        "changed_at": _when(changed_at),
        "status_code": status_code,
        "latency_ms": latency_ms,
        "error": error,
    }
    send_after_commit(api_group(api_id), {"type": HEALTH_EVENT, "health": health})


def contract_changed(*, version: ApiSchemaVersion) -> None:
    """After commit: a new schema version of the API was recorded."""
    contract: dict[str, Any] = {
        "api": version.api_id,
        "version": version.number,
        "version_label": version.version_label,
        "created_at": _when(version.created_at),
        "operation_count": version.operation_count,
        "breaking_count": version.breaking_count,
        "changes": [dict(change) for change in version.changes],
    }
    send_after_commit(api_group(version.api_id), {"type": CONTRACT_EVENT, "contract": contract})
