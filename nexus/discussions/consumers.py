"""`ws/channels/<id>/`: the live messages, edits, deletes, reactions and thread changes of one channel.

On connect the member must be authenticated (`nexus.core.websocket`) and able to read the
channel (`access_channel`), else the handshake is refused. While connected:

- frames come from the services after commit (`live.publish`), the same JSON for every reader;
- losing access closes the connection with 4403: the services and the membership signal tell
  the member's connections to re-check at once (removed from a private channel, left the
  cohort), and before delivering a frame a connection re-checks its credential and access when
  the last check is older than `DISCUSSIONS_WS_RECHECK_SECONDS` (deactivation, logout, a token
  past its expiry: 4401) -- so nothing is delivered on access older than that.

Client frames: `{"type": "ping"}` is answered with `{"type": "pong"}`; writes go through REST.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.http import Http404

from nexus.core.websocket import (
    ANONYMOUS,
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_UNAUTHENTICATED,
    Credential,
    accept_subprotocol,
)
from nexus.discussions import live
from nexus.discussions.access import access_channel
from nexus.discussions.models import Message

logger = logging.getLogger(__name__)


def _last_message_id(channel_id: int) -> int:
    return Message.objects.filter(channel_id=channel_id).order_by("-pk").values_list("pk", flat=True).first() or 0


class ChannelConsumer(AsyncJsonWebsocketConsumer):
    channel_id: int
    joined: list[str]
    checked_at: float

    async def connect(self) -> None:
        self.joined = []
        self.channel_id = int(self.scope["url_route"]["kwargs"]["channel_id"])
        credential: Credential = self.scope.get("credential", ANONYMOUS)
        if not credential.user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        # The member's own group first, so an access change racing this connect is not missed.
        await self._join(live.user_group(credential.user.pk))
        last_id = await database_sync_to_async(self._readable_last_id)()
        if last_id is None:
            await self._leave_all()
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self._join(live.channel_group(self.channel_id))
        self.checked_at = time.monotonic()
        await self.accept(subprotocol=accept_subprotocol(self.scope))
        await self.send_json({"type": "subscribed", "channel": self.channel_id, "last_message": last_id})

    def _readable_last_id(self) -> int | None:
        try:
            access_channel(self.scope["user"], self.channel_id)
        except Http404:
            return None
        return _last_message_id(self.channel_id)

    def _still_allowed(self) -> int:
        """0 when the credential and access stand, else the close code."""
        credential: Credential = self.scope["credential"]
        if not credential.still_valid():
            return CLOSE_UNAUTHENTICATED
        try:
            access_channel(credential.user, self.channel_id)
        except Http404:
            return CLOSE_FORBIDDEN
        return 0

    async def _recheck(self) -> bool:
        code = await database_sync_to_async(self._still_allowed)()
        self.checked_at = time.monotonic()
        if code:
            await self._leave_all()
            await self.close(code=code)
            return False
        return True

    async def _join(self, group: str) -> None:
        await self.channel_layer.group_add(group, self.channel_name)
        self.joined.append(group)

    async def _leave_all(self) -> None:
        groups, self.joined = self.joined, []
        for group in groups:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def disconnect(self, code: int) -> None:
        try:
            await self._leave_all()
        except Exception as exc:  # noqa: BLE001 - whatever the layer raises, the connection is gone
            # A server restart disconnects everyone at once; a discard that cannot get a Redis
            # connection in time leaves a stale entry that group_send skips once it expires.
            logger.warning("websocket group discard failed on disconnect: %s", type(exc).__name__)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except ValueError:  # not JSON
            await self.send_json({"type": "error", "detail": "Frames are JSON objects."})

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "detail": 'Only {"type": "ping"} is accepted; write over REST.'})

    async def discussions_event(self, event: dict[str, Any]) -> None:
        """A frame for the channel's readers (`live.publish`)."""
        if time.monotonic() - self.checked_at >= settings.DISCUSSIONS_WS_RECHECK_SECONDS and not await self._recheck():
            return
        await self.send(text_data=event["text"])

    async def discussions_access(self, event: dict[str, Any]) -> None:
        """The member's access changed somewhere (`live.recheck_access`): re-check now."""
        await self._recheck()
