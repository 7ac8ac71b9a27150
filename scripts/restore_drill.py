"""The restore drill: back up a PostgreSQL database, restore it elsewhere, compare.

    .venv/bin/python scripts/restore_drill.py [DATABASE_URL]      # make restore-drill

Dumps the database (``pg_dump --format=custom``, the same command as a nightly
backup), restores the dump into a scratch database on the same server
(``<name>_restore_drill``, dropped afterwards), and compares what matters: the
row counts of the customer, order, line, payment and history tables, and the
money (order totals, amounts paid, payments, refunds). Prints one line per
check; exits with status 1 when anything differs, so it can run from cron.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

#: (what, query) compared between the database and its restored copy
CHECKS = [
    ("customers", "SELECT count(*) FROM customers_customer"),
    ("customer events", "SELECT count(*) FROM customers_customerevent"),
    ("sales orders", "SELECT count(*) FROM orders_salesorder"),
    ("order lines", "SELECT count(*) FROM orders_salesline"),
    ("order events", "SELECT count(*) FROM orders_orderevent"),
    ("payments", "SELECT count(*) FROM payments_payment"),
    ("payment events", "SELECT count(*) FROM payments_paymentevent"),
    ("order totals", "SELECT coalesce(sum(total), 0) FROM orders_salesorder"),
    ("amounts paid", "SELECT coalesce(sum(amount_paid), 0) FROM orders_salesorder"),
    ("payment amounts", "SELECT coalesce(sum(amount), 0) FROM payments_payment"),
    ("refunds", "SELECT coalesce(sum(amount), 0) FROM payments_paymentrefund"),
]


def _read(conninfo: str) -> dict[str, object]:
    with psycopg.connect(conninfo) as connection:
        return {what: connection.execute(query).fetchone()[0] for what, query in CHECKS}


def _tool_env(params: dict) -> dict[str, str]:
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = params["password"]
    return env


def _connection_args(params: dict) -> list[str]:
    args = []
    for option, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            args += [option, str(params[key])]
    return args


def drill(url: str) -> bool:
    source = conninfo_to_dict(url)
    scratch_name = f"{source['dbname']}_restore_drill"
    scratch = {**source, "dbname": scratch_name}
    server = make_conninfo(**{**source, "dbname": "postgres"})
    env, args = _tool_env(source), _connection_args(source)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "backup.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--file", str(dump), *args, source["dbname"]],
            env=env,
            check=True,
        )
        database = sql.Identifier(scratch_name)
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(database))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(database))
        try:
            subprocess.run(
                ["pg_restore", "--no-owner", "--dbname", scratch_name, *args, str(dump)],
                env=env,
                check=True,
            )
            before, after = _read(make_conninfo(**source)), _read(make_conninfo(**scratch))
        finally:
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(database))
    same = True
    for what, _ in CHECKS:
        ok = before[what] == after[what]
        same &= ok
        print(f"{'ok  ' if ok else 'DIFF'} {what:<16} {before[what]!s:>16} {after[what]!s:>16}")
    return same


def main() -> int:
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Give the PostgreSQL database URL (argument or DATABASE_URL).", file=sys.stderr)
        return 2
    ok = drill(url)
    print("Restore drill passed." if ok else "Restore drill FAILED: the restored copy differs.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
