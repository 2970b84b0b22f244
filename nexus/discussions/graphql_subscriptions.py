"""GraphQL subscription `channelMessages(channelId)`: a channel's messages, live.

The same events as `ws/channels/<id>/` (`live.publish` after commit): each message created,
edited or deleted, with the message as REST shows it (`payloads.message`, serialized once by
the service for every reader, so a delivery costs no query). Same authorization as the socket:
only a member who may read the channel (`access_channel`) subscribes -- anyone else gets
NOT_FOUND -- and removal from a private channel or the cohort ends the subscription (FORBIDDEN).
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any

import strawberry
from django.http import Http404
from strawberry.types import Info

from nexus.core.graphql_ws import deliveries
from nexus.discussions import live
from nexus.discussions.access import access_channel

MESSAGE_EVENTS = ("message.created", "message.edited", "message.deleted")


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@strawberry.type(description="A member as others see them in a live event.")
class LiveMember:
    id: strawberry.ID
    username: str
    name: str


@strawberry.type(description="One emoji's reactions: its short name, character, count and who reacted.")
class LiveReaction:
    emoji: str
    char: str
    count: int
    users: list[strawberry.ID]


@strawberry.type(description="A message as a live event carries it (the REST message document).")
class LiveMessage:
    id: strawberry.ID
    channel_id: strawberry.ID
    thread_id: strawberry.ID
    author: LiveMember | None = strawberry.field(description="Null for a deleted account.")
    body: str
    body_html: str = strawberry.field(description="Sanitized HTML of the Markdown body.")
    mentions: list[str]
    reactions: list[LiveReaction]
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    deleted_at: datetime | None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> LiveMessage:
        author = data["author"]
        return cls(
            id=strawberry.ID(str(data["id"])),
            channel_id=strawberry.ID(str(data["channel"])),
            thread_id=strawberry.ID(str(data["thread"])),
            author=LiveMember(id=strawberry.ID(str(author["id"])), username=author["username"], name=author["name"])
            if author
            else None,
            body=data["body"],
            body_html=data["body_html"],
            mentions=list(data["mentions"]),
            reactions=[
                LiveReaction(
                    emoji=r["emoji"],
                    char=r["char"],
                    count=r["count"],
                    users=[strawberry.ID(str(u)) for u in r["users"]],
                )
                for r in data["reactions"]
            ],
            created_at=_when(data["created_at"]),  # type: ignore[arg-type]
            edited_at=_when(data["edited_at"]),
            deleted=data["deleted"],
            deleted_at=_when(data["deleted_at"]),
        )


@strawberry.type(description="A message created, edited or deleted in a channel.")
class ChannelMessageEvent:
    event: str = strawberry.field(description='"message.created", "message.edited" or "message.deleted".')
    channel_id: strawberry.ID
    message: LiveMessage


def _can_read(channel_id: int) -> Any:
    def check(user: Any) -> bool:
        try:
            access_channel(user, channel_id)
        except Http404:
            return False
        return True

    return check


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Messages created, edited or deleted in a channel you may read, as they commit."
    )
    async def channel_messages(
        self, info: Info, channel_id: strawberry.ID
    ) -> AsyncGenerator[ChannelMessageEvent, None]:
        try:
            pk = int(channel_id)
        except ValueError:
            pk = 0
        messages = deliveries(
            info,
            groups=[live.channel_group(pk), live.user_group(info.context.user.pk)],
            types=[live.EVENT_HANDLER],
            access_types=[live.ACCESS_HANDLER],
            can_read=_can_read(pk),
            not_found_message=f"No channel {channel_id}.",
        )
        async for message in messages:
            frame = json.loads(message["text"])
            if frame["type"] in MESSAGE_EVENTS:
                yield ChannelMessageEvent(
                    event=frame["type"],
                    channel_id=strawberry.ID(str(frame["channel"])),
                    message=LiveMessage.from_data(frame["data"]),
                )
