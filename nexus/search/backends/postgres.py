"""PostgreSQL full-text search: generated weighted tsvectors with GIN indexes, pg_trgm for typos.

Two stored generated columns (created by `install_sql`, unknown to the ORM, so Django never
writes them): `search_vector` -- title (A), problem and topic names (B), body (C) -- and
`head_vector` -- title (A), problem and topics (B) -- in the `english` configuration, computed
from the text with every run of non-letters/digits turned into a space (so "node.js" is
"node js", as SQLite's unicode61 tokenizer sees it). Each has a GIN index without a pending list
(`fastupdate = off`: a write pays for its index entries at once, a search never scans a list of
pending ones). Atoms of the parsed query become `websearch_to_tsquery` (phrases:
`phraseto_tsquery`), combined with `&&`, `||` and `!!`; they are written into the statements as
constants so the planner sees the query's lexemes. Scores are `ts_rank` with weights A 1.0,
B 0.4, C 0.2 without length normalisation, on `head_vector` for tier 0 and on `search_vector`
for tier 1.

Candidates come newest first without scoring every match: each tier is one `ORDER BY id DESC
LIMIT` arm, which the planner answers by walking the primary key backwards through a dense
match set, or by reading a sparse one from its GIN index; `UNION ALL` under the limit does not
start tier 1 when tier 0 fills it. ts_rank runs for the returned rows only.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from nexus.search.backends.base import (
    FACET_COLUMNS,
    HEAD,
    MARK_END,
    MARK_START,
    REST,
    SNIPPET_WORDS,
    Candidate,
    Marked,
    SearchBackend,
    filter_sql,
    marked_from_rows,
)
from nexus.search.models import SearchDocument
from nexus.search.query import Atom, Query

CONFIG = "english"
WEIGHTS = "'{0.1, 0.2, 0.4, 1.0}'"  # D, C, B, A
CANDIDATES_PER_WORD = 30
DOCS = SearchDocument._meta.db_table
HEADLINE = f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords={SNIPPET_WORDS}, MinWords=8, ShortWord=2'
TITLE_HEADLINE = f'StartSel="{MARK_START}", StopSel="{MARK_END}", HighlightAll=true'


def _vector(*columns: tuple[str, str]) -> str:
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}'::regconfig, regexp_replace({column}, '[^[:alnum:]]+', ' ', 'g')), "
        f"'{weight}')"
        for column, weight in columns
    )


SEARCH_VECTOR = _vector(("title", "A"), ("problem", "B"), ("topic_text", "B"), ("body", "C"))
HEAD_VECTOR = _vector(("title", "A"), ("problem", "B"), ("topic_text", "B"))


def _atom(atom: Atom) -> tuple[str, list[str]]:
    if atom.is_phrase:
        return f"phraseto_tsquery('{CONFIG}'::regconfig, %s)", [" ".join(atom.words)]
    words = [atom.words[0], *atom.alternatives]
    return "(" + " || ".join([f"websearch_to_tsquery('{CONFIG}'::regconfig, %s)"] * len(words)) + ")", words


def tsquery(query: Query) -> tuple[str, list[str]]:
    """The tsquery SQL expression of a parsed query, and its parameters."""
    groups, params = [], []
    for group in query.groups:
        terms = []
        for atom in group:
            sql, words = _atom(atom)
            terms.append(f"!!{sql}" if atom.negated else sql)
            params += words
        groups.append("(" + " && ".join(terms) + ")")
    return "(" + " || ".join(groups) + ")", params


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
        # pg_trgm itself is created by the TrigramExtension operation of migration 0001.
        return [
            f"ALTER TABLE {DOCS} ADD COLUMN IF NOT EXISTS search_vector tsvector "
            f"GENERATED ALWAYS AS ({SEARCH_VECTOR}) STORED",
            f"ALTER TABLE {DOCS} ADD COLUMN IF NOT EXISTS head_vector tsvector "
            f"GENERATED ALWAYS AS ({HEAD_VECTOR}) STORED",
            f"CREATE INDEX IF NOT EXISTS search_document_vector ON {DOCS} USING gin (search_vector) "
            "WITH (fastupdate = off)",
            f"CREATE INDEX IF NOT EXISTS search_document_head_vector ON {DOCS} USING gin (head_vector) "
            "WITH (fastupdate = off)",
            "CREATE INDEX IF NOT EXISTS search_term_trgm ON search_searchterm USING gist (term gist_trgm_ops)",
        ]

    def uninstall_sql(self) -> list[str]:
        return [
            "DROP INDEX IF EXISTS search_document_vector",
            "DROP INDEX IF EXISTS search_document_head_vector",
            "DROP INDEX IF EXISTS search_term_trgm",
            f"ALTER TABLE {DOCS} DROP COLUMN IF EXISTS search_vector",
            f"ALTER TABLE {DOCS} DROP COLUMN IF EXISTS head_vector",
        ]

    def after_write(self, document_ids: list[int]) -> None:
        """Nothing to do: the vectors are generated columns, the GIN indexes have no pending list."""

    def rebuild(self) -> None:
        """Nothing to do (see after_write)."""

    def near_terms(self, words: list[str]) -> dict[str, list[str]]:
        # A nearest-neighbour search per word on the GiST trigram index: no similarity threshold
        # to tune, the final choice is by edit distance (query.choose_corrections). A word that
        # is indexed itself needs no neighbours (it is never corrected): the one-time NOT EXISTS
        # skips the index scan.
        found: dict[str, list[str]] = {w: [] for w in words}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w, t.term FROM unnest(%s::text[]) AS w CROSS JOIN LATERAL ("
                "(SELECT term FROM search_searchterm WHERE term = w) UNION ALL "
                "(SELECT term FROM search_searchterm WHERE NOT EXISTS "
                "(SELECT 1 FROM search_searchterm known WHERE known.term = w) ORDER BY term <-> w LIMIT %s)) AS t",
                [words, CANDIDATES_PER_WORD],
            )
            for word, term in cursor.fetchall():
                found[word].append(term)
        return found

    def candidates(self, documents: QuerySet[SearchDocument], query: Query, *, limit: int) -> list[Candidate]:
        where, where_params = filter_sql(documents)
        full, full_params = tsquery(query)
        positive, positive_params = tsquery(query.positive())
        facets = ", ".join(f"{DOCS}.{c}" for c in FACET_COLUMNS)
        tiers: list[tuple[int, str, list[Any], str]] = [
            # (tier, match condition, its parameters, the vector it is scored on)
            (HEAD, f"head_vector @@ {positive}", positive_params, "head_vector"),
            (REST, f"search_vector @@ {full} AND NOT head_vector @@ {positive}", full_params + positive_params,
             "search_vector"),
        ]  # fmt: skip
        if query.has_exclusions():  # a head match must still match the whole query
            head = f"head_vector @@ {positive} AND search_vector @@ {full}"
            tiers[0] = (HEAD, head, positive_params + full_params, "head_vector")
        arms, params = [], []
        for tier, condition, condition_params, vector in tiers:
            # Each tier newest first, stopping at the limit: the planner walks the primary key
            # backwards when matches are dense, or reads them from the GIN index and sorts when
            # they are few -- it sees the query's lexemes, so it can tell.
            # ts_rank in the outer query: below the sort PostgreSQL would compute it for every
            # match the sort reads, not only for the rows the limit keeps.
            arms.append(
                f"(SELECT c.id, {tier}, ts_rank({WEIGHTS}::float4[], c.vector, {positive})::float8, "
                f"{', '.join(f'c.{column}' for column in FACET_COLUMNS)} FROM (SELECT {DOCS}.id, {vector} AS vector, "
                f"{facets} FROM {DOCS} WHERE {condition} AND {where} ORDER BY {DOCS}.id DESC LIMIT %s) c)"
            )
            params += [*positive_params, *condition_params, *where_params, limit]
        # The tiers must run one after the other and stop at the limit. current_schema() is
        # parallel unsafe, which keeps the planner from a Parallel Append (both tiers at once,
        # rows in any order).
        statement = (
            "SELECT * FROM (" + " UNION ALL ".join(arms) + ") candidates WHERE current_schema() IS NOT NULL LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, [*params, limit])
            return list(map(Candidate._make, cursor.fetchall()))

    def marked(self, documents: QuerySet[SearchDocument], query: Query, ids: list[int]) -> dict[int, Marked]:
        if not ids:
            return {}
        where, where_params = filter_sql(documents)
        full, full_params = tsquery(query)
        statement = (
            f"SELECT {DOCS}.id, {DOCS}.source, {DOCS}.object_id, {DOCS}.kind, {DOCS}.title, {DOCS}.url, "
            f"ts_headline('{CONFIG}', {_hide_tags(f'{DOCS}.title')}, q.tsq, %s), "
            f"CASE WHEN {DOCS}.problem <> '' THEN ts_headline('{CONFIG}', {_hide_tags(f'{DOCS}.problem')}, q.tsq, %s) "
            "END, "
            f"ts_headline('{CONFIG}', {_hide_tags(f'{DOCS}.body')}, q.tsq, %s) "
            f"FROM {DOCS}, (SELECT {full} AS tsq) q WHERE {DOCS}.id = ANY(%s) AND {where}"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, [TITLE_HEADLINE, HEADLINE, HEADLINE, *full_params, ids, *where_params])
            return marked_from_rows(cursor.fetchall(), unmark=_show_tags)
