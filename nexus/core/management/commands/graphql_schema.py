"""Write the GraphQL schema (SDL) to schema.graphql, or check that the file is up to date."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def schema_sdl() -> str:
    """The schema as SDL, as committed in schema.graphql (ends with one newline)."""
    # Imported here (and by name, so mypy does not follow it into the transports it doesn't check).
    schema = importlib.import_module("config.schema").schema
    return schema.as_str().rstrip("\n") + "\n"


class Command(BaseCommand):
    help = "Export the GraphQL schema to schema.graphql (--check: fail if the file differs from the code)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", default=str(Path(settings.BASE_DIR) / "schema.graphql"))
        parser.add_argument("--check", action="store_true", help="Exit non-zero if the file is out of date.")

    def handle(self, *args: Any, path: str, check: bool, **options: Any) -> None:
        target = Path(path)
        sdl = schema_sdl()
        if check:
            current = target.read_text(encoding="utf-8") if target.exists() else ""
            if current != sdl:
                raise CommandError(f"{target} is out of date: run `make graphql-schema` and commit it.")
            self.stdout.write(f"{target} is up to date.")
            return
        target.write_text(sdl, encoding="utf-8")
        self.stdout.write(f"Wrote {target} ({len(sdl.splitlines())} lines).")
