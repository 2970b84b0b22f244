"""Test helpers: a graphql-transport-ws client over the real ASGI application (channels' communicator).

Every socket a test opens is ended by the `graphql_sockets` fixture's clean-up (a consumer left
waiting on the Redis layer can hang the loop's close), refused ones included.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest_asyncio
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import connections

from config.asgi import application

PROTOCOL = "graphql-transport-ws"
ORIGIN = (b"origin", b"http://localhost:8000")
TIMEOUT = 5  # seconds; generous for a shared two-core machine and a real Redis

_opened: list[WebsocketCommunicator] = []


def communicator(*, token: str | None = None, headers: list | None = None, protocols: list | None = None):
    subprotocols = protocols if protocols is not None else [PROTOCOL, *([f"bearer.{token}"] if token else [])]
    ws = WebsocketCommunicator(application, "/graphql/", headers=headers or [ORIGIN], subprotocols=subprotocols)
    _opened.append(ws)
    return ws


async def open_socket(token: str | None = None, **kwargs: Any) -> WebsocketCommunicator:
    """Connect, `connection_init`, and expect the `connection_ack`."""
    ws = communicator(token=token, **kwargs)
    connected, protocol = await ws.connect(timeout=TIMEOUT)
    assert connected, f"handshake refused ({protocol})"
    assert protocol == PROTOCOL
    await ws.send_json_to({"type": "connection_init"})
    assert await ws.receive_json_from(timeout=TIMEOUT) == {"type": "connection_ack"}
    return ws


async def subscribe(ws: WebsocketCommunicator, query: str, variables: dict | None = None, *, id: str = "1") -> None:
    await ws.send_json_to({"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}})


async def group_size(group: str) -> int:
    """How many channels are in a channel-layer group (in-memory or Redis layer)."""
    layer = get_channel_layer()
    if hasattr(layer, "groups"):  # InMemoryChannelLayer
        return len(layer.groups.get(group, {}))
    return await layer.connection(layer.consistent_hash(group)).zcard(layer._group_key(group))


async def subscribed(ws: WebsocketCommunicator, query: str, variables: dict | None = None, *, group: str,
                     id: str = "1") -> None:  # fmt: skip
    """Subscribe, and return once the subscription has joined `group` (so what is sent next reaches it).

    graphql-transport-ws has no "subscribed" answer; the group's size going up is the signal (events
    sent after the join wait in the consumer while it checks access, so nothing is lost).
    """
    before = await group_size(group)
    await subscribe(ws, query, variables, id=id)
    for _ in range(200):
        if await group_size(group) > before:
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"the subscription never joined {group}")


async def receive(ws: WebsocketCommunicator) -> dict[str, Any]:
    return await ws.receive_json_from(timeout=TIMEOUT)


async def cleanup() -> None:
    while _opened:
        ws = _opened.pop()
        if not ws.future.done():
            await ws.send_input({"type": "websocket.disconnect", "code": 1000})
            await ws.wait(timeout=TIMEOUT)
    await database_sync_to_async(connections.close_all)()


@pytest_asyncio.fixture
async def graphql_sockets():
    """Use (autouse in the module) to end every socket the test opened, and the worker thread's DB connection."""
    yield
    await cleanup()
