"""The restore drill: back up a PostgreSQL database, restore it elsewhere, compare.

    .venv/bin/python scripts/restore_drill.py [DATABASE_URL]      # make restore-drill

Dumps the database (``pg_dump --format=custom``, the same command as a nightly
backup), restores the dump into a scratch database on the same server
(``<name>_restore_drill``, dropped afterwards), and compares what matters: the
row counts of the customer, order, line, payment and history tables, and the
money (order totals, amounts paid, payments, refunds). The database's side is read in
the very snapshot the dump is taken from (``pg_export_snapshot``, ``pg_dump
--snapshot``), so orders taken while the drill runs do not count as differences. Prints
one line per check; exits with status 1 when anything differs, so it can run from cron.

The role in the URL creates and drops the scratch database: it needs the CREATEDB
right (or is a superuser). Without it, or when a step cannot run (the server does not
answer, ``pg_dump`` fails), the drill says what is missing and exits with status 2.
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


class DrillError(Exception):
    """The drill could not run: the message says why and what to do."""


def _check_createdb(conninfo: str, scratch_name: str) -> None:
    """Refuse before the dump when the role may not create the scratch database."""
    with psycopg.connect(conninfo) as connection:
        role, allowed = connection.execute(
            "SELECT rolname, rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    if not allowed:
        raise DrillError(_no_createdb(role, scratch_name))


def _no_createdb(role: str, scratch_name: str) -> str:
    return (
        f"The role {role} lacks the CREATEDB right: the drill restores into a scratch "
        f"database ({scratch_name}) that it creates and drops. Run it with the URL of a role "
        f"that has CREATEDB (or a superuser), or give it: ALTER ROLE {role} CREATEDB;"
    )


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


def _dump_and_read(conninfo: str, command: list[str], env: dict[str, str]) -> dict:
    """Dump the database and read its side of the checks in one snapshot: the dump's."""
    with psycopg.connect(conninfo) as snapshot:
        snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snapshot.read_only = True
        exported = snapshot.execute("SELECT pg_export_snapshot()").fetchone()[0]
        before = {what: snapshot.execute(query).fetchone()[0] for what, query in CHECKS}
        subprocess.run([*command, "--snapshot", exported], env=env, check=True)
    return before


def drill(url: str) -> bool:
    source = conninfo_to_dict(url)
    if not source.get("dbname"):
        raise DrillError(
            "The URL names no database: give the database to back up, "
            "postgres://user@host:5432/callcenter."
        )
    scratch_name = f"{source['dbname']}_restore_drill"
    scratch = {**source, "dbname": scratch_name}
    server = make_conninfo(**{**source, "dbname": "postgres"})
    env, args = _tool_env(source), _connection_args(source)
    _check_createdb(make_conninfo(**source), scratch_name)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "backup.dump"
        before = _dump_and_read(
            make_conninfo(**source),
            ["pg_dump", "--format=custom", "--file", str(dump), *args, source["dbname"]],
            env,
        )
        database = sql.Identifier(scratch_name)
        with psycopg.connect(server, autocommit=True) as admin:
            try:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(database))
            except psycopg.errors.InsufficientPrivilege as error:
                raise DrillError(
                    f"{str(error).strip()}: the scratch database {scratch_name} is left from a "
                    "drill run by another role. Drop it, or run the drill as its owner."
                ) from error
            try:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(database))
            except psycopg.errors.InsufficientPrivilege as error:
                role = admin.execute("SELECT current_user").fetchone()[0]
                raise DrillError(_no_createdb(role, scratch_name)) from error
        try:
            subprocess.run(
                ["pg_restore", "--no-owner", "--dbname", scratch_name, *args, str(dump)],
                env=env,
                check=True,
            )
            after = _read(make_conninfo(**scratch))
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
    try:
        ok = drill(url)
    except DrillError as error:
        print(f"Restore drill not run: {error}", file=sys.stderr)
        return 2
    except psycopg.Error as error:
        print(f"Restore drill not run: {str(error).strip()}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(
            f"Restore drill not run: {error.filename} is not installed (PostgreSQL's client "
            "programs, the same major version as the server).",
            file=sys.stderr,
        )
        return 2
    except subprocess.CalledProcessError as error:
        print(
            f"Restore drill not run: {error.cmd[0]} failed (its message is above).", file=sys.stderr
        )
        return 2
    print("Restore drill passed." if ok else "Restore drill FAILED: the restored copy differs.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
