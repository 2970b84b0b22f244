"""PostgreSQL full-text search: a stored weighted tsvector with a GIN index, pg_trgm for typos.

The vector is title (A), problem and topic names (B), body (C) in the `english` configuration,
written by `after_write` from the document's columns with every run of non-letters/digits
turned into a space (so "node.js" is "node js", as SQLite's unicode61 tokenizer sees it).
Atoms of the parsed query become `websearch_to_tsquery` (phrases: `phraseto_tsquery`),
combined with `&&`, `||` and `!!`. Ranking is `ts_rank` with weights A 1.0, B 0.4, C 0.2,
without length normalisation: a title match always outranks a body-only match of one word.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank, SearchVector
from django.db import connection
from django.db.models import ExpressionWrapper, F, FloatField, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast

from nexus.search.backends.base import MARK_END, MARK_START, SNIPPET_WORDS, RawHit, SearchBackend, hits_from_rows
from nexus.search.models import SearchDocument
from nexus.search.query import Atom, Query

CONFIG = "english"
WEIGHTS = [0.1, 0.2, 0.4, 1.0]  # D, C, B, A
CANDIDATES_PER_WORD = 30
DOCS = SearchDocument._meta.db_table
HEADLINE = f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords={SNIPPET_WORDS}, MinWords=8, ShortWord=2'

TITLE_HEADLINE = f'StartSel="{MARK_START}", StopSel="{MARK_END}", HighlightAll=true'


def _words_only(field: str) -> Func:
    return Func(
        F(field), Value("[^[:alnum:]]+"), Value(" "), Value("g"), function="regexp_replace", output_field=TextField()
    )


VECTOR = (
    SearchVector(_words_only("title"), weight="A", config=CONFIG)
    + SearchVector(_words_only("problem"), weight="B", config=CONFIG)
    + SearchVector(_words_only("topic_text"), weight="B", config=CONFIG)
    + SearchVector(_words_only("body"), weight="C", config=CONFIG)
)


def _atom(atom: Atom) -> Any:
    if atom.is_phrase:
        return SearchQuery(" ".join(atom.words), config=CONFIG, search_type="phrase")
    expression = SearchQuery(atom.words[0], config=CONFIG, search_type="websearch")
    for alternative in atom.alternatives:
        expression = expression | SearchQuery(alternative, config=CONFIG, search_type="websearch")
    return expression


def tsquery(query: Query, *, positive_only: bool = False) -> Any:
    """The tsquery expression of a parsed query; `positive_only` leaves out the exclusions.

    Ranking uses the positive form: ts_rank scores `a & !b` as 0 for every document.
    """
    result = None
    for group in query.groups:
        conjunction = None
        for atom in group:
            if positive_only and atom.negated:
                continue
            term = ~_atom(atom) if atom.negated else _atom(atom)
            conjunction = term if conjunction is None else conjunction & term
        result = conjunction if result is None else result | conjunction
    return result


# ts_headline drops what its parser takes for an HTML tag ("<script>" in a title about XSS), so
# angle brackets go through it as control characters that documents never contain.
_TAG_CHARS = ("<>", "\x01\x04")


def _hide_tags(column: str) -> str:
    return f"translate({column}, '{_TAG_CHARS[0]}', E'{_TAG_CHARS[1]}')"


def _show_tags(text: str | None) -> str:
    return (text or "").translate(str.maketrans("\x01\x04", "<>"))


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def install_sql(self) -> list[str]:
        # pg_trgm itself is created by the TrigramExtension operation of the migration.
        return [
            f"CREATE INDEX IF NOT EXISTS search_document_vector ON {DOCS} USING gin (search_vector)",
            "CREATE INDEX IF NOT EXISTS search_term_trgm ON search_searchterm USING gist (term gist_trgm_ops)",
        ]

    def uninstall_sql(self) -> list[str]:
        return ["DROP INDEX IF EXISTS search_document_vector", "DROP INDEX IF EXISTS search_term_trgm"]

    def after_write(self, document_ids: list[int]) -> None:
        if document_ids:
            SearchDocument.objects.filter(pk__in=document_ids).update(search_vector=VECTOR)

    def rebuild(self) -> None:
        SearchDocument.objects.update(search_vector=VECTOR)

    def near_terms(self, words: list[str]) -> dict[str, list[str]]:
        # A nearest-neighbour search per word on the GiST trigram index: no similarity threshold
        # to tune, the final choice is by edit distance (query.choose_corrections).
        found: dict[str, list[str]] = {w: [] for w in words}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w, t.term FROM unnest(%s::text[]) AS w CROSS JOIN LATERAL "
                "(SELECT term FROM search_searchterm ORDER BY term <-> w LIMIT %s) AS t",
                [words, CANDIDATES_PER_WORD],
            )
            for word, term in cursor.fetchall():
                found[word].append(term)
        return found

    def match(self, documents: QuerySet[SearchDocument], query: Query) -> QuerySet[SearchDocument]:
        return documents.filter(search_vector=tsquery(query))

    def page(
        self, documents: QuerySet[SearchDocument], query: Query, *, after: tuple[float, int] | None, limit: int
    ) -> list[RawHit]:
        expression = tsquery(query)
        ranked = self.match(documents, query).annotate(
            # float8: the real that ts_rank returns would come back rounded to its shortest text,
            # and a cursor must compare equal to the score it was made from.
            score=Cast(
                SearchRank(F("search_vector"), tsquery(query, positive_only=True), weights=WEIGHTS), FloatField()
            ),
            tsq=ExpressionWrapper(expression, output_field=SearchQueryField()),
        )
        if after is not None:
            ranked = ranked.filter(Q(score__lt=after[0]) | Q(score=after[0], id__gt=after[1]))
        inner = ranked.order_by("-score", "id").values(
            "id", "source", "object_id", "kind", "title", "url", "score", "problem", "body", "tsq"
        )
        sql, params = inner[:limit].query.sql_with_params()
        # Headlines only for the page's rows: ts_headline re-parses the text, so it runs outside
        # the ranked subquery.
        outer = (
            "SELECT p.id, p.source, p.object_id, p.kind, p.title, p.url, p.score, "
            f"ts_headline('{CONFIG}', {_hide_tags('p.title')}, p.tsq, %s), "
            f"ts_headline('{CONFIG}', {_hide_tags('p.problem')}, p.tsq, %s), "
            f"ts_headline('{CONFIG}', {_hide_tags('p.body')}, p.tsq, %s) FROM ({sql}) p ORDER BY p.score DESC, p.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(outer, [TITLE_HEADLINE, HEADLINE, HEADLINE, *params])
            rows = cursor.fetchall()
        return hits_from_rows(rows, unmark=_show_tags)
