"""`registry.live`: health changes and new schema versions reach the API's channel-layer group after
commit -- and a channel layer that fails never fails the write."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer

from nexus.accounts.tests.factories import UserFactory
from nexus.core import live as core_live
from nexus.core.tests.servers import Reply
from nexus.registry import live, services
from nexus.registry.models import HealthCheck, RegisteredApi
from nexus.registry.tests.conftest import pets
from nexus.registry.tests.factories import RegisteredApiFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _heard(api_id: int, *steps, count: int) -> list[dict]:
    """Run `steps` (sync callables) while listening to the API's group; the first `count` messages.

    One event loop for the whole exchange: the Redis layer keeps its receive state per loop.
    """

    async def scenario() -> list[dict]:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(live.api_group(api_id), channel)
        try:
            for step in steps:
                await sync_to_async(step)()
            return [await asyncio.wait_for(layer.receive(channel), timeout=5) for _ in range(count)]
        finally:
            await layer.group_discard(live.api_group(api_id), channel)

    return async_to_sync(scenario)()


def test_a_health_change_is_sent_once_and_no_change_is_not(local_server):
    server = local_server()
    server.handler = lambda request: Reply(503, b"down")
    api = RegisteredApiFactory(health_url=server.url("/health"))

    def back_up() -> None:
        server.handler = lambda request: Reply(200, b"ok")

    # down, down again (nothing to say), then up
    down, up = _heard(api.pk, services.health_check_run, services.health_check_run, back_up,
                      services.health_check_run, count=2)  # fmt: skip

    assert down["type"] == "registry.health"
    assert {k: down["health"][k] for k in ("api", "state", "previous", "status_code", "error")} == {
        "api": api.pk, "state": "down", "previous": "unknown", "status_code": 503, "error": "HTTP 503",
    }  # fmt: skip
    assert (up["health"]["previous"], up["health"]["state"]) == ("down", "up")


def test_a_new_version_is_sent_with_its_diff():
    owner = UserFactory()
    api = services.api_create(
        actor=owner, name="Pets", base_url="https://pets.example.com", schema_text=json.dumps(pets())
    )
    changed = pets()
    del changed["paths"]["/pets/{id}/"]["delete"]

    [message] = _heard(
        api.pk, lambda: services.api_update(actor=owner, slug=api.slug, schema_text=json.dumps(changed)), count=1
    )

    assert message["type"] == "registry.contract"
    assert (message["contract"]["api"], message["contract"]["version"], message["contract"]["breaking_count"]) == (
        api.pk, 2, 1,
    )  # fmt: skip
    assert [c["operation"] for c in message["contract"]["changes"]] == ["DELETE /pets/{id}/"]


def test_a_channel_layer_that_fails_loses_the_message_not_the_change(local_server, monkeypatch):
    server = local_server()
    server.handler = lambda request: Reply(503, b"down")
    api = RegisteredApiFactory(health_url=server.url("/health"))

    class Broken:
        async def group_send(self, group, message):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(core_live, "get_channel_layer", lambda: Broken())
    counts = services.health_check_run()

    assert counts is not None and counts["changed"] == 1
    assert RegisteredApi.objects.get(pk=api.pk).health_state == "down"
    assert HealthCheck.objects.filter(api=api).count() == 1
