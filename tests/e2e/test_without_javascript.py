"""The order-taking flow degrades to full page posts when JavaScript is off."""

import re

import pytest
from playwright.sync_api import expect

from orders.models import SalesOrder
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_seed_order_can_be_taken_with_javascript_off(page, demo_data):
    log_in(page, "clerk", "clerk")
    page.get_by_label("Customer search").fill("Karen Berg")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("dialog", name="Customer search")
    results.get_by_role("row").filter(has_text="2001").get_by_role("radio").check()
    results.get_by_role("button", name="Select").click()
    page.get_by_role("button", name="New sales order").click()

    # Without JavaScript both tabs' panels are on the page, and forms post.
    page.get_by_label("Mode of delivery").select_option(label="99 Standard")
    page.get_by_role("button", name="Save header").click()
    page.get_by_label("Item number").fill("99999999")
    page.get_by_role("button", name="Add line").click()
    expect(page.get_by_role("alert")).to_contain_text("No item 99999999 is for sale.")
    page.get_by_label("Item number").fill("81327")
    page.get_by_label("Quantity").fill("1")
    page.get_by_role("button", name="Add line").click()
    lines = page.get_by_role("table", name="Sales order lines")
    expect(lines.get_by_role("row").filter(has_text="81327")).to_have_count(1)

    page.get_by_role("button", name="Complete").click()
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary.get_by_role("row", name=re.compile("^Balance"))).to_contain_text("120.00")
    summary.get_by_role("button", name="Add").click()
    payment = page.get_by_role("dialog", name="Enter customer payment information")
    payment.get_by_label("Payment method").select_option(label="Cash")
    expect(payment.get_by_label("Payment amount")).to_have_value("120.00")
    payment.get_by_role("button", name="OK").click()
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary.get_by_role("row", name=re.compile("^Paid"))).to_contain_text("120.00")
    summary.get_by_role("button", name="Submit").click()

    expect(page.locator("#order-status")).to_have_text("Submitted")
    assert SalesOrder.objects.get(customer__account_number="2001").status == "submitted"
