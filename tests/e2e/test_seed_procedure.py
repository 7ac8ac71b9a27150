"""The procedure of the call-center seed, followed to the letter in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from orders.models import SalesOrder
from payments.models import Payment
from tests.e2e.conftest import log_in, summary_row

pytestmark = pytest.mark.e2e


def test_clerk_takes_karen_bergs_order_from_search_to_submitted(page, demo_data):
    log_in(page, "clerk", "clerk")
    expect(page.get_by_role("heading", name="Customer service")).to_be_visible()

    # Search "Karen", pick Karen Berg, account 2001, then Select.
    page.get_by_label("Customer search").fill("Karen")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("dialog", name="Customer search")
    expect(results).to_be_visible()
    karen = results.get_by_role("row").filter(has_text="2001").filter(has_text="Karen Berg")
    expect(karen).to_have_count(1)
    karen.click()
    results.get_by_role("button", name="Select").click()

    page.get_by_role("button", name="New sales order").click()
    expect(page.get_by_role("heading", name=re.compile("Sales order"))).to_be_visible()

    # Header tab: mode of delivery 99 Standard, saved on change.
    page.get_by_role("tab", name="Header").click()
    page.get_by_label("Mode of delivery", exact=True).select_option(label="99 Standard")

    # Lines tab: item 81327 from the suggestions, quantity, source code, add.
    page.get_by_role("tab", name="Lines").click()
    page.get_by_label("Item number", exact=True).fill("81327")
    page.get_by_role("option", name=re.compile(r"^81327 ")).click()
    expect(page.get_by_label("Item number")).to_have_value("81327")
    page.get_by_label("Quantity", exact=True).fill("1")
    page.get_by_label("Source code", exact=True).select_option(label="FAB26 – Fabrikam semiannual")
    page.get_by_role("button", name="Add line").click()
    lines = page.get_by_role("table", name="Sales order lines")
    expect(lines.get_by_role("row").filter(has_text="81327")).to_have_count(1)

    # Complete opens the summary with every charge: the balance is 120.00.
    page.get_by_role("button", name="Complete").click()
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary).to_be_visible()
    expect(summary_row(summary, "Balance")).to_contain_text("120.00")
    expect(summary_row(summary, "Charges")).to_contain_text("10.00")

    # Submitting before payment is refused, with the balance named.
    page.get_by_role("button", name="Submit").click()
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(page.get_by_role("alert")).to_contain_text("120.00")
    order = SalesOrder.objects.get(customer__account_number="2001")
    assert order.status == SalesOrder.Status.DRAFT

    # Payments: Add, Cash, 120.00, OK.
    expect(summary.get_by_role("heading", name="Payments")).to_be_visible()
    # While the summary is open, the page behind it is hidden: "Add" is the summary's.
    page.get_by_role("button", name="Add").click()
    payment = page.get_by_role("dialog", name="Enter customer payment information")
    expect(payment).to_be_visible()
    page.get_by_label("Payment method", exact=True).select_option(label="Cash")
    page.get_by_label("Payment amount", exact=True).fill("120.00")
    page.get_by_role("button", name="OK").click()

    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary_row(summary, "Paid")).to_contain_text("120.00")
    expect(summary_row(summary, "Balance")).to_have_text(re.compile(r"^\s*Balance\s*0\.00\s*$"))
    page.get_by_role("button", name="Submit").click()

    expect(page.locator("#order-status")).to_have_text("Submitted")
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.SUBMITTED
    assert order.total == order.amount_paid
    assert str(order.total) == "120.00"
    assert order.delivery_mode.code == "99"
    assert order.lines.get().source_code.code == "FAB26"
    assert Payment.objects.filter(order=order).count() == 1
