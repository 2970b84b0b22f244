"""What a search backend does. The selectors and services talk to this interface only.

A backend turns a parsed `query.Query` into a match condition on a queryset of
`SearchDocument`s (already filtered by visibility and facets) and returns its *candidates*: at
most `limit` matching documents with a score and their facet values, chosen in a fixed order
that needs no scoring of the other matches -- first the documents whose title, problem or
topics hold every required word of an alternative ("head" matches, tier 0), newest first, then
the other matches (tier 1), newest first. The selectors rank, count and facet the candidates
(all the matches when there are fewer than `limit`). For the rows of one page the backend marks
matches in titles and snippets with MARK_START/MARK_END. It also keeps its index structures
current after documents are written, and finds indexed words near a misspelt one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from nexus.search.models import SearchDocument
from nexus.search.query import Query

# Control characters never stored in documents (documents.clean_text removes them), so they
# can mark matches in raw text before it is HTML-escaped.
MARK_START = "\x02"
MARK_END = "\x03"

SNIPPET_WORDS = 24

# Tier 0: every required word of an alternative in the title, problem or topics. Tier 1: the rest.
HEAD, REST = 0, 1

# The columns of a candidate row after (id, tier, score): the facet values.
FACET_COLUMNS = ("kind", "cohort_slug", "track", "author", "topic_slugs")


class Candidate(NamedTuple):
    """A matching document before ranking: its tier, its engine score within the tier, its facets.

    A named tuple, made straight from a result row: a search handles hundreds of them.
    """

    id: int
    tier: int
    score: float
    kind: str
    cohort_slug: str
    track: str
    author: str
    topic_slugs: str


@dataclass(frozen=True)
class Marked:
    """A document of the page with its matches marked (as control characters)."""

    id: int
    source: str
    object_id: int
    kind: str
    title: str
    url: str
    marked_title: str
    marked_snippet: str


def marked_from_rows(rows: Iterable[Sequence[Any]], *, unmark=lambda text: text or "") -> dict[int, Marked]:
    """Marked documents from rows of (id, source, object_id, kind, title, url, marked title,
    marked problem, marked body); the snippet is the problem's when it holds a mark, else the body's."""
    found = {}
    for row in rows:
        title, problem, body = (unmark(text) for text in row[6:9])
        found[row[0]] = Marked(
            id=row[0],
            source=row[1],
            object_id=row[2],
            kind=row[3],
            title=row[4],
            url=row[5],
            marked_title=title or row[4],
            marked_snippet=problem if MARK_START in problem else body,
        )
    return found


def filter_sql(documents: QuerySet[SearchDocument]) -> tuple[str, list[Any]]:
    """The WHERE condition of a documents queryset (visibility and facet filters), with its
    parameters, over the documents table under its own name -- for statements that add the
    engine's match condition and must stay a single pass over the engine's index."""
    query = documents.query
    try:
        sql, params = query.get_compiler(connection=connection).compile(query.where)
    except EmptyResultSet:  # a filter that nothing can satisfy
        return "1 = 0", []
    return (f"({sql})" if sql else "1 = 1"), list(params)


class SearchBackend(ABC):
    """One full-text engine: PostgreSQL (tsvector) or SQLite (FTS5)."""

    vendor: str

    @abstractmethod
    def install_sql(self) -> list[str]:
        """Statements creating this engine's index structures (idempotent; run by migrations)."""

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
    def candidates(self, documents: QuerySet[SearchDocument], query: Query, *, limit: int) -> list[Candidate]:
        """Up to `limit` matching documents, head matches first, each tier newest (highest id) first.

        One statement. A candidate's score orders it within its tier only (higher is better).
        """

    @abstractmethod
    def marked(self, documents: QuerySet[SearchDocument], query: Query, ids: list[int]) -> dict[int, Marked]:
        """The documents of `ids` that are still in `documents`, with matches marked. One statement."""
