"""Selling the demo continuity program on the seed's flow, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from orders.models import Enrolment
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_clerk_sells_coffee_of_the_month_and_the_customer_page_lists_the_enrolment(page, demo_data):
    log_in(page, "clerk", "clerk")
    page.get_by_label("Customer search").fill("Karen")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("dialog", name="Customer search")
    results.get_by_role("row").filter(has_text="2001").filter(has_text="Karen Berg").click()
    results.get_by_role("button", name="Select").click()
    page.get_by_role("button", name="New sales order").click()

    page.get_by_role("tab", name="Header").click()
    page.get_by_label("Mode of delivery", exact=True).select_option(label="99 Standard")
    page.get_by_role("tab", name="Lines").click()
    page.get_by_label("Item number", exact=True).fill("90001")
    page.get_by_role("option", name=re.compile(r"^90001 ")).click()
    page.get_by_label("Quantity", exact=True).fill("1")
    page.get_by_role("button", name="Add line").click()

    # The schedule and the total commitment appear as soon as the line is added.
    schedule = page.get_by_role("table", name="Schedule of Coffee of the month")
    expect(schedule.get_by_role("row")).to_have_count(8)  # head, six events, total
    expect(schedule.get_by_role("row", name=re.compile("Total commitment"))).to_contain_text(
        "150.00"
    )

    page.get_by_role("button", name="Complete").click()
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary).to_be_visible()
    summary.get_by_role("button", name="Add", exact=True).click()
    payment = page.get_by_role("dialog", name="Enter customer payment information")
    payment.get_by_label("Payment method", exact=True).select_option(label="Card")
    payment.get_by_label("Card number", exact=True).fill("4111 1111 1111 1111")
    payment.get_by_label("Expiry date (MM/YY)", exact=True).fill("12/39")
    payment.get_by_label("CVV", exact=True).fill("123")
    payment.get_by_role("button", name="OK").click()
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary.get_by_role("row", name=re.compile(r"^Balance\b"))).to_have_text(
        re.compile(r"^\s*Balance\s*0\.00\s*$")
    )
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#order-status")).to_have_text("Submitted")

    enrolment = Enrolment.objects.get(customer__account_number="2001")
    assert enrolment.card_token and enrolment.card_last4 == "1111"

    page.get_by_role("link", name=re.compile("Karen Berg")).click()
    enrolments = page.get_by_role("region", name="Enrolments")
    expect(enrolments).to_contain_text("Coffee of the month")
    expect(enrolments.get_by_role("button", name="Skip next")).to_be_visible()
