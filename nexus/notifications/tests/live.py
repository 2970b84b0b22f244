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
            pending = asyncio.ensure_future(layer.receive(channel))
            done, _ = await asyncio.wait({pending}, timeout=timeout)
            if done:
                messages.append(pending.result())
                timeout = idle
                continue
            late = await _stop(pending)
            if late is None:
                return messages
            messages.append(late)

    return async_to_sync(receive)()


async def _stop(task: asyncio.Task) -> dict | None:
    """Cancel `task` until it ends; the message it got meanwhile, if any.

    Python 3.11's `asyncio.wait_for`/`timeout` can swallow a cancellation that lands as an
    inner await completes; the Redis layer's receive then goes back to its blocking pop and never
    ends -- a test hung that way. A repeated cancel reaches the next await.
    """
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=1)
    return None if task.cancelled() else task.result()
