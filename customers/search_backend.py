"""The database-specific part of customer search: indexes that make it fast on PostgreSQL.

Search itself is plain ORM (``customers.selectors``) and correct everywhere; on
PostgreSQL these trigram (pg_trgm) indexes let ``LIKE '%berg%'`` and
``LIKE '%2001'`` use an index instead of scanning a million rows. SQLite scans.
"""

TRIGRAM_INDEXES = {
    "customers_customer_name_trgm": ("customers_customer", "name_search"),
    "customers_customer_phone_trgm": ("customers_customer", "phone_digits"),
    "customers_customer_email_trgm": ("customers_customer", "email"),
}


def create_search_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop_search_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
