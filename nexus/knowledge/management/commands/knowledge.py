"""`manage.py knowledge relink`: put every published challenge under a problem (idempotent)."""

from django.core.management.base import BaseCommand, CommandParser

from nexus.knowledge import services


class Command(BaseCommand):
    help = "Maintain the knowledge base of canonical problems."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True, metavar="{relink}")
        commands.add_parser("relink", help="Link every published challenge not linked yet; recount every problem.")

    def handle(self, *args, command: str, **options) -> None:
        linked = services.challenges_relink()
        self.stdout.write(f"Linked {linked} challenge(s).")
