"""The load balancer's health check, GET /healthz."""

import pytest
from django.db import OperationalError

from callcenter import health

pytestmark = pytest.mark.django_db

REDIS = "django.core.cache.backends.redis.RedisCache"


def test_a_server_that_can_serve_says_so_without_a_session_or_a_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # no session, no CSRF cookie
    # every other page asks for a login
    assert client.get("/").status_code == 302


def test_the_balancer_asks_by_the_server_s_address_over_plain_http(client, settings):
    settings.ALLOWED_HOSTS = ["orders.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    # a page asked for that way is refused, as before
    assert client.get("/accounts/login/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_a_server_without_its_database_answers_503(client, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "migrations": "unavailable",
    }


def test_with_sessions_in_redis_the_cache_is_checked_too(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    settings.CACHES = {"default": {"BACKEND": REDIS, "LOCATION": settings.REDIS_URL}}
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok", "cache": "ok"}
    # nothing answers on port 1: the sessions cannot be read, the balancer must look elsewhere
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {"default": {"BACKEND": REDIS, "LOCATION": settings.REDIS_URL}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "migrations": "ok",
        "cache": "unavailable",
    }


def test_a_server_whose_migrations_are_not_applied_takes_no_clerk(client, monkeypatch):
    """A new release's server started before ``migrate`` answers 503 until its tables
    are there; once it has seen them all applied it does not look again."""
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(health, "_migrated", False)
    applied = MigrationExecutor.migration_plan
    pending = [
        (MigrationExecutor(health.connection).loader.graph.nodes[("orders", "0001_initial")], False)
    ]
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: pending)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"
    monkeypatch.setattr(MigrationExecutor, "migration_plan", applied)
    assert client.get("/healthz").json()["migrations"] == "ok"
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: pending)
    assert client.get("/healthz").status_code == 200  # seen applied: not read again


def test_only_get_and_head_are_answered(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
