"""The load balancer's health check: ``GET /healthz``.

200 when this app server can serve clerks: its database answers, with every migration
of this code applied, and so does the shared cache when sessions are kept there
(``REDIS_URL``); 503 otherwise, naming what failed, so the balancer stops sending
clerks to it until it recovers (or, for migrations, until ``migrate`` has run: a new
release's servers take no clerk before their tables are there).

Answered by the first middleware, before anything else runs: a balancer asks by
the server's own address (not one of ``ALLOWED_HOSTS``), over plain HTTP (no HTTPS
redirect), without a session or a login, and its checks must not write sessions,
count as login attempts or be cached.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponseNotAllowed, JsonResponse

PATH = "/healthz"

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    caches["default"].get("health-check")


class MigrationsPending(Exception):
    pass


#: set once this process has seen every migration of its code applied: they stay applied
_migrated = False


def _migrations() -> None:
    global _migrated
    if _migrated:
        return
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise MigrationsPending(", ".join(f"{m.app_label}.{m.name}" for m, _back in plan[:5]))
    _migrated = True


def checks() -> dict[str, str]:
    """Each dependency's state: "ok", "pending" (migrations not applied yet) or
    "unavailable" (the error is logged)."""
    dependencies = {"database": _database, "migrations": _migrations}
    if settings.REDIS_URL:
        dependencies["cache"] = _cache
    states = {}
    for name, check in dependencies.items():
        if name == "migrations" and states["database"] != "ok":
            states[name] = "unavailable"  # not to be read without the database
            continue
        try:
            check()
        except MigrationsPending as pending:
            logger.warning("health check: migrations not applied: %s", pending)
            states[name] = "pending"
        except Exception as error:  # DatabaseError, or the cache client's own errors
            logger.warning("health check: the %s is unavailable: %r", name, error)
            states[name] = "unavailable"
        else:
            states[name] = "ok"
    return states


class HealthCheckMiddleware:
    """Answers ``GET /healthz`` itself; every other request goes on down the stack."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        states = checks()
        healthy = all(state == "ok" for state in states.values())
        response = JsonResponse(
            {"status": "ok" if healthy else "unavailable", **states},
            status=200 if healthy else 503,
        )
        response["Cache-Control"] = "no-store"
        return response
