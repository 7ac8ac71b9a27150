"""Login throttling, idle sessions and the Content-Security-Policy."""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failed_logins_lock_that_username_with_a_message(client):
    UserFactory(username="karen", password="right-password")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "karen", "wrong").status_code == 200
    assert log_in(client, "karen", "wrong").status_code == 429
    response = log_in(client, "karen", "right-password")
    assert response.status_code == 429
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "Too many failed logins for this username. Wait 15 minutes" in content
    assert "_auth_user_id" not in client.session


def test_a_locked_username_does_not_lock_the_other_clerks_of_the_center(client):
    UserFactory(username="karen", password="right-password")
    UserFactory(username="bob", password="bob-password")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "karen", "wrong")
    response = log_in(client, "bob", "bob-password")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_successful_login_forgets_the_earlier_failures(client):
    UserFactory(username="karen", password="right-password")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "karen", "wrong")
    assert log_in(client, "karen", "right-password").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "karen", "wrong")
    assert log_in(client, "karen", "right-password").status_code == 302


def test_a_session_expires_after_the_idle_time(client, clerk):
    client.force_login(clerk)
    client.get(reverse("customers:service"))
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_MINUTES * 60


def test_each_request_pushes_the_idle_expiry_forward_at_most_once_a_minute(client, clerk):
    client.force_login(clerk)
    session = client.session
    session["_seen"] = 1  # long ago
    session.save()
    response = client.get(reverse("customers:service"))
    assert client.session["_seen"] > 1
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == (
        settings.SESSION_IDLE_MINUTES * 60
    )
    again = client.get(reverse("customers:service"))
    assert settings.SESSION_COOKIE_NAME not in again.cookies  # nothing to save this time


def test_pages_allow_only_the_application_s_own_scripts(client, clerk):
    client.force_login(clerk)
    policy = client.get(reverse("customers:service"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in directives["default-src"] + directives["style-src"]


def test_the_login_page_has_the_policy_too(client):
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]


def test_passwords_must_be_long_and_not_common():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["short1!", "password1234", "123456789012"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("correct horse battery staple")


def test_a_click_after_the_session_ended_sends_the_whole_page_to_the_login_and_back(client, clerk):
    """An htmx request gets HX-Redirect to the login page, with the page the click was made
    on to come back to; a plain request gets Django's redirect with its own address."""
    from orders.models import SalesOrder
    from tests.factories import make_order

    order: SalesOrder = make_order(clerk=clerk)
    page = reverse("orders:detail", args=[order.number])
    add_line = reverse("orders:add_line", args=[order.number])
    login = reverse("login")
    clicked = client.post(
        add_line,
        {"item_number": "81327", "quantity": 1},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{page}?tab=lines",
    )
    assert clicked.status_code == 200
    assert clicked["HX-Redirect"] == f"{login}?next={quote(page + '?tab=lines')}"
    assert "Location" not in clicked
    # a page of another site is not one to come back to
    elsewhere = client.post(
        add_line, {}, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://example.com/x/"
    )
    assert elsewhere["HX-Redirect"] == f"{login}?next=/"
    plain = client.post(add_line, {"item_number": "81327", "quantity": 1})
    assert plain.status_code == 302
    assert plain["Location"] == f"{login}?next={quote(add_line)}"
    assert not order.lines.exists()
