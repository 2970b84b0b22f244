"""SQLite FTS5: two external-content FTS5 tables over the documents, kept in step by triggers.

`search_document_fts` indexes title, problem, topics and body; `search_document_head_fts` only
title, problem and topics, so that the head tier is found, and scored, from small doclists.
Scores are `bm25()` with column weights title 10, problem 4, topics 4, body 1 (negated, so a
higher score is better, as on PostgreSQL): on the head table for tier 0, on the full table for
tier 1. A candidate statement walks each table's matches newest first (FTS5 serves `ORDER BY
rowid DESC` from its doclists) and stops after `limit` visible ones, so bm25 is computed for
those rows only, never for every match. Highlights come from `highlight()`/`snippet()` for the
rows of the page. Typo candidates come from an FTS5 `trigram` table over the vocabulary.

Note: Django rebuilds a SQLite table (and so drops its triggers) when a later migration alters
it. A migration that alters SearchDocument or SearchTerm must run `install_sql()` again.
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

FTS = "search_document_fts"
HEAD_FTS = "search_document_head_fts"
TERMS_FTS = "search_term_fts"
DOCS = SearchDocument._meta.db_table
COLUMNS = ("title", "problem", "topic_text", "body")  # FTS5 column order: 0..3
HEAD_COLUMNS = ("title", "problem", "topic_text")
WEIGHTS = "10.0, 4.0, 4.0, 1.0"
HEAD_WEIGHTS = "10.0, 4.0, 4.0"
CANDIDATES_PER_WORD = 40
TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"


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


def _external_content(table: str, columns: tuple[str, ...], trigger: str) -> list[str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5({cols}, content='{DOCS}', content_rowid='id', "
        f"{TOKENIZE})",
        f"CREATE TRIGGER IF NOT EXISTS {trigger}_ai AFTER INSERT ON {DOCS} BEGIN "
        f"INSERT INTO {table}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {trigger}_ad AFTER DELETE ON {DOCS} BEGIN "
        f"INSERT INTO {table}({table}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {trigger}_au AFTER UPDATE OF {cols} ON {DOCS} BEGIN "
        f"INSERT INTO {table}({table}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {table}(rowid, {cols}) VALUES (new.id, {new}); END",
    ]


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def install_sql(self) -> list[str]:
        return [
            *_external_content(FTS, COLUMNS, "search_document_fts"),
            *_external_content(HEAD_FTS, HEAD_COLUMNS, "search_document_head_fts"),
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TERMS_FTS} USING fts5(term, content='search_searchterm', "
            "content_rowid='id', tokenize='trigram')",
            f"CREATE TRIGGER IF NOT EXISTS search_term_fts_ai AFTER INSERT ON search_searchterm BEGIN "
            f"INSERT INTO {TERMS_FTS}(rowid, term) VALUES (new.id, new.term); END",
            f"CREATE TRIGGER IF NOT EXISTS search_term_fts_ad AFTER DELETE ON search_searchterm BEGIN "
            f"INSERT INTO {TERMS_FTS}({TERMS_FTS}, rowid, term) VALUES ('delete', old.id, old.term); END",
        ]

    def uninstall_sql(self) -> list[str]:
        return [
            *(f"DROP TRIGGER IF EXISTS {table}_{t}" for table in (FTS, HEAD_FTS) for t in ("ai", "ad", "au")),
            *(f"DROP TRIGGER IF EXISTS search_term_fts_{t}" for t in ("ai", "ad")),
            f"DROP TABLE IF EXISTS {FTS}",
            f"DROP TABLE IF EXISTS {HEAD_FTS}",
            f"DROP TABLE IF EXISTS {TERMS_FTS}",
        ]

    def after_write(self, document_ids: list[int]) -> None:
        """Nothing to do: the triggers already wrote the FTS rows in the same statement."""

    def rebuild(self) -> None:
        with connection.cursor() as cursor:
            for table in (FTS, HEAD_FTS, TERMS_FTS):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")

    def near_terms(self, words: list[str]) -> dict[str, list[str]]:
        # One statement: the exact words that are indexed, then per word not indexed itself (an
        # indexed word is never corrected; the constant NOT EXISTS is tested once, before the
        # scan) the vocabulary words of similar length sharing the most (and rarest) trigrams.
        placeholders = ", ".join(["%s"] * len(words))
        parts = [f"SELECT term AS w, term FROM search_searchterm WHERE term IN ({placeholders})"]
        params: list[str | int] = list(words)
        for word in words:
            trigrams = {word[i : i + 3] for i in range(len(word) - 2)}
            parts.append(
                f"SELECT * FROM (SELECT %s AS w, term FROM {TERMS_FTS} WHERE {TERMS_FTS} MATCH %s "
                "AND length(term) BETWEEN %s AND %s "
                "AND NOT EXISTS (SELECT 1 FROM search_searchterm WHERE term = %s) ORDER BY rank LIMIT %s)"
            )
            params += [word, " OR ".join(_quote(t) for t in sorted(trigrams)), len(word) - 2, len(word) + 2]
            params += [word, CANDIDATES_PER_WORD]
        found: dict[str, list[str]] = {w: [] for w in words}
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for word, term in cursor.fetchall():
                found[word].append(term)
        return found

    def candidates(self, documents: QuerySet[SearchDocument], query: Query, *, limit: int) -> list[Candidate]:
        where, where_params = filter_sql(documents)
        facets = ", ".join(f"{DOCS}.{c}" for c in FACET_COLUMNS)
        full, head = fts_expression(query), fts_expression(query.positive())
        # The FTS table drives (CROSS JOIN keeps it outer), the document row is looked up by id
        # for the visibility and facet filters, and the walk stops at `limit` rows.
        tier0 = (
            f"SELECT {DOCS}.id, {HEAD}, -bm25({HEAD_FTS}, {HEAD_WEIGHTS}), {facets} "
            f"FROM {HEAD_FTS} CROSS JOIN {DOCS} ON {DOCS}.id = {HEAD_FTS}.rowid WHERE {HEAD_FTS} MATCH %s "
        )
        params: list[Any] = [head]
        if query.has_exclusions():
            # A head match must still match the whole query. `+` keeps SQLite from answering the
            # IN with one head-table lookup per full match: the full matches become one
            # temporary index, probed per head match.
            tier0 += f"AND +{HEAD_FTS}.rowid IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s) "
            params.append(full)
        tier0 += f"AND {where} ORDER BY {HEAD_FTS}.rowid DESC LIMIT %s"
        params += [*where_params, limit]
        tier1 = (
            f"SELECT {DOCS}.id, {REST}, -bm25({FTS}, {WEIGHTS}), {facets} "
            f"FROM {FTS} CROSS JOIN {DOCS} ON {DOCS}.id = {FTS}.rowid WHERE {FTS} MATCH %s "
            f"AND +{FTS}.rowid NOT IN (SELECT rowid FROM {HEAD_FTS} WHERE {HEAD_FTS} MATCH %s) "
            f"AND {where} ORDER BY {FTS}.rowid DESC LIMIT %s"
        )
        params += [full, head, *where_params, limit]
        # UNION ALL under one LIMIT: tier 1 is not even started when tier 0 fills the limit.
        statement = f"SELECT * FROM ({tier0}) UNION ALL SELECT * FROM ({tier1}) LIMIT %s"
        with connection.cursor() as cursor:
            cursor.execute(statement, [*params, limit])
            return list(map(Candidate._make, cursor.fetchall()))

    def marked(self, documents: QuerySet[SearchDocument], query: Query, ids: list[int]) -> dict[int, Marked]:
        if not ids:
            return {}
        where, where_params = filter_sql(documents)
        marks = f"'{MARK_START}', '{MARK_END}'"
        # FTS5 answers `rowid IN (...)` with one doclist seek per id; the auxiliary functions
        # run for these rows only.
        statement = (
            f"SELECT {DOCS}.id, {DOCS}.source, {DOCS}.object_id, {DOCS}.kind, {DOCS}.title, {DOCS}.url, "
            f"highlight({FTS}, 0, {marks}), snippet({FTS}, 1, {marks}, '…', {SNIPPET_WORDS}), "
            f"snippet({FTS}, 3, {marks}, '…', {SNIPPET_WORDS}) "
            f"FROM {FTS} CROSS JOIN {DOCS} ON {DOCS}.id = {FTS}.rowid WHERE {FTS} MATCH %s "
            f"AND {FTS}.rowid IN ({', '.join(['%s'] * len(ids))}) AND {where}"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, [fts_expression(query), *ids, *where_params])
            return marked_from_rows(cursor.fetchall())
