"""`manage.py events status|relay|retry [--id ...]|prune [--days N]`: look at and drive the outbox."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from nexus.core import events


class Command(BaseCommand):
    help = "Show the outbox, publish what is due now, give failed events another go, or prune."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True, metavar="{status,relay,retry,prune}")
        commands.add_parser("status", help="Count events by state.")
        commands.add_parser("relay", help="Publish every due event now (what the beat sweep does).")
        retry = commands.add_parser("retry", help="Reset failed events so the next relay publishes them.")
        retry.add_argument("--id", action="append", dest="ids", help="Only this event (repeatable).")
        prune = commands.add_parser("prune", help="Delete processed events older than N days.")
        prune.add_argument("--days", type=int, default=settings.EVENTS_RETENTION_DAYS)

    def handle(self, *args, command: str, **options) -> None:
        if command == "status":
            counts = events.events_status()
            self.stdout.write(", ".join(f"{n} {state}" for state, n in counts.items()) + ".")
        elif command == "relay":
            self.stdout.write(f"Published {events.relay()} event(s).")
        elif command == "retry":
            self.stdout.write(f"Reset {events.events_retry(event_ids=options['ids'])} failed event(s).")
        else:
            deleted = events.events_prune(older_than=timedelta(days=options["days"]))
            self.stdout.write(f"Deleted {deleted} processed event(s).")
