"""Channel-layer sends that follow a commit: live news of a write, never part of it.

Apps whose writes have live readers (registry health and contract changes; the GraphQL
subscriptions listen to them) schedule a group message with `send_after_commit` inside their
transaction. Delivery is best effort: a channel layer that is down loses the message (logged)
but never fails the committed write; readers catch up over REST or GraphQL queries.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def group_send(group: str, message: dict[str, Any]) -> bool:
    """Send one message to a channel-layer group now; False (logged) when it could not go."""
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:  # a live message must never fail a committed write
        logger.exception("live message not delivered", extra={"group": group, "event": message.get("type")})
        return False
    return True


def send_after_commit(group: str, message: dict[str, Any]) -> None:
    """Send a channel-layer message to a group once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: group_send(group, message))
