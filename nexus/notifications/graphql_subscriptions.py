"""GraphQL subscription `myNotifications`: the signed-in member's new notifications, live.

The same events as `ws/notifications/`: each notification, after it commits, goes to the
member's group (`selectors.user_group`) as the REST list shows it (`selectors.notification_data`),
so a delivery costs no query. Only the member's own: the group is the one of the socket's
credential, and anonymous sockets are refused at the handshake.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from nexus.core.graphql_ws import deliveries
from nexus.notifications import selectors

NOTIFICATION_EVENT = "notification.created"  # notifications.services.notification_send_live


@strawberry.type(description="What a notification is about: a kind of object and its id.")
class NotificationTarget:
    type: str
    id: strawberry.ID | None


@strawberry.type(description="A notification as the REST list shows it, delivered when it is made.")
class LiveNotification:
    id: strawberry.ID
    kind: str
    text: str
    url: str
    target: NotificationTarget | None
    actor: str | None = strawberry.field(description="The username of who did it, if anyone.")
    event_id: str
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> LiveNotification:
        target = data.get("target")
        return cls(
            id=strawberry.ID(str(data["id"])),
            kind=data["kind"],
            text=data["text"],
            url=data["url"],
            target=NotificationTarget(
                type=target["type"], id=strawberry.ID(str(target["id"])) if target["id"] is not None else None
            )
            if target
            else None,
            actor=data["actor"],
            event_id=data["event_id"],
            created_at=datetime.fromisoformat(data["created_at"]),
            read_at=datetime.fromisoformat(data["read_at"]) if data["read_at"] else None,
        )


def _own(user: Any) -> bool:
    return bool(user.is_authenticated)


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Your notifications, each as it is made.")
    async def my_notifications(self, info: Info) -> AsyncGenerator[LiveNotification, None]:
        messages = deliveries(
            info,
            groups=[selectors.user_group(info.context.user.pk)],
            types=[NOTIFICATION_EVENT],
            can_read=_own,
            not_found_message="No notifications.",
        )
        async for message in messages:
            yield LiveNotification.from_data(message["notification"])
