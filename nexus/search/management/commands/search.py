"""`manage.py search reindex [--source entry ...]` and `manage.py search query TEXT...`."""

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nexus.search import documents, selectors, services


class Command(BaseCommand):
    help = "Rebuild the search index, or run a search as an anonymous visitor."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True, metavar="{reindex,query}")
        reindex = commands.add_parser("reindex", help="Rebuild the index from the database (idempotent).")
        reindex.add_argument("--source", action="append", dest="sources", help="Only this document type (repeatable).")
        query = commands.add_parser("query", help="Print what an anonymous visitor finds.")
        query.add_argument("text", nargs="+")

    def handle(self, *args, command: str, **options) -> None:
        if command == "reindex":
            sources = options["sources"]
            unknown = sorted(set(sources or []) - set(documents.sources()))
            if unknown:
                raise CommandError(f"Unknown source(s): {', '.join(unknown)}; known: {', '.join(documents.sources())}.")
            counts = services.reindex_all(sources=sources)
            self.stdout.write("Indexed: " + ", ".join(f"{n} {source}" for source, n in counts.items()) + ".")
        else:
            result = selectors.search(actor=AnonymousUser(), q=" ".join(options["text"]))
            self.stdout.write(f"{'at least ' if result.capped else ''}{result.total} found")
            for hit in result.hits:
                self.stdout.write(f"{hit.score:8.4f}  {hit.kind:<10} {hit.title}  {hit.url}")
