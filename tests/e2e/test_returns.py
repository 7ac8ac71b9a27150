"""A clerk returns a unit of a shipped demo order; the refund goes back to the cash paid."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from orders.holds import mark_shipped, release_order
from tests.e2e.conftest import karens_draft, log_in, paid_and_submitted

pytestmark = pytest.mark.e2e


def test_a_clerk_returns_a_unit_of_a_shipped_order_and_both_orders_link(page, demo_data):
    clerk = get_user_model().objects.get(username="clerk")
    order = karens_draft(demo_data, quantity=2)
    paid_and_submitted(order)
    release_order(order=order, by=clerk)
    mark_shipped(number=order.number)

    log_in(page, "clerk", "clerk")
    page.goto(f"/orders/{order.number}/")
    page.get_by_role("link", name="Create return").click()
    page.get_by_label(re.compile(r"^Line 1, 81327")).fill("1")
    page.get_by_label("Return reason").select_option(label="NOT-WANTED No longer wanted")
    page.get_by_role("button", name="Create return and refund").click()

    expect(page.get_by_role("heading", name=f"Return {order.number}-R1")).to_be_visible()
    expect(page.locator("#return-status")).to_have_text("Refunded")
    page.get_by_role("link", name=f"Original sales order {order.number}").click()
    returns = page.get_by_role("region", name="Returns")
    expect(returns).to_contain_text(f"{order.number}-R1")
    expect(returns).to_contain_text("Refunded")
