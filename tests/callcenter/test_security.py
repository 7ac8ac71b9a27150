"""Login throttling, idle sessions and the Content-Security-Policy."""

import os
import runpy
from unittest import mock
from urllib.parse import quote

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory, override_settings
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


def lock_out(username):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, username, "wrong")
    assert log_in(client, username, "pw").status_code == 429


ATTEMPTS = reverse("admin:axes_accessattempt_changelist")


def test_the_lockout_page_says_who_unlocks(client):
    UserFactory(username="karen")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, "karen", "wrong")
    assert "or ask a manager of your call center to unlock your account." in (
        response.content.decode()
    )


def test_a_manager_unlocks_a_clerk_of_their_center_in_the_admin_and_no_one_else(
    manager_client, clerk, elsewhere
):
    lock_out(clerk.username)
    lock_out("otherclerk")  # another company's clerk: not the manager's to see
    lock_out("nobody")  # a name that is no user
    assert "Access attempts" in manager_client.get(reverse("admin:index")).content.decode()
    response = manager_client.get(ATTEMPTS)
    assert response.status_code == 200
    assert [a.username for a in response.context["cl"].result_list] == [clerk.username]
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "delete_selected" in actions
    assert "cleanup_expired_attempts" not in actions  # every username's: superusers only

    own, other = (
        AccessAttempt.objects.get(username=name) for name in [clerk.username, "otherclerk"]
    )
    delete = reverse("admin:axes_accessattempt_delete", args=[own.pk])
    assert manager_client.post(delete, {"post": "yes"}).status_code == 302
    assert log_in(Client(), clerk.username, "pw").status_code == 302  # unlocked

    manager_client.post(
        reverse("admin:axes_accessattempt_delete", args=[other.pk]), {"post": "yes"}
    )
    manager_client.post(
        ATTEMPTS, {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"}
    )
    assert AccessAttempt.objects.filter(pk=other.pk).exists()
    assert log_in(Client(), "otherclerk", "pw").status_code == 429  # still locked

    manager_client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    listed = manager_client.get(ATTEMPTS).context["cl"].result_list
    assert {a.username for a in listed} == {"otherclerk", "nobody"}  # a superuser sees all


def read_settings(proxy_count: str) -> dict:
    """What callcenter/settings.py makes of ``PROXY_COUNT=proxy_count``."""
    with mock.patch.dict(os.environ, {"PROXY_COUNT": proxy_count, "DEBUG": "1"}):
        return runpy.run_path(str(settings.BASE_DIR / "callcenter" / "settings.py"))


def behind_proxies(count: int):
    """The client address settings of ``PROXY_COUNT=count``, for one test."""
    made = read_settings(str(count))
    return override_settings(
        **{name: value for name, value in made.items() if name.startswith(("AXES_", "IPWARE_"))}
    )


def client_address(**meta) -> str | None:
    return get_client_ip_address(RequestFactory().post(reverse("login"), **meta))


PROXY = "10.0.0.2"  # the TLS proxy in front, as the application server sees it


@behind_proxies(0)
def test_without_a_proxy_the_address_is_the_connection_s_whatever_the_client_sends(client):
    assert client_address(REMOTE_ADDR="203.0.113.5") == "203.0.113.5"
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.7", "HTTP_X_REAL_IP": "198.51.100.8"}
    assert client_address(REMOTE_ADDR="203.0.113.5", **forged) == "203.0.113.5"
    UserFactory(username="karen", password="right-password")
    for n in range(settings.AXES_FAILURE_LIMIT):
        # a new forged address each time gets the attacker nothing
        client.post(
            reverse("login"),
            {"username": "karen", "password": "wrong"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = client.post(
        reverse("login"),
        {"username": "karen", "password": "right-password"},
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert response.status_code == 429


@behind_proxies(1)
def test_behind_one_proxy_clients_are_locked_by_their_own_address(client):
    # the proxy appends the address it was reached from; the client's own header is left
    assert client_address(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5") == "203.0.113.5"
    forged = "198.51.100.7, 203.0.113.5"
    assert client_address(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged) == "203.0.113.5"
    # a clerk on the company's network, behind the same proxy
    assert client_address(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.168.4.20") == "192.168.4.20"

    UserFactory(username="karen", password="right-password")
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in_from(client, attacker, "karen", "wrong")
    assert log_in_from(client, attacker, "karen", "right-password").status_code == 429
    # a forged left-most address does not get the locked client a new count
    forging = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forged}
    assert log_in_from(client, forging, "karen", "right-password").status_code == 429
    # karen herself, another address behind the same proxy, is not locked out
    karen = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "192.168.4.20"}
    assert log_in_from(client, karen, "karen", "right-password").status_code == 302


@behind_proxies(2)
def test_behind_two_proxies_the_address_is_the_second_from_the_right():
    chain = "198.51.100.7, 203.0.113.5, 10.0.0.9"  # forged, client, first proxy
    assert client_address(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain) == "203.0.113.5"


def test_a_negative_proxy_count_is_refused_at_start():
    with pytest.raises(ImproperlyConfigured, match="PROXY_COUNT"):
        read_settings("-1")


def log_in_from(client, meta, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def test_a_session_expires_after_the_idle_time(client, clerk):
    client.force_login(clerk)
    client.get(reverse("customers:service"))
    # never before the idle time: its end is pushed forward at most once a minute
    idle = settings.SESSION_IDLE_MINUTES * 60
    assert client.session.get_expiry_age() == idle + settings.SESSION_REFRESH_SECONDS


def test_each_request_pushes_the_idle_expiry_forward_at_most_once_a_minute(client, clerk):
    client.force_login(clerk)
    session = client.session
    session["_seen"] = 1  # long ago
    session.save()
    response = client.get(reverse("customers:service"))
    assert client.session["_seen"] > 1
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == (
        settings.SESSION_IDLE_MINUTES * 60 + settings.SESSION_REFRESH_SECONDS
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
    # product images may be https addresses (catalog.Product.image_url); nothing else
    assert directives["img-src"].split() == ["'self'", "data:", "https:"]


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


def test_a_form_of_a_page_opened_before_the_last_login_is_refused_with_a_message(clerk):
    """Logging in renews the token every form of a page carries: an older page's click is
    refused (403) and told so; an htmx click gets the message alone, no page to swap in."""
    import json

    from django.test import Client

    from tests.factories import ProductFactory, make_order
    from tests.html import alert_text

    order = make_order(clerk=clerk)
    ProductFactory(item_number="81327")
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    client.get(reverse("customers:service"))  # the token the pages carry now
    url = reverse("orders:add_line", args=[order.number])
    stale = {"item_number": "81327", "quantity": 1, "csrfmiddlewaretoken": "x" * 64}
    clicked = client.post(url, stale, HTTP_HX_REQUEST="true")
    assert clicked.status_code == 403
    assert clicked["HX-Reswap"] == "none" and clicked.content == b""
    message = json.loads(clicked["HX-Trigger"])["request-refused"]
    assert message.startswith("This page is out of date")
    plain = client.post(url, stale)
    assert plain.status_code == 403
    assert alert_text(plain).startswith("This page is out of date")
    assert not order.lines.exists()
    fresh = client.post(url, {**stale, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert fresh.status_code == 302 and order.lines.count() == 1


def test_what_the_role_does_not_allow_is_refused_with_a_message(client, clerk):
    import json

    from orders.models import HoldCode
    from tests.factories import make_order
    from tests.html import alert_text

    order = make_order(clerk=clerk)
    client.force_login(clerk)
    url = reverse("holds:check_out", args=[order.number])
    hold = {"hold": HoldCode.objects.create(code="CHK", name="Check").pk}
    clicked = client.post(url, hold, HTTP_HX_REQUEST="true")
    assert clicked.status_code == 403 and clicked["HX-Reswap"] == "none"
    assert "does not allow this" in json.loads(clicked["HX-Trigger"])["request-refused"]
    plain = client.post(url, hold)
    assert plain.status_code == 403 and "does not allow this" in alert_text(plain)


def test_an_order_no_longer_in_the_clerk_s_call_center_is_not_found_and_said_in_place(
    client, clerk
):
    import json

    from tests.factories import ChannelUserFactory, make_order
    from tests.html import alert_text

    elsewhere = make_order(clerk=ChannelUserFactory().user)  # another call center's order
    client.force_login(clerk)
    clicked = client.post(
        reverse("orders:add_line", args=[elsewhere.number]),
        {"item_number": "81327", "quantity": 1},
        HTTP_HX_REQUEST="true",
    )
    assert clicked.status_code == 404 and clicked["HX-Reswap"] == "none"
    message = json.loads(clicked["HX-Trigger"])["request-refused"]
    assert message.endswith("Reload the page.")
    page = client.get(reverse("orders:detail", args=[elsewhere.number]))
    assert page.status_code == 404
    assert "There is nothing at this address for you" in alert_text(page)
    assert not elsewhere.lines.exists()


def test_a_lookup_while_typing_after_the_session_ended_leaves_the_page(client):
    """The item suggestions asked for while typing: the page and what was typed stay, and
    the clerk is told to log in again, instead of the page going to the login."""
    import json

    response = client.get(
        reverse("catalog:suggestions"),
        {"item_number": "813"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="item_number",
    )
    assert response.status_code == 401
    assert "HX-Redirect" not in response and response["HX-Reswap"] == "none"
    assert "session has ended" in json.loads(response["HX-Trigger"])["request-refused"]
