"""`manage.py webhooks deliver-due`: send the deliveries that are due, without celery beat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nexus.webhooks import services


class Command(BaseCommand):
    help = "Webhook deliveries: `deliver-due` attempts every pending delivery whose time has come."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("deliver-due", help="Attempt every due delivery (what celery beat does every 30 s).")
        due.add_argument("--limit", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.deliveries_retry_due(limit=options["limit"])
        self.stdout.write(f"{count} due deliveries handed to the worker.")
