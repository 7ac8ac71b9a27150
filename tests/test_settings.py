"""The settings module read from the environment, checked in a fresh process."""

import os
import runpy
import subprocess
import sys
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent


# What the test session sets for itself (the browser tests allow sync ORM calls
# next to Playwright's event loop) must not reach a production-like process.
NOT_INHERITED = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def check_deploy(**env):
    return manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 64 + "-a-long-random-production-secret",
        ALLOWED_HOSTS="orders.example.com",
        DATABASE_URL="postgres://callcenter@db.example.com:5432/callcenter",
        **env,
    )


def test_check_deploy_reports_nothing_with_debug_off():
    result = check_deploy(PAYMENT_GATEWAY="acme.gateways.CardProcessor")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_takes_a_proxy_that_redirects_to_https_at_its_word():
    result = check_deploy(PAYMENT_GATEWAY="acme.gateways.CardProcessor", SECURE_SSL_REDIRECT="0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_while_cards_go_to_the_test_gateway():
    result = check_deploy()
    assert result.returncode != 0
    assert "payments.W001" in result.stderr and "takes no money" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


SHOW_DATABASE = (
    "from django.conf import settings; d = settings.DATABASES['default']; "
    "print(d['ENGINE'], d['NAME'])"
)


def test_production_refuses_to_start_without_a_database_url(tmp_path):
    """A forgotten DATABASE_URL is not an empty SQLite file that the health check passes:
    with DEBUG off, SQLite is used only when named; in development it is the default."""
    for unset in ({}, {"DATABASE_URL": ""}):
        result = manage("shell", "-c", SHOW_DATABASE, DEBUG="0", SECRET_KEY="s" * 60, **unset)
        assert result.returncode != 0
        assert "ImproperlyConfigured: Set DATABASE_URL in the environment" in result.stderr
        assert "django.db.backends" not in result.stdout

    def shown(**env):
        result = manage("shell", "-c", SHOW_DATABASE, **env)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1].split()

    path = tmp_path / "orders.sqlite3"
    named = shown(DEBUG="0", SECRET_KEY="s" * 60, DATABASE_URL=f"sqlite:///{path}")
    assert named == ["django.db.backends.sqlite3", str(path)]
    assert shown(DEBUG="1") == ["django.db.backends.sqlite3", str(ROOT / "db.sqlite3")]


def test_database_url_selects_postgresql():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/example",
    )
    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.postgresql", result.stderr


def test_the_redis_cache_gives_up_on_a_silent_server_after_redis_timeout():
    show = "from django.conf import settings; print(settings.CACHES['default']['OPTIONS'])"

    def options(**env):
        result = manage("shell", "-c", show, DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/0", **env)
        return result.stdout.strip().splitlines()[-1]

    assert options() == "{'socket_connect_timeout': 2.0, 'socket_timeout': 2.0}"
    assert options(REDIS_TIMEOUT="0.5") == "{'socket_connect_timeout': 0.5, 'socket_timeout': 0.5}"


def test_behind_pgbouncer_pooling_by_transaction_no_server_side_cursor_is_used():
    show = "from django.conf import settings; print(settings.DATABASES['default']"
    show += "['DISABLE_SERVER_SIDE_CURSORS'])"
    url = "postgres://postgres@127.0.0.1:5432/example"
    by_default = manage("shell", "-c", show, DEBUG="1", DATABASE_URL=url)
    assert by_default.stdout.strip().splitlines()[-1] == "False", by_default.stderr
    pooled = manage(
        "shell", "-c", show, DEBUG="1", DATABASE_URL=url, PGBOUNCER_TRANSACTION_POOLING="1"
    )
    assert pooled.stdout.strip().splitlines()[-1] == "True", pooled.stderr


@pytest.mark.postgres
def test_a_postgresql_connection_waits_for_a_locked_row_at_most_the_lock_timeout():
    show = "from django.db import connection; c = connection.cursor(); "
    show += "c.execute('SHOW lock_timeout'); print(c.fetchone()[0])"
    # the PostgreSQL run's own server; its maintenance database is always there
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres").geturl()
    by_default = manage("shell", "-c", show, DEBUG="1", DATABASE_URL=url)
    assert by_default.stdout.strip().splitlines()[-1] == "20s", by_default.stderr
    shorter = manage("shell", "-c", show, DEBUG="1", DATABASE_URL=url, DATABASE_LOCK_TIMEOUT="5")
    assert shorter.stdout.strip().splitlines()[-1] == "5s", shorter.stderr
    statement = show.replace("lock_timeout", "statement_timeout")
    unlimited = manage("shell", "-c", statement, DEBUG="1", DATABASE_URL=url)
    assert unlimited.stdout.strip().splitlines()[-1] == "0", unlimited.stderr  # commands
    limited = manage(
        "shell", "-c", statement, DEBUG="1", DATABASE_URL=url, DATABASE_STATEMENT_TIMEOUT="25"
    )
    assert limited.stdout.strip().splitlines()[-1] == "25s", limited.stderr
    # PgBouncer pooling by transaction refuses a connection's own settings: the role's apply
    pooled = manage(
        "shell", "-c", show, DEBUG="1", DATABASE_URL=url, PGBOUNCER_TRANSACTION_POOLING="1"
    )
    assert pooled.stdout.strip().splitlines()[-1] == "0", pooled.stderr


def test_gunicorn_s_workers_cancel_a_statement_before_they_would_be_killed():
    """gunicorn.conf.py gives the web workers a statement timeout 5 s short of gunicorn's
    (unless one is set): the request is answered 503 instead of the worker being killed."""
    read = "import os, runpy; runpy.run_path('gunicorn.conf.py'); "
    read += "print(os.environ['DATABASE_STATEMENT_TIMEOUT'])"

    def statement_timeout(**env):
        environment = {k: v for k, v in os.environ.items() if k != "DATABASE_STATEMENT_TIMEOUT"}
        result = subprocess.run(
            [sys.executable, "-c", read],
            cwd=ROOT,
            env={**environment, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.stdout.strip()

    assert statement_timeout() == "25"
    assert statement_timeout(GUNICORN_TIMEOUT="60") == "55"
    assert statement_timeout(DATABASE_STATEMENT_TIMEOUT="10") == "10"


def test_gunicorn_s_access_log_leaves_out_what_callers_said():
    """A search or a screen-pop carries the caller's name, phone or e-mail in its query
    string (and the next page in its referer): the access log line has neither."""
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.glogging import Logger

    with mock.patch.dict(os.environ):  # the file sets the statement timeout it reads
        access_log_format = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["access_log_format"]
    environ = {
        "REMOTE_ADDR": "10.0.0.7",
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/customers/lookup?phone=%2B15550102001",
        "PATH_INFO": "/customers/lookup",
        "QUERY_STRING": "phone=%2B15550102001",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://cc.example/?q=karen.berg%40example.com",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    request = SimpleNamespace(headers=[("X-REQUEST-ID", "7f3c")])
    response = SimpleNamespace(status="200 OK", sent=5120, headers=[])
    logger = Logger.__new__(Logger)
    atoms = Logger.atoms(logger, response, request, environ, timedelta(milliseconds=14))
    line = access_log_format % atoms
    assert '"GET /customers/lookup HTTP/1.1" 200 5120' in line
    assert line.endswith("14ms 7f3c")
    assert "5550102001" not in line and "karen" not in line


def test_a_log_level_in_lower_case_is_taken():
    result = manage("check", DEBUG="1", LOG_LEVEL="warning")
    assert result.returncode == 0, result.stderr


def test_a_partial_migrate_on_an_empty_database_runs(tmp_path):
    """``migrate contenttypes`` then ``migrate auth`` before the rest: the role groups get
    their permissions with the full migrate, not before their tables are there."""
    url = f"sqlite:///{tmp_path / 'partial.sqlite3'}"
    for target in (["contenttypes"], ["auth"], []):
        result = manage("migrate", *target, DEBUG="1", DATABASE_URL=url)
        assert result.returncode == 0, result.stderr
    count = "from django.contrib.auth.models import Group; "
    count += "print(Group.objects.get(name='Call center supervisors').permissions.count())"
    result = manage("shell", "-c", count, DEBUG="1", DATABASE_URL=url)
    assert int(result.stdout.strip().splitlines()[-1]) > 0


def test_the_demo_data_is_refused_with_debug_off():
    result = manage("load_demo", DEBUG="0", SECRET_KEY="s" * 60, DATABASE_URL="sqlite:///:memory:")
    assert result.returncode != 0
    assert "DEBUG is off" in result.stderr


def test_redis_url_puts_the_cache_and_sessions_in_redis():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)",
        DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ], result.stderr


@pytest.mark.sqlite
@pytest.mark.django_db
def test_the_sqlite_file_is_written_ahead_and_each_commit_is_synced():
    """Pages are read while another clerk's order is being saved, and no commit is lost."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL


def test_two_gunicorn_servers_on_one_host_have_a_control_socket_each():
    """gunicorn's control socket (``gunicornc``) is one path per user by default: a second
    server on the host would take the first one's. It is named after the bind instead,
    and GUNICORN_CONTROL_SOCKET moves it or, empty, turns it off."""

    def control(**env):
        with mock.patch.dict(os.environ):
            for name in ("PORT", "GUNICORN_BIND", "GUNICORN_CONTROL_SOCKET"):
                os.environ.pop(name, None)
            os.environ.update(env)
            read = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
        return read["control_socket"], read["control_socket_disable"]

    first, second = control(PORT="8103"), control(PORT="8104")
    assert first[0] != second[0]
    assert Path(first[0]).name == "gunicorn-0.0.0.0-8103.ctl" and not first[1]
    unix = control(GUNICORN_BIND="unix:/run/callcenter/app.sock")[0]
    assert Path(unix).name == "gunicorn-unix-run-callcenter-app.sock.ctl"
    assert control(GUNICORN_CONTROL_SOCKET="/run/callcenter/a.ctl") == (
        "/run/callcenter/a.ctl",
        False,
    )
    assert control(GUNICORN_CONTROL_SOCKET="")[1] is True
