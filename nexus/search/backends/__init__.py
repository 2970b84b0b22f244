"""The search backend of a database connection: PostgreSQL full-text search, or SQLite FTS5."""

from __future__ import annotations

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from nexus.search.backends.base import SearchBackend


def backend_for(connection: BaseDatabaseWrapper | None = None) -> SearchBackend:
    """The backend matching the connection's vendor (the default database if none is given)."""
    vendor = (connection or connections["default"]).vendor
    if vendor == "postgresql":
        from nexus.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    if vendor == "sqlite":
        from nexus.search.backends.sqlite import SqliteBackend

        return SqliteBackend()
    raise NotImplementedError(f"Search supports PostgreSQL and SQLite, not {vendor}.")
