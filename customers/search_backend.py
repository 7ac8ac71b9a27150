"""The database-specific part of customer search: indexes that make it fast on PostgreSQL.

Search itself is plain ORM (``customers.selectors``) and correct everywhere; on
PostgreSQL these trigram (pg_trgm) indexes let ``LIKE '%berg%'`` and
``LIKE '%2001'`` use an index instead of scanning a million rows. SQLite scans.
"""

from callcenter.postgres_indexes import index_operations

TRIGRAM_INDEXES = {
    "customers_customer_name_trgm": ("customers_customer", "name_search"),
    "customers_customer_phone_trgm": ("customers_customer", "phone_digits"),
    "customers_customer_email_trgm": ("customers_customer", "email"),
}

create_search_indexes, drop_search_indexes = index_operations(
    {
        name: f"{table} USING gin ({column} gin_trgm_ops)"
        for name, (table, column) in TRIGRAM_INDEXES.items()
    }
)
