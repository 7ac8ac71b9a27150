"""The app served as production serves it, on this machine: gunicorn with ``gunicorn.conf.py``,
DEBUG off, static files collected for whitenoise. What the load test and the
production-serving test start."""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
# what the caller's environment must not pass on to the server
NOT_INHERITED = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(*, tmp: Path, port: int, database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a production server on 127.0.0.1:``port``, plus ``settings``.

    Plain http on the loopback: clients say they came through the TLS proxy
    (``X-Forwarded-Proto: https``), so no redirect to https."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(tmp / "static"),
        SECURE_SSL_REDIRECT="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG="",
    )
    env.update(settings)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """What ``manage.py *args`` prints, run with ``env``; CalledProcessError when it fails."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def healthy(port: int) -> bool:
    """Whether the server on ``port`` answers its health check (``GET /healthz``) with 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def start_gunicorn(env: dict[str, str], port: int, log: Path, timeout: float = 60):
    """Collect the static files, start gunicorn and return its process once its health
    check answers 200 on ``port`` (as a load balancer waits for it); RuntimeError, with
    the end of its log, when it does not."""
    manage(env, "collectstatic", "--noinput", "-v0")
    process = subprocess.Popen(
        [str(GUNICORN), "callcenter.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if healthy(port):
            return process
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s")


@contextmanager
def serving(tmp: Path, *, setup: str = "", **settings: str):
    """gunicorn serving a new SQLite database in ``tmp``, migrated, then given ``setup``
    (Python run by ``manage.py shell``), with the production environment plus
    ``settings``. Yields (port, environment, what ``setup`` printed); stops the server."""
    port = free_port()
    env = production_env(
        tmp=tmp, port=port, database_url=f"sqlite:///{tmp / 'db.sqlite3'}", **settings
    )
    manage(env, "migrate", "--noinput")
    printed = manage(env, "shell", "-c", setup) if setup else ""
    process = start_gunicorn(env, port, tmp / "gunicorn.log", timeout=30)
    try:
        yield port, env, printed
    finally:
        process.terminate()
        process.wait(timeout=30)
