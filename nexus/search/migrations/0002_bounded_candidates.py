"""Bounded search: topic slugs on the document row, and each engine's current structures.

PostgreSQL: `search_vector` becomes a generated column (no more UPDATE after every write) and
`head_vector` (title, problem, topics) joins it, both with GIN indexes without a pending list;
Django no longer knows either column. SQLite: the head FTS5 table, and the triggers again
(removing a field rebuilds the table, which drops them; the FTS5 tables keep their rows, as
the documents keep their ids).
"""

from importlib import import_module

from django.db import migrations, models

initial = import_module("nexus.search.migrations.0001_initial")

_SQLITE_HEAD_DROP = [
    *(f"DROP TRIGGER IF EXISTS search_document_head_fts_{t}" for t in ("ai", "ad", "au")),
    "DROP TABLE IF EXISTS search_document_head_fts",
]
_POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_document_vector",
    "DROP INDEX IF EXISTS search_document_head_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS head_vector",
]


def fill_topic_slugs(apps, schema_editor):
    """Copy each document's topic slugs from its topic rows (before the vectors are generated,
    so PostgreSQL rewrites the table once)."""
    if schema_editor.connection.vendor == "postgresql":
        concat = "string_agg(slug, ' ' ORDER BY slug)"
    else:
        concat = "group_concat(slug, ' ')"
    schema_editor.execute(
        "UPDATE search_searchdocument SET topic_slugs = COALESCE((SELECT "
        f"{concat} FROM search_searchdocumenttopic t WHERE t.document_id = search_searchdocument.id), '')",
        params=None,
    )


def install(apps, schema_editor):
    """The backend's current structures (its `install_sql()` is idempotent)."""
    from nexus.search.backends import backend_for

    for statement in backend_for(schema_editor.connection).install_sql():
        schema_editor.execute(statement, params=None)
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "INSERT INTO search_document_head_fts(search_document_head_fts) VALUES ('rebuild')", params=None
        )


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in _POSTGRES_DROP if vendor == "postgresql" else _SQLITE_HEAD_DROP:
        schema_editor.execute(statement, params=None)


def reinstall_initial(apps, schema_editor):
    """Back to 0001: its index on the plain `search_vector` column, or its triggers."""
    initial.install(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, reinstall_initial),
        migrations.RemoveField(model_name="searchdocument", name="search_vector"),
        migrations.AddField(
            model_name="searchdocument",
            name="topic_slugs",
            field=models.TextField(blank=True, help_text="The topics' slugs, space-separated (topic facet)."),
        ),
        migrations.RunPython(fill_topic_slugs, migrations.RunPython.noop),
        migrations.RunPython(install, uninstall),
    ]
