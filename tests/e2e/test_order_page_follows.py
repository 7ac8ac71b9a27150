"""The order page keeps up with the clerk's changes: a refusal's alert goes with the next
answered change, and a submitted order's Balance due button follows its lines."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from catalog.models import Product
from orders import services as order_services
from tests.e2e.conftest import log_in, paid_and_submitted
from tests.e2e.test_request_failures import add_line, open_order

pytestmark = pytest.mark.e2e


def test_a_refusal_s_alert_goes_with_the_next_answered_change(page, karens_order):
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    # someone else changes the order: the page's header form is now stale
    clerk = get_user_model().objects.get(username="clerk")
    order_services.add_line(
        order=karens_order, by=clerk, product=Product.objects.get(item_number="82001"), quantity=1
    )
    page.get_by_role("tab", name="Header").click()
    mode = page.get_by_label("Mode of delivery", exact=True)
    mode.select_option(label="10 Ground")
    alert = page.locator("#header-form [role=alert]")
    expect(alert).to_contain_text("changed by someone else")
    page.get_by_role("tab", name="Lines").click()
    add_line(page, "82002")
    lines = page.get_by_role("table", name="Sales order lines")
    expect(lines.get_by_role("row").filter(has_text="82002")).to_have_count(1)
    expect(alert).to_have_count(0)


def test_a_submitted_order_s_balance_due_follows_its_lines(page, karens_order):
    paid_and_submitted(karens_order)
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    expect(page.locator("#order-difference")).to_have_count(0)
    add_line(page, "82001")
    lines = page.get_by_role("table", name="Sales order lines")
    expect(lines.get_by_role("row").filter(has_text="82001")).to_have_count(1)
    expect(page.locator("#order-difference")).to_have_text(re.compile(r"^Balance due \d"))


def test_cancel_without_a_reason_is_said_in_an_alert(page, karens_order):
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    page.get_by_text("Cancel order", exact=True).click()
    page.get_by_role("button", name="Cancel order and release payments").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the reason for cancelling the order.")
    karens_order.refresh_from_db()
    assert karens_order.status == karens_order.Status.DRAFT
