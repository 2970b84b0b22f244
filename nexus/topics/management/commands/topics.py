"""`manage.py topics sync [--file PATH]` and `manage.py topics find TEXT...`."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nexus.topics import selectors, services


class Command(BaseCommand):
    help = "Load the topic taxonomy from its YAML file, or show the topics a text names."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True, metavar="{sync,find}")
        sync = commands.add_parser("sync", help="Create or update the topics of the taxonomy file (idempotent).")
        sync.add_argument(
            "--file", type=Path, default=None, help="A taxonomy file (default: nexus/topics/data/topics.yaml)."
        )
        find = commands.add_parser("find", help="Print the slugs of the topics a text names, one per line.")
        find.add_argument("text", nargs="+", help="The text; several arguments are joined with spaces.")

    def handle(self, *args, command: str, **options) -> None:
        if command == "sync":
            self._sync(options["file"])
        else:
            for slug in selectors.recognizer().find(" ".join(options["text"])):
                self.stdout.write(slug)

    def _sync(self, path: Path | None) -> None:
        try:
            result = services.topics_sync(path=path)
        except ValidationError as exc:
            raise CommandError("The taxonomy file is not valid:\n" + "\n".join(f"  {m}" for m in exc.messages)) from exc
        self.stdout.write(
            f"Topics: {result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{len(result.not_in_file)} in the database but not in the file."
        )
        if result.not_in_file:
            self.stdout.write(f"Not in the file (kept): {', '.join(result.not_in_file)}")
