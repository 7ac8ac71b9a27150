"""The backup and restore drill, on the PostgreSQL run of the suite."""

import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from payments import services
from tests.factories import PaymentMethodFactory, ProductFactory, make_order, offer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    server = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{server}/{s['NAME']}"


def test_a_restored_backup_has_every_order_and_payment_to_the_cent(clerk, call_center):
    cash = offer(call_center, PaymentMethodFactory())
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])
    services.add_payment(
        order=order, by=clerk, method=cash, amount=Decimal("120.00"), idempotency_key=uuid.uuid4()
    )
    result = subprocess.run(
        [sys.executable, "scripts/restore_drill.py", database_url()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Restore drill passed." in result.stdout
    lines = {line[5:21].strip(): line[21:].split() for line in result.stdout.splitlines()[:-1]}
    assert lines["sales orders"] == ["1", "1"]
    assert lines["order totals"] == ["120.00", "120.00"]
    assert lines["payment amounts"] == ["120.00", "120.00"]


def test_a_role_without_createdb_is_told_what_it_lacks_without_a_traceback():
    role, password = f"drill_{uuid.uuid4().hex[:12]}", uuid.uuid4().hex
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN NOCREATEDB PASSWORD '{password}'")
    try:
        s = connection.settings_dict
        server = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        result = subprocess.run(
            [
                sys.executable,
                "scripts/restore_drill.py",
                f"postgres://{role}:{password}@{server}/{s['NAME']}",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP ROLE {role}")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"Restore drill not run: The role {role} lacks the CREATEDB right: the drill restores "
        f"into a scratch database ({s['NAME']}_restore_drill) that it creates and drops. Run it "
        f"with the URL of a role that has CREATEDB (or a superuser), or give it: "
        f"ALTER ROLE {role} CREATEDB;\n"
    )


def test_orders_taken_while_the_backup_runs_are_no_difference(clerk, call_center, monkeypatch):
    """The database's side is read in the dump's own snapshot: a customer created after
    it is in neither, where reading the live database after the restore counted it."""
    import importlib.util

    import psycopg

    from tests.factories import CustomerFactory

    spec = importlib.util.spec_from_file_location(
        "restore_drill", ROOT / "scripts/restore_drill.py"
    )
    drill = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(drill)
    make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("10.00")), 1)])
    real_run = subprocess.run

    def run(command, **kwargs):
        done = real_run(command, **kwargs)
        if command[0] == "pg_dump":  # a clerk creates a customer while the drill runs
            CustomerFactory()
        return done

    monkeypatch.setattr(drill.subprocess, "run", run)
    assert drill.drill(database_url()) is True
    with psycopg.connect(drill.make_conninfo(**drill.conninfo_to_dict(database_url()))) as c:
        assert c.execute("SELECT count(*) FROM customers_customer").fetchone()[0] == 2


def test_a_url_without_a_database_is_told_so_without_a_traceback():
    s = connection.settings_dict
    server = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    result = subprocess.run(
        [sys.executable, "scripts/restore_drill.py", f"postgres://{s['USER']}@{server}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Restore drill not run: The URL names no database")
