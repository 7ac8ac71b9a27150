"""A click the server does not answer is said where the clerk looks: an error status
from the server or the load balancer, a 503 of a database that did not answer, or no
connection at all. Nothing on the screen changes then, and the clerk must not take the
click for done; the next answered click takes the message away. A click made after the
session ended goes to the login page, then back to the page."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.test_payments import add_payment, open_summary

pytestmark = pytest.mark.e2e


def open_order(page, order):
    """The order page, once its scripts run (its tabs show then), on the Lines tab."""
    page.goto(reverse("orders:detail", args=[order.number]))
    page.get_by_role("tab", name="Lines").click()


def add_line(page, item):
    page.get_by_label("Item number", exact=True).fill(item)
    page.get_by_role("button", name="Add line").click()


def add_line_the_gateway_fails(page, order, **answer):
    """Log in, open ``order`` and add a line, answered with ``answer`` instead of by the
    application (a load balancer's 502 by default); returns the pattern to ``unroute``."""
    log_in(page, "clerk", "clerk")
    open_order(page, order)
    add_url = "**" + reverse("orders:add_line", args=[order.number])
    answer = answer or {"status": 502, "body": "Bad Gateway"}
    page.route(add_url, lambda route: route.fulfill(**answer))
    add_line(page, "82001")
    return add_url


def test_an_error_from_the_server_is_said_and_goes_with_the_next_answered_click(
    page,
    karens_order,
):
    add_url = add_line_the_gateway_fails(page, karens_order)
    failure = page.get_by_role("alert").filter(has_text="The server could not complete that")
    expect(failure).to_contain_text("(502)")
    expect(page.get_by_role("table", name="Sales order lines")).not_to_contain_text("82001")
    page.unroute(add_url)
    add_line(page, "82001")
    expect(page.get_by_role("table", name="Sales order lines")).to_contain_text("82001")
    expect(failure).to_have_count(0)


def test_the_item_suggestions_answering_do_not_take_the_message_away(page, karens_order):
    """The suggestions list is a lookup made while typing, not a click: the message of the
    refused click stays until a click is answered."""
    add_line_the_gateway_fails(page, karens_order)
    failure = page.get_by_role("alert").filter(has_text="The server could not complete that")
    expect(failure).to_have_count(1)
    page.get_by_label("Item number", exact=True).fill("8200")
    expect(page.get_by_role("option", name=re.compile(r"^82002 "))).to_be_visible()
    expect(failure).to_have_count(1)


def test_a_busy_database_asks_to_wait_a_moment(page, karens_order):
    add_line_the_gateway_fails(page, karens_order, status=503, headers={"Retry-After": "5"})
    expect(page.get_by_role("alert")).to_contain_text("The system was busy")


def test_a_payment_sent_without_a_connection_is_said_in_the_payment_dialog(
    page,
    karens_order,
):
    open_summary(page, karens_order)
    payment_url = "**" + reverse("payments:payment_create", args=[karens_order.number])
    page.route(payment_url, lambda route: route.abort("internetdisconnected"))
    dialog = add_payment(page, "Cash", "120.00")
    expect(dialog.get_by_role("alert")).to_contain_text("The server could not be reached")
    assert not karens_order.payments.exists()


def test_a_click_after_the_session_ended_goes_to_the_login_page_and_back(page, karens_order):
    from django.contrib.sessions.models import Session

    log_in(page, "clerk", "clerk")
    order_page = reverse("orders:detail", args=[karens_order.number])
    open_order(page, karens_order)
    Session.objects.all().delete()  # the session ended (idle too long, logged out elsewhere)
    add_line(page, "82001")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(page.locator("#lines-panel")).to_have_count(0)  # a whole page, not a panel
    page.get_by_label("Username").fill("clerk")
    page.get_by_label("Password").fill("clerk")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(re.escape(order_page) + "$"))
    expect(page.get_by_role("table", name="Sales order lines")).to_contain_text("81327")
    assert karens_order.lines.count() == 1  # the click made before logging in changed nothing


def test_a_page_opened_before_logging_in_again_says_it_is_out_of_date(page, karens_order):
    """Logging in again in another tab renews the token: this tab's click is refused,
    said where the clerk looks, and the lines stay on the screen."""
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    host = urlsplit(page.url).hostname
    renewed = {"name": "csrftoken", "value": "n" * 32, "domain": host, "path": "/"}
    page.context.add_cookies([renewed])
    add_line(page, "82001")
    expect(page.get_by_role("alert")).to_contain_text("This page is out of date")
    lines = page.get_by_role("table", name="Sales order lines")
    expect(lines).to_contain_text("81327")
    expect(page.get_by_role("button", name="Log out")).to_have_count(1)  # no page in a panel
    page.reload()
    page.get_by_role("tab", name="Lines").click()
    add_line(page, "82001")
    expect(lines).to_contain_text("82001")
    expect(page.get_by_role("alert")).to_have_count(0)
