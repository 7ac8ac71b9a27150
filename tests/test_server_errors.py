"""When the server cannot answer: a database that did not answer in time (a lock waited
on too long, a lost connection) is a 503 telling the clerk to try again in a moment; any
other unexpected error is the 500 page. Neither page reads the database, and nothing
already saved is lost."""

import threading
from decimal import Decimal

import pytest
from django.db import OperationalError, connection, transaction
from django.urls import reverse

from orders import services
from orders.models import SalesOrder
from tests.factories import ProductFactory, make_order
from tests.html import alert_text

TRY_AGAIN = "the system was busy or could not reach its data"


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    client.raise_request_exception = False  # as a server answers: with the error page
    return client


def add_line(client, order, **headers):
    return client.post(
        reverse("orders:add_line", args=[order.number]),
        {"item_number": "LOCKED-1", "quantity": 1},
        **headers,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
def test_a_database_that_does_not_answer_is_a_503_asking_to_try_again(
    clerk_client, clerk, monkeypatch, caplog, htmx
):
    order = make_order(clerk=clerk)
    ProductFactory(item_number="LOCKED-1")

    def lock_timeout(*args, **kwargs):
        raise OperationalError("canceling statement due to lock timeout")

    monkeypatch.setattr(services, "add_line", lock_timeout)
    response = add_line(clerk_client, order, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert TRY_AGAIN in alert_text(response)
    # operators still see what happened, with its traceback
    assert any(r.exc_info and r.exc_info[0] is OperationalError for r in caplog.records)


@pytest.mark.django_db
def test_a_database_lost_before_the_view_runs_is_a_503_too(clerk_client, monkeypatch):
    """The connection fails in the middleware that reads the clerk's call center."""
    from callcenter import middleware

    def lost(request):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(middleware, "current_call_center", lost)
    response = clerk_client.get(reverse("customers:service"))
    assert response.status_code == 503
    assert TRY_AGAIN in alert_text(response)
    french = clerk_client.get(reverse("customers:service"), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="fr">' in french.content.decode()


@pytest.mark.django_db
def test_any_other_error_is_the_500_page(clerk_client, clerk, monkeypatch):
    order = make_order(clerk=clerk)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "add_line", broken)
    response = add_line(clerk_client, order)
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "What was saved before is not lost" in alert_text(response)
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_order_locked_past_the_lock_timeout_is_a_503_and_stays_as_it_was(clerk_client, clerk):
    """Another transaction holds the order's row lock (a stuck request, a long report);
    with PostgreSQL's ``lock_timeout`` set, the clerk's click gives up and says so
    instead of waiting until gunicorn kills the worker."""
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("10.00")), 1)])
    ProductFactory(item_number="LOCKED-1")
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                SalesOrder.objects.select_for_update().get(pk=order.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        response = add_line(clerk_client, order, HTTP_HX_REQUEST="true")
    finally:
        release.set()
        holder.join(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert response.status_code == 503
    assert TRY_AGAIN in alert_text(response)
    order.refresh_from_db()
    assert order.lines.count() == 1  # nothing of the click was kept
    response = add_line(clerk_client, order, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # the lock released, the same click goes through
    assert order.lines.count() == 2


REDIS = "django.core.cache.backends.redis.RedisCache"


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
def test_a_cache_that_cannot_be_reached_is_a_503_asking_to_try_again(
    clerk_client, settings, caplog, htmx
):
    """With ``REDIS_URL`` the sessions are read from Redis first: Redis down (nothing
    listening on its port) is the same 503 as the database down, on every page."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    settings.CACHES = {"default": {"BACKEND": REDIS, "LOCATION": "redis://127.0.0.1:1/0"}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    response = clerk_client.get(
        reverse("customers:service"), **({"HTTP_HX_REQUEST": "true"} if htmx else {})
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert TRY_AGAIN in alert_text(response)
    assert any(r.exc_info and r.exc_info[0] is RedisConnectionError for r in caplog.records)


@pytest.mark.django_db
def test_a_cache_that_does_not_answer_is_given_up_with_a_503(clerk_client, settings):
    """A Redis that accepts the connection and never answers: the request gives up after
    ``REDIS_TIMEOUT`` (the settings' socket timeouts) with the same 503, rather than
    waiting until gunicorn kills the worker."""
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # connections complete in the backlog; nothing ever reads them
    try:
        port = silent.getsockname()[1]
        settings.CACHES = {
            "default": {
                "BACKEND": REDIS,
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": {**settings.REDIS_OPTIONS, "socket_timeout": 0.5},
            }
        }
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
        response = clerk_client.get(reverse("customers:service"))
    finally:
        silent.close()
    assert response.status_code == 503
    assert TRY_AGAIN in alert_text(response)


@pytest.mark.django_db
def test_a_login_while_the_cache_cannot_be_reached_is_a_503(client, clerk, settings):
    settings.CACHES = {"default": {"BACKEND": REDIS, "LOCATION": "redis://127.0.0.1:1/0"}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.raise_request_exception = False
    response = client.post(reverse("login"), {"username": clerk.username, "password": "pw"})
    assert response.status_code == 503
    assert TRY_AGAIN in alert_text(response)
