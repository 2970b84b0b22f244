"""One search over every document type, scoped to what the actor may read.

A search runs at most three statements: typo candidates for the words the index does not know
(skipped when no word is long enough to correct), the page of hits with highlights, and every
facet count in one pass over the matches.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.utils.html import escape

from nexus.hubs.access import Actor, search_visible_q
from nexus.search.backends import backend_for
from nexus.search.backends.base import MARK_END, MARK_START, RawHit
from nexus.search.models import SearchDocument, SearchDocumentTopic
from nexus.search.query import Query, choose_corrections, parse
from nexus.topics import selectors as topic_selectors

FACETS = ("kind", "topic", "cohort", "track", "author")
FACET_SIZE = 20  # values per facet, most frequent first


@dataclass(frozen=True)
class Hit:
    """One result: `title_html` and `snippet_html` are escaped text with matches in <mark>."""

    source: str
    id: int
    kind: str
    title: str
    title_html: str
    snippet_html: str
    url: str
    score: float


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    next_cursor: str | None = None
    corrections: dict[str, list[str]] = field(default_factory=dict)


def marked_html(text: str) -> str:
    """Escape text, then turn the backend's match marks into <mark> elements (balanced)."""
    out, open_mark = [], False
    for index, part in enumerate(text.replace(MARK_END, MARK_START).split(MARK_START)):
        if index:
            if open_mark:
                out.append("</mark>")
            else:
                out.append("<mark>")
            open_mark = not open_mark
        out.append(escape(part))
    if open_mark:
        out.append("</mark>")
    return "".join(out).replace("<mark></mark>", "")


def encode_cursor(score: float, pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([score, pk]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[float, int]:
    """The (score, document id) after which a page starts; ValidationError if it was not ours."""
    try:
        score, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(score, (int, float)) and not isinstance(score, bool) and isinstance(pk, int):
            return float(score), pk
    except (ValueError, TypeError, binascii.Error):
        pass
    raise ValidationError({"cursor": "Invalid cursor."})


def _filtered(
    *,
    actor: Actor,
    kind: str | None,
    topic: str | None,
    cohort: str | None,
    track: str | None,
    author: str | None,
) -> QuerySet[SearchDocument]:
    qs = SearchDocument.objects.filter(search_visible_q(actor))
    if kind:
        qs = qs.filter(kind=kind)
    if topic:
        # The topic and every topic under it (Django ORM under Django), as the entry list does.
        tagged = SearchDocumentTopic.objects.filter(topic_id__in=topic_selectors.topic_with_descendants(slug=topic))
        qs = qs.filter(pk__in=tagged.values("document_id"))
    if cohort:
        qs = qs.filter(cohort_slug=cohort)
    if track:
        qs = qs.filter(track=track)
    if author:
        qs = qs.filter(author__iexact=author)
    return qs


def _facet_counts(matched: QuerySet[SearchDocument]) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """Every facet's top values over the matched documents, in one statement."""
    sql, params = matched.values("id", "kind", "cohort_slug", "track", "author").query.sql_with_params()
    topics = SearchDocumentTopic._meta.db_table
    # From the matches to their topics through the document index, never by scanning every tag
    # of the index (both planners pick that scan for a plain join): CROSS JOIN fixes SQLite's
    # join order, LATERAL makes PostgreSQL look each match's tags up.
    if connection.vendor == "sqlite":
        tags = f"CROSS JOIN {topics} t ON t.document_id = matched.id"
    else:
        tags = f"CROSS JOIN LATERAL (SELECT slug FROM {topics} WHERE document_id = matched.id) t"
    parts = [
        "SELECT * FROM (SELECT 'kind' AS facet, kind AS value, COUNT(*) AS n FROM matched GROUP BY kind) f0",
        f"SELECT * FROM (SELECT 'topic', t.slug, COUNT(*) AS n FROM matched {tags} "
        f"GROUP BY t.slug ORDER BY n DESC, t.slug LIMIT {FACET_SIZE}) f1",
    ]
    for index, (facet, column) in enumerate((("cohort", "cohort_slug"), ("track", "track"), ("author", "author"))):
        parts.append(
            f"SELECT * FROM (SELECT '{facet}', {column}, COUNT(*) AS n FROM matched WHERE {column} <> '' "
            f"GROUP BY {column} ORDER BY n DESC, {column} LIMIT {FACET_SIZE}) f{index + 2}"
        )
    statement = f"WITH matched AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts)
    facets: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for facet, value, count in cursor.fetchall():
            facets[facet].append((value, count))
    for name in FACETS:
        facets[name].sort(key=lambda item: (-item[1], item[0]))
    return sum(n for _, n in facets["kind"]), facets


def _corrected(query: Query) -> tuple[Query, dict[str, list[str]]]:
    words = query.correctable_words()
    if not words:
        return query, {}
    near = backend_for().near_terms(words)
    corrections = {w: choose_corrections(w, near.get(w, [])) for w in words}
    corrections = {w: c for w, c in corrections.items() if c}
    return query.with_corrections(corrections), {w: list(c) for w, c in corrections.items()}


def _hit(raw: RawHit) -> Hit:
    return Hit(
        source=raw.source,
        id=raw.object_id,
        kind=raw.kind,
        title=raw.title,
        title_html=marked_html(raw.marked_title),
        snippet_html=marked_html(raw.marked_snippet),
        url=raw.url,
        score=raw.score,
    )


def search(
    *,
    actor: Actor,
    q: str,
    kind: str | None = None,
    topic: str | None = None,
    cohort: str | None = None,
    track: str | None = None,
    author: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> SearchResult:
    """Documents the actor may read that match `q` (websearch syntax, typo tolerant), best first.

    Facet counts cover every visible match under the filters, not only the page. `cursor` is
    the `next_cursor` of the previous page of the same search. Raises ValidationError for a
    malformed cursor.
    """
    after = decode_cursor(cursor) if cursor else None
    query = parse(q)
    if not query:
        return SearchResult(hits=[], total=0, facets={name: [] for name in FACETS})
    query, corrections = _corrected(query)
    backend = backend_for()
    documents = _filtered(actor=actor, kind=kind, topic=topic, cohort=cohort, track=track, author=author)
    raw = backend.page(documents, query, after=after, limit=limit + 1)
    total, facets = _facet_counts(backend.match(documents, query))
    more = len(raw) > limit
    raw = raw[:limit]
    next_cursor = encode_cursor(raw[-1].score, raw[-1].id) if more else None
    return SearchResult(
        hits=[_hit(r) for r in raw], total=total, facets=facets, next_cursor=next_cursor, corrections=corrections
    )
