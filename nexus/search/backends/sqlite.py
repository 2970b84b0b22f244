"""SQLite FTS5: an external-content FTS5 table over the documents, kept in step by triggers.

Ranking is `bm25()` with column weights title 10, problem 4, topics 4, body 1 (negated, so a
higher score is better, as on PostgreSQL). Highlights come from `highlight()`/`snippet()`,
computed only for the rows of the page. Typo candidates come from an FTS5 `trigram` table
over the vocabulary.

Note: Django rebuilds a SQLite table (and so drops its triggers) when a later migration alters
it. A migration that alters SearchDocument or SearchTerm must run `install_sql()` again.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from nexus.search.backends.base import MARK_END, MARK_START, SNIPPET_WORDS, RawHit, SearchBackend, hits_from_rows
from nexus.search.models import SearchDocument
from nexus.search.query import Atom, Query

FTS = "search_document_fts"
TERMS_FTS = "search_term_fts"
DOCS = SearchDocument._meta.db_table
COLUMNS = ("title", "problem", "topic_text", "body")  # FTS5 column order: 0..3
WEIGHTS = "10.0, 4.0, 4.0, 1.0"
SCORE = f"-bm25({FTS}, {WEIGHTS})"
CANDIDATES_PER_WORD = 40


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _atom(atom: Atom) -> str:
    if atom.alternatives:
        return "(" + " OR ".join(_quote(w) for w in (*atom.words, *atom.alternatives)) + ")"
    return _quote(" ".join(atom.words))


def fts_expression(query: Query) -> str:
    """The FTS5 MATCH expression of a parsed query."""
    groups = []
    for group in query.groups:
        expression = "(" + " AND ".join(_atom(a) for a in group if not a.negated) + ")"
        for atom in group:
            if atom.negated:
                expression = f"({expression} NOT {_atom(atom)})"
        groups.append(expression)
    return " OR ".join(groups)


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def install_sql(self) -> list[str]:
        cols = ", ".join(COLUMNS)
        new = ", ".join(f"new.{c}" for c in COLUMNS)
        old = ", ".join(f"old.{c}" for c in COLUMNS)
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5({cols}, content='{DOCS}', content_rowid='id', "
            "tokenize='porter unicode61 remove_diacritics 2')",
            f"CREATE TRIGGER IF NOT EXISTS search_document_fts_ai AFTER INSERT ON {DOCS} BEGIN "
            f"INSERT INTO {FTS}(rowid, {cols}) VALUES (new.id, {new}); END",
            f"CREATE TRIGGER IF NOT EXISTS search_document_fts_ad AFTER DELETE ON {DOCS} BEGIN "
            f"INSERT INTO {FTS}({FTS}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
            f"CREATE TRIGGER IF NOT EXISTS search_document_fts_au AFTER UPDATE OF {cols} ON {DOCS} BEGIN "
            f"INSERT INTO {FTS}({FTS}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
            f"INSERT INTO {FTS}(rowid, {cols}) VALUES (new.id, {new}); END",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TERMS_FTS} USING fts5(term, content='search_searchterm', "
            "content_rowid='id', tokenize='trigram')",
            f"CREATE TRIGGER IF NOT EXISTS search_term_fts_ai AFTER INSERT ON search_searchterm BEGIN "
            f"INSERT INTO {TERMS_FTS}(rowid, term) VALUES (new.id, new.term); END",
            f"CREATE TRIGGER IF NOT EXISTS search_term_fts_ad AFTER DELETE ON search_searchterm BEGIN "
            f"INSERT INTO {TERMS_FTS}({TERMS_FTS}, rowid, term) VALUES ('delete', old.id, old.term); END",
        ]

    def uninstall_sql(self) -> list[str]:
        return [
            *(f"DROP TRIGGER IF EXISTS search_document_fts_{t}" for t in ("ai", "ad", "au")),
            *(f"DROP TRIGGER IF EXISTS search_term_fts_{t}" for t in ("ai", "ad")),
            f"DROP TABLE IF EXISTS {FTS}",
            f"DROP TABLE IF EXISTS {TERMS_FTS}",
        ]

    def after_write(self, document_ids: list[int]) -> None:
        """Nothing to do: the triggers already wrote the FTS rows in the same statement."""

    def rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
            cursor.execute(f"INSERT INTO {TERMS_FTS}({TERMS_FTS}) VALUES ('rebuild')")

    def near_terms(self, words: list[str]) -> dict[str, list[str]]:
        # One statement: the exact words that are indexed, then per word the vocabulary words of
        # similar length sharing the most (and rarest) trigrams with it.
        placeholders = ", ".join(["%s"] * len(words))
        parts = [f"SELECT term AS w, term FROM search_searchterm WHERE term IN ({placeholders})"]
        params: list[str | int] = list(words)
        for word in words:
            trigrams = {word[i : i + 3] for i in range(len(word) - 2)}
            parts.append(
                f"SELECT * FROM (SELECT %s AS w, term FROM {TERMS_FTS} WHERE {TERMS_FTS} MATCH %s "
                "AND length(term) BETWEEN %s AND %s ORDER BY rank LIMIT %s)"
            )
            params += [word, " OR ".join(_quote(t) for t in sorted(trigrams)), len(word) - 2, len(word) + 2]
            params.append(CANDIDATES_PER_WORD)
        found: dict[str, list[str]] = {w: [] for w in words}
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for word, term in cursor.fetchall():
                found[word].append(term)
        return found

    def match(self, documents: QuerySet[SearchDocument], query: Query) -> QuerySet[SearchDocument]:
        return documents.extra(
            tables=[FTS],
            where=[f"{FTS} MATCH %s", f"{FTS}.rowid = {DOCS}.id"],
            params=[fts_expression(query)],
        )

    def page(
        self, documents: QuerySet[SearchDocument], query: Query, *, after: tuple[float, int] | None, limit: int
    ) -> list[RawHit]:
        ranked = self.match(documents, query).extra(select={"score": SCORE})
        if after is not None:
            ranked = ranked.extra(
                where=[f"({SCORE} < %s OR ({SCORE} = %s AND {DOCS}.id > %s))"], params=[after[0], after[0], after[1]]
            )
        inner = ranked.order_by("-score", "id").values("id", "source", "object_id", "kind", "title", "url", "score")
        sql, params = inner[:limit].query.sql_with_params()
        # Highlights only for the page's rows: FTS5 auxiliary functions run per row of this join.
        marks = f"'{MARK_START}', '{MARK_END}'"
        outer = (
            f"SELECT p.id, p.source, p.object_id, p.kind, p.title, p.url, p.score, "
            f"highlight({FTS}, 0, {marks}), snippet({FTS}, 1, {marks}, '…', {SNIPPET_WORDS}), "
            f"snippet({FTS}, 3, {marks}, '…', {SNIPPET_WORDS}) "
            f"FROM ({sql}) p CROSS JOIN {FTS} ON {FTS}.rowid = p.id WHERE {FTS} MATCH %s ORDER BY p.score DESC, p.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(outer, [*params, fts_expression(query)])
            rows = cursor.fetchall()
        return hits_from_rows(rows)
