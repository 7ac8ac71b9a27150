"""The load balancer's health check: ``GET /healthz``.

200 when this app server can serve clerks: its database answers, and so does the
shared cache when sessions are kept there (``REDIS_URL``); 503 otherwise, naming
what failed, so the balancer stops sending clerks to it until it recovers.

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


def checks() -> dict[str, str]:
    """Each dependency's state: "ok", or "unavailable" (the error is logged)."""
    dependencies = {"database": _database}
    if settings.REDIS_URL:
        dependencies["cache"] = _cache
    states = {}
    for name, check in dependencies.items():
        try:
            check()
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
