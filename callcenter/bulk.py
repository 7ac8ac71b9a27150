"""Loading generated rows into PostgreSQL fast, with COPY: benchmark data only.

The generators (``generate_customers``, ``generate_large_data``) format each row
as COPY text themselves and stream it in large chunks, with explicit ids so
child rows can name their parents without a round trip; the app's own writes
never come here. For a load that is large next to what a table holds, its
secondary indexes and foreign keys are dropped first and built again at the end
(one sort instead of millions of inserts into each index, one join instead of
a check per row), all in the caller's transaction: a failure leaves the tables
as they were.
"""

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection

# what COPY's text format needs escaped in a value
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"
CHUNK = 1 << 20  # characters sent to the server at a time


def text(value: str) -> str:
    """A string as a COPY text value."""
    return value.translate(_ESCAPES)


def raw_cursor():
    """The psycopg 3 cursor under Django's connection (COPY is not in Django's API)."""
    connection.ensure_connection()
    return connection.connection.cursor()


def copy_rows(cursor, table: str, columns: Iterable[str], lines: Iterable[str]) -> int:
    """COPY ``lines`` (tab-separated values, each ending in a newline) into ``table``."""
    count = 0
    buffer: list[str] = []
    size = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for line in lines:
            buffer.append(line)
            size += len(line)
            count += 1
            if size >= CHUNK:
                copy.write("".join(buffer))
                buffer, size = [], 0
        if buffer:
            copy.write("".join(buffer))
    return count


def next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def reset_sequence(cursor, table: str) -> None:
    """After rows were copied with explicit ids, the next ``INSERT`` gets the id after them."""
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
        f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
    )


def row_count(cursor, table: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {table}")
    return cursor.fetchone()[0]


def _secondary_definitions(cursor, tables: list[str]) -> tuple[list, list]:
    """(constraints, indexes) of ``tables`` but their primary keys and check constraints:
    [(table, name, definition)], as PostgreSQL would write them."""
    cursor.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint
        WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u')
        ORDER BY contype DESC, conname
        """,
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """
        SELECT indrelid::regclass::text, indexrelid::regclass::text, pg_get_indexdef(indexrelid)
        FROM pg_index
        WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary
          AND indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE contype IN ('u', 'x'))
        ORDER BY 2
        """,
        [tables],
    )
    return constraints, cursor.fetchall()


@contextmanager
def indexes_rebuilt_after(cursor, tables: list[str], log=print) -> Iterator[None]:
    """Drop the secondary indexes, unique and foreign key constraints of ``tables`` and
    create them again, with the same names and definitions, when the block is done.

    Call it inside a transaction (PostgreSQL's DDL is transactional)."""
    if not tables:
        yield
        return
    constraints, indexes = _secondary_definitions(cursor, tables)
    # checks still deferred in this transaction forbid ALTER TABLE: run them now
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table, name, _definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for _table, name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    began = time.monotonic()
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for _table, _name, definition in indexes:
        cursor.execute(definition)
    # unique constraints first: foreign keys are checked in one join each
    for table, name, definition in constraints:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares its foreign keys
    log(
        f"rebuilt {len(indexes)} indexes and {len(constraints)} constraints "
        f"in {time.monotonic() - began:.0f} s"
    )


def analyze(cursor, tables: Iterable[str]) -> None:
    """Fresh statistics for the planner."""
    for table in tables:
        cursor.execute(f"ANALYZE {table}")
