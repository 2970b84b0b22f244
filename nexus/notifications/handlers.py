"""Outbox handlers: each maps one event type to the `notify_*` service that makes its notifications.

They run inside core.events.dispatch's transaction, once per event. Event payloads (ids only):

- `member.followed` {follower_id, followed_id}: notifications.services.member_follow
- `solution.confirmed` {entry_id, actor_id}: knowledge.services.solution_confirm
- `solution.verified` {entry_id, actor_id}: knowledge.services.solution_verify
- `entries.published` {entry_ids, author_id}: hubs.services (entry_create, entry_update, hub_import_readme)
- `notification.requested` {kind, recipient_ids, text, url, actor_id, target_type, target_id}:
  notifications.services.notification_request, for any app (mentions, replies, comments)
"""

from __future__ import annotations

from nexus.core import events
from nexus.core.models import OutboxEvent
from nexus.notifications import services


@events.handler("member.followed")
def member_followed(event: OutboxEvent) -> None:
    services.notify_new_follower(
        event_id=event.pk, follower_id=event.payload["follower_id"], followed_id=event.payload["followed_id"]
    )


@events.handler("solution.confirmed")
def solution_confirmed(event: OutboxEvent) -> None:
    services.notify_solution_confirmed(
        event_id=event.pk, entry_id=event.payload["entry_id"], actor_id=event.payload["actor_id"]
    )


@events.handler("solution.verified")
def solution_verified(event: OutboxEvent) -> None:
    services.notify_solution_verified(
        event_id=event.pk, entry_id=event.payload["entry_id"], actor_id=event.payload["actor_id"]
    )


@events.handler("entries.published")
def entries_published(event: OutboxEvent) -> None:
    services.notify_followed_topic_entries(
        event_id=event.pk, entry_ids=event.payload["entry_ids"], author_id=event.payload["author_id"]
    )


@events.handler(services.NOTIFICATION_REQUESTED)
def notification_requested(event: OutboxEvent) -> None:
    services.notify_requested(event_id=event.pk, payload=event.payload)
