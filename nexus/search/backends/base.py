"""What a search backend does. The selectors and services talk to this interface only.

A backend turns a parsed `query.Query` into a match condition and a score on a queryset of
`SearchDocument`s (already filtered by visibility and facets), pages through it by
(score, id), marks matches in titles and snippets with MARK_START/MARK_END, keeps its index
structures current after documents are written, and finds indexed words near a misspelt one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from nexus.search.models import SearchDocument
from nexus.search.query import Query

# Control characters never stored in documents (documents.clean_text removes them), so they
# can mark matches in raw text before it is HTML-escaped.
MARK_START = "\x02"
MARK_END = "\x03"

SNIPPET_WORDS = 24


@dataclass(frozen=True)
class RawHit:
    """A matched document of one page, with its marks still as control characters."""

    id: int
    source: str
    object_id: int
    kind: str
    title: str
    url: str
    score: float
    marked_title: str
    marked_snippet: str


def hits_from_rows(
    rows: Iterable[Sequence[Any]], *, unmark: Callable[[str | None], str] = lambda text: text or ""
) -> list[RawHit]:
    """Hits from page rows of (id, source, object_id, kind, title, url, score, marked title,
    marked problem, marked body); the snippet is the problem's when it holds a mark, else the body's."""
    hits = []
    for row in rows:
        title, problem, body = (unmark(text) for text in row[7:10])
        hits.append(
            RawHit(
                id=row[0],
                source=row[1],
                object_id=row[2],
                kind=row[3],
                title=row[4],
                url=row[5],
                score=float(row[6]),
                marked_title=title or row[4],
                marked_snippet=problem if MARK_START in problem else body,
            )
        )
    return hits


class SearchBackend(ABC):
    """One full-text engine: PostgreSQL (tsvector) or SQLite (FTS5)."""

    vendor: str

    @abstractmethod
    def install_sql(self) -> list[str]:
        """Statements creating this engine's index structures (run by migration 0001)."""

    @abstractmethod
    def uninstall_sql(self) -> list[str]:
        """Statements removing them again."""

    @abstractmethod
    def after_write(self, document_ids: list[int]) -> None:
        """Bring the engine's index up to date for documents just inserted or updated."""

    @abstractmethod
    def rebuild(self) -> None:
        """Rebuild the engine's index from the documents table (after a full reindex)."""

    @abstractmethod
    def near_terms(self, words: list[str]) -> dict[str, list[str]]:
        """For each word, indexed words that look like it (the word itself first if it is indexed)."""

    @abstractmethod
    def match(self, documents: QuerySet[SearchDocument], query: Query) -> QuerySet[SearchDocument]:
        """The documents matching the query, without a score (for facet counts)."""

    @abstractmethod
    def page(
        self, documents: QuerySet[SearchDocument], query: Query, *, after: tuple[float, int] | None, limit: int
    ) -> list[RawHit]:
        """Up to `limit` matching documents after the (score, id) cursor, best first, then by id."""
