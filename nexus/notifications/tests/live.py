"""Reading a member's live notifications from the channel layer, as the WebSocket consumer will."""

from __future__ import annotations

import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def drain(channel: str, *, first: float = 3.0, idle: float = 0.3) -> list[dict]:
    """Every message a channel gets: waits `first` s for one, then until `idle` s pass quietly.

    Call it once per channel: the Redis layer binds a channel's receive buffer to the event
    loop that first waited on it.
    """
    layer = get_channel_layer()

    async def receive() -> list[dict]:
        messages: list[dict] = []
        timeout = first
        while True:
            try:
                messages.append(await asyncio.wait_for(layer.receive(channel), timeout))
            except TimeoutError:
                return messages
            timeout = idle

    return async_to_sync(receive)()
