"""README round trip from the command line: parse, render, import, export, report.

manage.py readme parse FILE...                          one JSON object per file, one per line
manage.py readme render FILE.json                       Markdown from such an object
manage.py readme import FILE --user USERNAME [--program SLUG] [--dry-run]
manage.py readme export USERNAME [--program SLUG]       the hub as Markdown
manage.py readme report FILE...                         entries by kind, warnings, word coverage
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nexus.accounts.models import User
from nexus.core.errors import ApplicationError
from nexus.hubs import readme, selectors, services
from nexus.hubs.models import Hub
from nexus.hubs.readme import ParsedHub
from nexus.topics import selectors as topic_selectors


def _read(path: str) -> str:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path}: no such file.")
    try:
        return services.readme_decode(file.read_bytes())
    except ApplicationError as exc:
        raise CommandError(f"{path}: {exc.message}") from exc


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = "Parse, render, import and export Project Nexus READMEs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        parse = sub.add_parser("parse", help="README files to JSON, one object per line.")
        parse.add_argument("files", nargs="+")
        render = sub.add_parser("render", help="Markdown from a JSON object made by `parse`.")
        render.add_argument("file")
        imp = sub.add_parser("import", help="Create or update a member's hub from a README.")
        imp.add_argument("file")
        imp.add_argument("--user", required=True, help="The hub owner's username.")
        imp.add_argument("--program", help="Program slug (needed if the member is in several).")
        imp.add_argument("--dry-run", action="store_true", help="Parse and count, write nothing.")
        export = sub.add_parser("export", help="A member's hub as Markdown.")
        export.add_argument("username")
        export.add_argument("--program", help="Program slug (needed if the member has several hubs).")
        report = sub.add_parser("report", help="Per file: entries by kind, warnings, word coverage.")
        report.add_argument("files", nargs="+")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(**options)

    def _parse(self, *, files: list[str], **_: Any) -> None:
        recognizer = topic_selectors.recognizer()
        for path in files:
            parsed = readme.parse(_read(path), recognizer=recognizer)
            self.stdout.write(json.dumps({"file": path, **parsed.to_dict()}, ensure_ascii=False))

    def _render(self, *, file: str, **_: Any) -> None:
        try:
            data = json.loads(_read(file))
            hub = ParsedHub.from_dict(data)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise CommandError(f"{file}: not a parsed README (as printed by `readme parse`): {exc}") from exc
        self.stdout.write(readme.render(hub), ending="")

    def _import(self, *, file: str, user: str, program: str | None, dry_run: bool, **_: Any) -> None:
        owner = User.objects.filter(username__iexact=user).first()
        if owner is None:
            raise CommandError(f"No member {user!r}.")
        try:
            result = services.hub_import_readme(actor=owner, markdown=_read(file), program=program, dry_run=dry_run)
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from exc
        verb = "Would import" if dry_run else "Imported"
        where = f"hub {result.hub.slug}" if result.hub else "a new hub"
        self.stdout.write(
            f"{verb} {file} into {where}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.kept} kept (not in the README)."
        )
        for warning in result.parsed.warnings:
            self.stdout.write(f"warning: {warning}")

    def _export(self, *, username: str, program: str | None, **_: Any) -> None:
        hubs = Hub.objects.filter(owner__username__iexact=username).select_related("program", "owner")
        if program:
            hubs = hubs.filter(program__slug=program)
        found = list(hubs)
        if not found:
            raise CommandError(f"{username!r} has no hub" + (f" for the program {program!r}." if program else "."))
        if len(found) > 1:
            slugs = ", ".join(sorted(h.program.slug for h in found))
            raise CommandError(f"{username!r} has several hubs; pass --program ({slugs}).")
        hub = found[0]
        self.stdout.write(selectors.hub_readme(actor=hub.owner, ref=hub.pk).value, ending="")

    def _report(self, *, files: list[str], **_: Any) -> None:
        recognizer = topic_selectors.recognizer()
        kinds = ("learning", "challenge", "practice", "note")
        self.stdout.write(f"{'file':<52} {'learn':>5} {'chall':>5} {'pract':>5} {'note':>5} {'cover':>7}  warnings")
        for path in files:
            text = _read(path)
            parsed = readme.parse(text, recognizer=recognizer)
            counts = [sum(1 for e in parsed.entries if e.kind == kind) for kind in kinds]
            coverage = readme.word_coverage(text, readme.render(parsed))
            cells = " ".join(f"{n:>5}" for n in counts)
            self.stdout.write(f"{Path(path).name[:52]:<52} {cells} {coverage:>7.2%}  {len(parsed.warnings)}")
            for warning in parsed.warnings:
                self.stdout.write(f"    - {warning}")
