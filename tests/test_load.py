"""``make load`` still works: a few clerks for a few seconds through gunicorn, then the checks.

Its numbers are read, not asserted; what is asserted is that the clerks took orders
end to end with no failed request and that the database checks found nothing.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent
DB = "callcenter_load_test"


def test_the_load_test_takes_orders_through_gunicorn_with_no_failure(tmp_path):
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(
        LOAD_PG=server,
        LOAD_DB=DB,
        LOAD_CLERKS="3",
        LOAD_SECONDS="10",
        LOAD_DOUBLE_CLICK="0.5",
        LOAD_REPORT=str(tmp_path / "load.md"),
        GUNICORN_WORKERS="2",
    )
    try:
        result = subprocess.run(
            [sys.executable, "-m", "benchmarks.load"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    report = (tmp_path / "load.md").read_text()
    assert "**Passed.**" in report
    assert "Failed requests: **0**; errors in the clerks' code or in the server's log: **0**" in (
        report
    )
    assert int(re.search(r"\| orders a clerk saw submitted \| ([\d,]+) \|", report)[1]) > 0
    for step in ["search", "new order", "add line", "complete", "pay", "submit"]:
        assert re.search(rf"\| {step}( \(double click\))? \| [1-9]", report), step
    assert "| findings of check_consistency (must be 0) | 0 |" in report
