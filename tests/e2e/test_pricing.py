"""Prices in the browser: a source code that discounts and waives shipping, a coupon, and a
price override beyond the clerk's limit that only a supervisor can apply."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def totals(page):
    return page.locator("#order-totals")


def open_order(page, order, user):
    log_in(page, user, user)
    page.goto(f"/orders/{order.number}/")


def test_a_source_code_discounts_the_line_and_waives_shipping(page, karens_order):
    from catalog.models import SourceCode

    SourceCode.objects.filter(code="FAB26-FREESHIP").update(discount_percent=10)
    open_order(page, karens_order, "clerk")
    page.get_by_role("tab", name="Header").click()
    page.get_by_label("Catalog code (whole order)").select_option(
        label="FAB26-FREESHIP – Fabrikam semiannual"
    )
    expect(totals(page)).to_contain_text("Waived by source code FAB26-FREESHIP")
    expect(page.locator("#source-code-script")).to_contain_text("shipping is on us")
    expect(totals(page).locator("#totals-charges")).to_have_text("0.00")
    expect(totals(page).locator("#totals-discounts")).to_have_text("10.00")
    expect(totals(page)).to_contain_text("99.00")  # 90.00 + 0.00 shipping + 9.00 tax

    page.reload()
    page.get_by_role("tab", name="Lines").click()
    lines = page.get_by_role("table", name="Sales order lines")
    lines.get_by_text("How the price of line 1 was reached").click()
    expect(lines.locator(".price-explanation")).to_contain_text("Base price")
    expect(lines.locator(".price-explanation")).to_contain_text("Source code FAB26-FREESHIP")


def test_a_coupon_applied_on_the_header(page, karens_order):
    open_order(page, karens_order, "clerk")
    page.get_by_role("tab", name="Header").click()
    page.get_by_label("Coupon code").fill("WINTER25")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("not valid today")

    page.get_by_role("tab", name="Header").click()
    page.get_by_label("Coupon code").fill("SAVE5")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.locator("#order-coupon")).to_contain_text("Coupon SAVE5 is on this order")
    # the focus stays in the coupon block, never on the page's body
    expect(page.get_by_role("button", name="Remove coupon")).to_be_focused()
    expect(totals(page).locator("#totals-coupon")).to_have_text("5.00")
    expect(totals(page)).to_contain_text("114.50")  # 100 - 5 + 10 + 9.50 tax

    # and taken off again: one coupon block, asking for a code, and the page still
    # answers in place (the page's scripts failing would fail the test too)
    page.get_by_role("button", name="Remove coupon").click()
    expect(page.locator("#coupon-form")).to_have_count(1)
    expect(page.get_by_label("Coupon code")).to_be_visible()
    expect(page.get_by_label("Coupon code")).to_be_focused()
    expect(page.locator("#order-coupon")).to_have_count(0)
    expect(totals(page)).to_contain_text("120.00")
    expect(page.locator("#busy-indicator")).to_be_hidden()
    page.get_by_role("tab", name="Lines").click()
    page.get_by_label("Item number", exact=True).fill("82001")
    page.get_by_role("button", name="Add line").click()
    expect(page.get_by_role("table", name="Sales order lines")).to_contain_text("82001")
    assert page.url.endswith(f"/orders/{karens_order.number}/")


def override(page, price: str):
    page.get_by_role("tab", name="Lines").click()
    lines = page.get_by_role("table", name="Sales order lines")
    lines.get_by_text("Override price of line 1").click()
    lines.get_by_label("New unit price").fill(price)
    lines.get_by_label("Reason", exact=True).select_option(label="Price match with a competitor")
    lines.get_by_role("button", name="Apply price").click()


def test_an_override_beyond_the_clerks_limit_waits_for_a_supervisor(page, karens_order):
    open_order(page, karens_order, "clerk")
    override(page, "80.00")
    expect(page.get_by_role("alert")).to_contain_text("A supervisor must approve this price")
    expect(page.get_by_text("Price overridden")).to_have_count(0)

    page.get_by_role("button", name="Log out").click()
    open_order(page, karens_order, "supervisor")
    override(page, "80.00")
    lines = page.get_by_role("table", name="Sales order lines")
    expect(lines.get_by_text("Price overridden")).to_be_visible()
    expect(totals(page)).to_contain_text("98.00")  # 80.00 + 10.00 + 8.00 tax


def test_another_of_the_customers_addresses_chosen_on_the_header_moves_the_tax(page, karens_order):
    """Karen Berg's order (10.00 tax) sent to her Portland address: Oregon pays no tax."""
    from customers.models import Address

    portland = Address.objects.create(
        customer=karens_order.customer,
        is_primary=False,
        street="1 Pine St",
        city="Portland",
        state="OR",
        postal_code="97201",
    )
    open_order(page, karens_order, "clerk")
    page.get_by_role("tab", name="Header").click()
    page.get_by_label("Deliver to").select_option(label=portland.one_line())
    expect(page.get_by_label("State or region")).to_have_value("OR")
    expect(page.get_by_label("Delivery address")).to_have_value(portland.one_line())
    expect(totals(page)).to_contain_text("110.00")  # 100.00 + 10.00 shipping, no tax
    karens_order.refresh_from_db()
    assert (karens_order.delivery_state, karens_order.tax_total) == ("OR", 0)
