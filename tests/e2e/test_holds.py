"""An order that trips the demo's fraud rule goes on hold; a supervisor clears it in the queue."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from customers.models import Customer
from orders import services
from orders.models import HoldCode, OrderHold
from tests.e2e.conftest import karens_draft, log_in

pytestmark = pytest.mark.e2e


def test_an_order_above_2000_goes_on_fraud_hold_and_a_supervisor_clears_it(page, demo_data):
    order = karens_draft(demo_data, quantity=25)
    assert order.total > Decimal("2000")

    # The clerk takes the payment and submits in the browser: submitted, but on hold.
    log_in(page, "clerk", "clerk")
    page.goto(f"/orders/{order.number}/")
    page.get_by_role("button", name="Complete").click()
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary).to_be_visible()
    summary.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("dialog", name="Enter customer payment information")).to_be_visible()
    page.get_by_label("Payment method", exact=True).select_option(label="Cash")
    page.get_by_role("button", name="OK").click()
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary.get_by_role("row", name=re.compile(r"^Balance\b"))).to_have_text(
        re.compile(r"^\s*Balance\s*0\.00\s*$")
    )
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#order-status")).to_have_text("Submitted")
    expect(page.locator("#order-hold-badge")).to_have_text("On hold")
    holds = page.get_by_role("table").filter(has_text="FRAUD")
    expect(holds).to_contain_text("Order total above 2,000")

    # The supervisor works the hold in the queue and clears it with a reason.
    page.context.clear_cookies()
    log_in(page, "supervisor", "supervisor")
    page.get_by_role("link", name="Hold queue").click()
    row = page.get_by_role("row").filter(has_text=order.number)
    expect(row).to_contain_text("FRAUD")
    row.get_by_role("button", name="Work this hold").click()
    row = page.get_by_role("row").filter(has_text=order.number)
    expect(row).to_contain_text("supervisor")
    row.get_by_label("Reason for clearing").fill("Called the customer back: genuine order")
    row.get_by_role("button", name="Clear hold").click()
    expect(page.get_by_text("No order is on hold.")).to_be_visible()

    page.goto(f"/orders/{order.number}/")
    expect(page.locator("#order-hold-badge")).to_have_count(0)
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Hold cleared")
    expect(history).to_contain_text("Called the customer back")
    assert not OrderHold.objects.open().filter(order=order).exists()


def test_a_clerk_puts_an_order_on_hold_without_the_page_reloading(page, demo_data):
    clerk = get_user_model().objects.get(username="clerk")
    order = services.create_order(
        call_center=demo_data, customer=Customer.objects.get(account_number="2001"), by=clerk
    )
    log_in(page, "clerk", "clerk")
    page.goto(f"/orders/{order.number}/")
    page.evaluate("window.stillTheSamePage = true")
    holds = page.get_by_role("region", name="Holds")
    holds.locator("summary", has_text="Put on hold").click()
    research = HoldCode.objects.get(code="RESEARCH")
    holds.get_by_label("Hold code").select_option(value=str(research.pk))
    holds.get_by_label("Note").fill("Caller unsure of the address")
    holds.get_by_role("button", name="Put on hold").click()
    holds = page.get_by_role("region", name="Holds")
    expect(holds.get_by_role("table")).to_contain_text("Caller unsure of the address")
    assert page.evaluate("window.stillTheSamePage === true")
    assert OrderHold.objects.open().filter(order=order).count() == 1
