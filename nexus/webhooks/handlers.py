"""Outbox handlers that turn platform events into cohort webhook deliveries.

- `entries.published` {entry_ids, author_id} (hubs.services): one `entry.published` delivery per
  cohort whose members may read the entries (hubs visible to the cohort: public or cohort; never
  private ones or drafts), naming up to three titles.
- `message.created` {message_id, channel_id} (discussions.services): one `message.created`
  delivery per webhook of the message's channel (set up by the cohort's mentors for that channel).
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings

from nexus.core import events
from nexus.core.models import OutboxEvent
from nexus.discussions.models import Message
from nexus.hubs.models import Entry, Hub
from nexus.webhooks import services

SHOWN_TITLES = 3


@events.handler("entries.published")
def entries_published(event: OutboxEvent) -> None:
    rows = (
        Entry.objects.filter(
            pk__in=event.payload["entry_ids"],
            status=Entry.Status.PUBLISHED,
            hub__cohort__isnull=False,
            hub__visibility__in=[Hub.Visibility.PUBLIC, Hub.Visibility.COHORT],
        )
        .order_by("pk")
        .values("pk", "title", "kind", "hub__slug", "hub__cohort_id", "hub__owner__username")
    )
    by_cohort: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_cohort[row["hub__cohort_id"]].append(row)
    for cohort_id, entries in by_cohort.items():
        author, hub = entries[0]["hub__owner__username"], entries[0]["hub__slug"]
        titles = ", ".join(f"“{e['title']}”" for e in entries[:SHOWN_TITLES])
        more = f" and {len(entries) - SHOWN_TITLES} more" if len(entries) > SHOWN_TITLES else ""
        services.webhooks_dispatch(
            event_id=str(event.pk),
            event_type="entry.published",
            cohort_id=cohort_id,
            payload={
                "summary": f"{author} published {titles}{more}",
                "url": f"{settings.SITE_URL}/api/v1/hubs/{hub}/page/",
                "entries": [
                    {"id": e["pk"], "title": e["title"], "kind": e["kind"], "hub": e["hub__slug"], "author": author}
                    for e in entries
                ],
            },
        )


@events.handler("message.created")
def message_created(event: OutboxEvent) -> None:
    message = (
        Message.objects.select_related("author", "thread", "channel")
        .filter(pk=event.payload["message_id"], deleted_at__isnull=True)
        .first()
    )
    if message is None:  # deleted before the event was handled: nothing to announce
        return
    author = message.author.username if message.author else "someone"
    services.webhooks_dispatch(
        event_id=str(event.pk),
        event_type="message.created",
        channel_id=message.channel_id,
        payload={
            "summary": f"{author} in #{message.channel.name} › {message.thread.title}: {message.body[:300]}",
            "url": f"{settings.SITE_URL}/api/v1/threads/{message.thread_id}/",
            "message": {"id": message.pk, "thread": message.thread_id, "author": author, "body": message.body},
        },
    )
