"""`ws/notifications/`: a member's own notifications, live.

On connect the member must be authenticated (`nexus.core.websocket`: token subprotocol or
session, Origin checked); the consumer joins the member's group (`selectors.user_group`), to
which `notifications.services` sends every new notification after it commits, and greets with
the unread count. Before delivering, a connection whose last check is older than
`DISCUSSIONS_WS_RECHECK_SECONDS` re-checks its credential (logout, expiry, deactivation: 4401).

Frames: `{"type": "subscribed", "unread": 3}`, then `{"type": "notification.created", "data":
{...}}` with `data` as the REST list returns it; `{"type": "ping"}` is answered with a pong.
"""

from __future__ import annotations

import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from nexus.core.websocket import ANONYMOUS, CLOSE_UNAUTHENTICATED, Credential, accept_subprotocol
from nexus.notifications import selectors


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    group: str = ""
    checked_at: float

    async def connect(self) -> None:
        credential: Credential = self.scope.get("credential", ANONYMOUS)
        if not credential.user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group = selectors.user_group(credential.user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.checked_at = time.monotonic()
        await self.accept(subprotocol=accept_subprotocol(self.scope))
        unread = await database_sync_to_async(selectors.notification_unread_count)(actor=credential.user)
        await self.send_json({"type": "subscribed", "unread": unread})

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "detail": 'Only {"type": "ping"} is accepted.'})

    async def notification_created(self, event: dict[str, Any]) -> None:
        """A new notification for this member (`notifications.services`, after commit)."""
        if time.monotonic() - self.checked_at >= settings.DISCUSSIONS_WS_RECHECK_SECONDS:
            credential: Credential = self.scope["credential"]
            self.checked_at = time.monotonic()
            if not await database_sync_to_async(credential.still_valid)():
                await self.channel_layer.group_discard(self.group, self.channel_name)
                self.group = ""
                await self.close(code=CLOSE_UNAUTHENTICATED)
                return
        await self.send_json({"type": "notification.created", "data": event["notification"]})
