"""One search over every document type, scoped to what the actor may read.

A search runs at most three statements: typo candidates for the words the index does not know
(skipped when no word is long enough to correct), the candidates -- hits and facet values in
one pass, bounded by `SEARCH_CANDIDATES` -- and the marked titles and snippets of the page.
What comes before paging (corrections, ranked document ids, count, facets) is cached for
`SEARCH_CACHE_SECONDS` per query, filters and reader (`core.cache.cached_versioned`), valid
while neither the search index version (bumped by every index write once it commits) nor the
content version (bumped by cohort membership changes, among others) has moved: a write is never
followed by a stale read. A cached search runs one statement, the page's marks, which also
checks visibility again. Searches inside a transaction are not cached.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.utils.html import escape

from nexus.core.cache import CONTENT_VERSION, cached_versioned, viewer_key
from nexus.hubs.access import Actor, search_visible_q
from nexus.search.backends import backend_for
from nexus.search.backends.base import HEAD, MARK_END, MARK_START, Candidate, Marked
from nexus.search.models import SearchDocument, SearchDocumentTopic
from nexus.search.query import Query, choose_corrections, parse
from nexus.topics import selectors as topic_selectors

FACETS = ("kind", "topic", "cohort", "track", "author")
FACET_SIZE = 20  # values per facet, most frequent first
# The cache version token of search results: every write to the index bumps it after commit.
SEARCH_VERSION = "search-index"


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
    """A page of hits, with the count and facets of every match (of the candidates when capped).

    `capped`: more than `SEARCH_CANDIDATES` documents match, so `total` is a lower bound, the
    facets count the candidates only, and paging ends after the candidates.
    """

    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    next_cursor: str | None = None
    corrections: dict[str, list[str]] = field(default_factory=dict)
    capped: bool = False


@dataclass(frozen=True)
class Matches:
    """What a search found before paging; cached. `ranked` holds (score, document id), best first."""

    ranked: tuple[tuple[float, int], ...]
    total: int
    capped: bool
    facets: dict[str, list[tuple[str, int]]]
    corrections: dict[str, list[str]]


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


def score(candidate: Candidate) -> float:
    """The reported score: head matches in [1, 2), the others in [0, 1); higher is better.

    Within a tier it follows the engine's score (bm25 or ts_rank, both >= 0), so one number
    orders a search's hits and a cursor can compare it.
    """
    engine = max(candidate.score, 0.0)
    return (1.0 if candidate.tier == HEAD else 0.0) + engine / (1.0 + engine)


def _facet_counts(candidates: list[Candidate]) -> dict[str, list[tuple[str, int]]]:
    """Every facet's most frequent values over the candidates."""
    counts = {
        "kind": Counter(c.kind for c in candidates),
        "topic": Counter(slug for c in candidates for slug in c.topic_slugs.split()),
        "cohort": Counter(c.cohort_slug for c in candidates),
        "track": Counter(c.track for c in candidates),
        "author": Counter(c.author for c in candidates),
    }
    return {
        name: sorted(((v, n) for v, n in counter.items() if v), key=lambda item: (-item[1], item[0]))[:FACET_SIZE]
        for name, counter in counts.items()
    }


def _corrected(query: Query) -> tuple[Query, dict[str, list[str]]]:
    words = query.correctable_words()
    if not words:
        return query, {}
    near = backend_for().near_terms(words)
    corrections = {w: choose_corrections(w, near.get(w, [])) for w in words}
    corrections = {w: c for w, c in corrections.items() if c}
    return query.with_corrections(corrections), {w: list(c) for w, c in corrections.items()}


def search_matches(
    *,
    actor: Actor,
    query: Query,
    kind: str | None = None,
    topic: str | None = None,
    cohort: str | None = None,
    track: str | None = None,
    author: str | None = None,
) -> Matches:
    """Corrections, ranked candidates, count and facets of a parsed query (uncached; see search)."""
    query, corrections = _corrected(query)
    documents = _filtered(actor=actor, kind=kind, topic=topic, cohort=cohort, track=track, author=author)
    limit = settings.SEARCH_CANDIDATES
    found = backend_for().candidates(documents, query, limit=limit + 1)
    # The backend's order (tier, newest first) decides which candidates stay when capped.
    found.sort(key=lambda c: (c.tier, -c.id))
    capped = len(found) > limit
    found = found[:limit]
    ranked = sorted(((score(c), c.id) for c in found), key=lambda pair: (-pair[0], pair[1]))
    return Matches(
        ranked=tuple(ranked), total=len(found), capped=capped, facets=_facet_counts(found), corrections=corrections
    )


def _cache_key(actor: Actor, query: Query, filters: dict[str, str | None]) -> str:
    """Per parsed query (so "The Database" and "database" share), filters and reader: anonymous,
    or one member (what they own) with their staff flag; their cohorts are covered by
    CONTENT_VERSION, which membership changes bump."""
    filters = {**filters, "author": (filters.get("author") or "").casefold() or None}
    described = json.dumps([repr(query), sorted(filters.items()), settings.SEARCH_CANDIDATES], default=str)
    reader = f"{viewer_key(actor)}.{int(bool(getattr(actor, 'is_staff', False)))}"
    return f"search:matches:v1:{reader}:{hashlib.sha256(described.encode()).hexdigest()}"


def _hit(score: float, marked: Marked) -> Hit:
    return Hit(
        source=marked.source,
        id=marked.object_id,
        kind=marked.kind,
        title=marked.title,
        title_html=marked_html(marked.marked_title),
        snippet_html=marked_html(marked.marked_snippet),
        url=marked.url,
        score=score,
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

    Head matches (every required word in the title, problem or topics) rank above the others.
    Facet counts cover every visible match under the filters, not only the page -- or, when
    more than `SEARCH_CANDIDATES` match (`capped`), the candidates: the newest head matches,
    then the newest others. `cursor` is the `next_cursor` of the previous page of the same
    search. Raises ValidationError for a malformed cursor.
    """
    after = decode_cursor(cursor) if cursor else None
    query = parse(q)
    if not query:
        return SearchResult(hits=[], total=0, facets={name: [] for name in FACETS})
    filters = {"kind": kind, "topic": topic, "cohort": cohort, "track": track, "author": author}

    def build() -> Matches:
        return search_matches(actor=actor, query=query, **filters)

    # Inside a transaction the reader may see its own uncommitted index writes, which must never
    # reach the cache; outside one (web requests, tasks) it sees only what is committed.
    if settings.SEARCH_CACHE_SECONDS > 0 and not connection.in_atomic_block:
        versions = [SEARCH_VERSION, CONTENT_VERSION]
        key = _cache_key(actor, query, filters)
        found = cached_versioned(key, versions, build, timeout=settings.SEARCH_CACHE_SECONDS)
    else:
        found = build()

    ranked = found.ranked
    start = 0
    if after is not None:
        while start < len(ranked) and (ranked[start][0], -ranked[start][1]) >= (after[0], -after[1]):
            start += 1
    page = ranked[start : start + limit + 1]
    more = len(page) > limit
    page = page[:limit]
    # Marks for the page only; the visibility filter is applied again, so a cached id the actor
    # may no longer read is left out.
    corrected = query.with_corrections({w: tuple(c) for w, c in found.corrections.items()})
    visible = SearchDocument.objects.filter(search_visible_q(actor))
    marked = backend_for().marked(visible, corrected, [pk for _, pk in page])
    hits = [_hit(s, marked[pk]) for s, pk in page if pk in marked]
    return SearchResult(
        hits=hits,
        total=found.total,
        facets=found.facets,
        next_cursor=encode_cursor(*page[-1]) if more else None,
        corrections=found.corrections,
        capped=found.capped,
    )
