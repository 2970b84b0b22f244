"""Live events: what the services hand to the channel layer once their transaction has committed.

Every reader connected to `ws/channels/<id>/` is in the group `channel_group(id)` and receives
frames `{"type": "message.created", "channel": id, "data": {...}}` (see docs/discussions.md).
Each connection is also in `user_group(user_id)`, where access changes (removed from a private
channel or from the cohort) make it re-check what it may read.

Delivery is best effort: a channel layer that is down loses the frame (logged) but never fails
the write that caused it -- clients catch up over REST with `?since=`.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

EVENT_HANDLER = "discussions.event"  # ChannelConsumer.discussions_event
ACCESS_HANDLER = "discussions.access"  # ChannelConsumer.discussions_access


def channel_group(channel_id: int) -> str:
    return f"discussions.channel.{channel_id}"


def user_group(user_id: int) -> str:
    return f"discussions.user.{user_id}"


def _send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:  # a live frame must never fail a committed write
        logger.exception("live event not delivered", extra={"group": group, "event": message.get("type")})


def send_on_commit(group: str, message: dict[str, Any]) -> None:
    """Send a channel-layer message to a group after the current transaction commits."""
    transaction.on_commit(lambda: _send(group, message))


def publish(channel_id: int, event: str, data: dict[str, Any], *, thread: dict[str, Any] | None = None) -> None:
    """After commit, send the frame `{"type": event, "channel": channel_id, "data": data}` to the channel's readers.

    `thread`, when given, goes next to `data` as the frame's `thread`: what the event changed in
    its thread (`payloads.thread_activity`), kept out of `data` so that `data` stays the REST item.
    The frame travels already encoded: it is the same text for every reader, so it is encoded
    once here instead of once per connection (and the layer copies a string, not a tree).
    """
    frame: dict[str, Any] = {"type": event, "channel": channel_id, "data": data}
    if thread is not None:
        frame["thread"] = thread
    text = json.dumps(frame, ensure_ascii=False)
    send_on_commit(channel_group(channel_id), {"type": EVENT_HANDLER, "text": text})


def recheck_access(user_id: int, *, reason: str) -> None:
    """After commit, make the member's live connections re-check access (and close where it is gone)."""
    send_on_commit(user_group(user_id), {"type": ACCESS_HANDLER, "reason": reason})
