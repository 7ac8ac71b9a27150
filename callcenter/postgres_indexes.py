"""Indexes only PostgreSQL has (trigram, pattern operator classes), made by a migration.

Queries stay plain ORM and correct everywhere; on PostgreSQL these indexes let
``LIKE '%berg%'`` or ``UPPER(x) LIKE 'G12%'`` use an index instead of scanning
millions of rows. SQLite, the embedded default, goes without and scans.
"""

from collections.abc import Callable


def index_operations(indexes: dict[str, str]) -> tuple[Callable, Callable]:
    """(create, drop) functions for ``migrations.RunPython``; ``indexes`` maps each index's
    name to what follows ``ON`` in its ``CREATE INDEX``."""

    def create(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, definition in indexes.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")

    def drop(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return create, drop
