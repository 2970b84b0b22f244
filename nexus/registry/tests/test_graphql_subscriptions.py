"""`apiHealth(apiId)` and `apiContractChanges(apiId)` over graphql-transport-ws, through the real ASGI app.

The health cycle and schema recording announce their changes after commit (`registry.live`);
members who may see the API (the REST rule) receive them, others are told NOT_FOUND.
"""

import json

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async

from nexus.accounts import services as account_services
from nexus.accounts.tests.factories import UserFactory
from nexus.core.tests.graphql_ws import cleanup, open_socket, receive, subscribe, subscribed
from nexus.core.tests.servers import Reply
from nexus.registry import services
from nexus.registry.live import api_group
from nexus.registry.models import RegisteredApi
from nexus.registry.tests.conftest import pets
from nexus.registry.tests.factories import RegisteredApiFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

API_HEALTH = """
subscription ($api: ID!) {
  apiHealth(apiId: $api) { apiId state previous statusCode error changedAt }
}
"""
API_CONTRACT = """
subscription ($api: ID!) {
  apiContractChanges(apiId: $api) { apiId version versionLabel breakingCount changes { breaking kind operation } }
}
"""


@pytest_asyncio.fixture(autouse=True)
async def _cleanup():
    yield
    await cleanup()


def _world(health_url=""):
    owner = UserFactory(username="owner")
    watcher = UserFactory(username="watcher")
    api = services.api_create(
        actor=owner,
        name="Pets",
        base_url="https://pets.example.com",
        schema_text=json.dumps(pets()),
        health_url=health_url,
        visibility=RegisteredApi.Visibility.PUBLIC,
    )
    hidden = RegisteredApiFactory(owner=owner, slug="hidden", visibility=RegisteredApi.Visibility.PRIVATE)
    tokens = {u.username: account_services.token_pair_issue(user=u)["access"] for u in (owner, watcher)}
    return {"owner": owner, "api": api, "hidden": hidden, "tokens": tokens}


async def test_a_health_change_reaches_subscribers_by_id_or_slug(local_server):
    server = local_server()
    server.handler = lambda request: Reply(503, b"maintenance")
    w = await database_sync_to_async(_world)(server.url("/health"))
    by_id, by_slug = await open_socket(w["tokens"]["watcher"]), await open_socket(w["tokens"]["watcher"])
    await subscribed(by_id, API_HEALTH, {"api": str(w["api"].pk)}, group=api_group(w["api"].pk))
    await subscribed(by_slug, API_HEALTH, {"api": w["api"].slug}, group=api_group(w["api"].pk))

    await database_sync_to_async(services.health_check_run)()  # unknown -> down
    frames = [await receive(by_id), await receive(by_slug)]

    for frame in frames:
        event = frame["payload"]["data"]["apiHealth"]
        assert event | {"changedAt": None} == {
            "apiId": str(w["api"].pk),
            "state": "down",
            "previous": "unknown",
            "statusCode": 503,
            "error": "HTTP 503",
            "changedAt": None,
        }
    # the next cycle finds it down again: no change, no event
    await database_sync_to_async(services.health_check_run)()
    assert await by_id.receive_nothing(timeout=0.5)
    server.handler = lambda request: Reply(200, b"ok")
    await database_sync_to_async(services.health_check_run)()  # down -> up
    for ws in (by_id, by_slug):
        event = (await receive(ws))["payload"]["data"]["apiHealth"]
        assert (event["previous"], event["state"]) == ("down", "up")
        await ws.disconnect()


async def test_a_new_schema_version_reaches_subscribers_with_its_diff():
    w = await database_sync_to_async(_world)()
    ws = await open_socket(w["tokens"]["watcher"])
    await subscribed(ws, API_CONTRACT, {"api": w["api"].slug}, group=api_group(w["api"].pk))

    changed = pets()
    changed["info"]["version"] = "2.0.0"
    del changed["paths"]["/pets/{id}/"]["delete"]
    await database_sync_to_async(services.api_update)(
        actor=w["owner"], slug=w["api"].slug, schema_text=json.dumps(changed)
    )

    frame = await receive(ws)
    assert frame["payload"]["data"]["apiContractChanges"] == {
        "apiId": str(w["api"].pk),
        "version": 2,
        "versionLabel": "2.0.0",
        "breakingCount": 1,
        "changes": [{"breaking": True, "kind": "operation_removed", "operation": "DELETE /pets/{id}/"}],
    }
    await ws.disconnect()


async def test_an_api_the_member_may_not_see_is_not_found():
    w = await database_sync_to_async(_world)()
    ws = await open_socket(w["tokens"]["watcher"])
    await subscribe(ws, API_HEALTH, {"api": "hidden"}, id="a")
    await subscribe(ws, API_CONTRACT, {"api": str(w["hidden"].pk)}, id="b")
    await subscribe(ws, API_HEALTH, {"api": "no-such-api"}, id="c")
    frames = [await receive(ws) for _ in range(6)]
    for op in ("a", "b", "c"):
        mine = [f for f in frames if f["id"] == op]
        assert [f["type"] for f in mine] == ["next", "complete"]
        assert mine[0]["payload"]["errors"][0]["extensions"] == {"code": "NOT_FOUND", "status": 404}
    # the owner may
    ws2 = await open_socket(w["tokens"]["owner"])
    await subscribe(ws2, API_HEALTH, {"api": "hidden"})
    assert await ws2.receive_nothing(timeout=0.5)
    await ws.disconnect()
    await ws2.disconnect()


async def test_an_api_made_private_ends_the_subscription_at_the_next_delivery(settings):
    settings.DISCUSSIONS_WS_RECHECK_SECONDS = 0
    w = await database_sync_to_async(_world)()
    ws = await open_socket(w["tokens"]["watcher"])
    await subscribed(ws, API_CONTRACT, {"api": w["api"].slug}, group=api_group(w["api"].pk))
    # a first delivery: the subscription has passed its access check
    first = pets()
    first["info"]["version"] = "2.0.0"
    await database_sync_to_async(services.api_update)(
        actor=w["owner"], slug=w["api"].slug, schema_text=json.dumps(first)
    )
    assert (await receive(ws))["payload"]["data"]["apiContractChanges"]["versionLabel"] == "2.0.0"

    changed = pets()
    changed["info"]["version"] = "3.0.0"
    await database_sync_to_async(services.api_update)(
        actor=w["owner"], slug=w["api"].slug, visibility="private", schema_text=json.dumps(changed)
    )

    frame = await receive(ws)
    assert frame["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await receive(ws) == {"id": "1", "type": "complete"}
    await ws.disconnect()
