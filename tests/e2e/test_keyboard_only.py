"""The seed procedure with the keyboard alone: no click, no mouse at all.

Each step says which keys a clerk presses.
"""

import re

import pytest
from playwright.sync_api import expect

from orders.models import SalesOrder

pytestmark = pytest.mark.e2e


def test_the_seed_order_is_taken_without_the_mouse(page, demo_data):
    page.goto("/")
    # The login page opens on "Username" (typing before the page has focused it loses keys).
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("clerk")
    page.keyboard.press("Tab")
    page.keyboard.type("clerk")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Customer service")).to_be_visible()

    # The search box has the focus: type, Enter.
    expect(page.get_by_label("Customer search")).to_be_focused()
    page.keyboard.type("Karen")
    page.keyboard.press("Enter")
    results = page.get_by_role("dialog", name="Customer search")
    expect(results).to_be_visible()
    # Arrow keys move through the results; the chosen row is account 2001.
    chosen = results.get_by_role("radio", name=re.compile("^2001 "))
    for _ in range(10):
        if chosen.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(chosen).to_be_checked()
    expect(chosen).to_be_focused()
    page.keyboard.press("Enter")

    # Alt+N: New sales order.
    expect(page.get_by_role("button", name="New sales order")).to_be_visible()
    page.keyboard.press("Alt+n")
    expect(page.get_by_role("heading", name=re.compile("Sales order"))).to_be_visible()

    # Mode of delivery: the call center's default, 99 Standard, is already chosen.
    mode = page.get_by_label("Mode of delivery", exact=True)
    assert mode.evaluate("el => el.options[el.selectedIndex].text") == "99 Standard"

    # Lines: the item number box has the focus; suggestions with the arrow keys, Enter.
    item = page.get_by_label("Item number", exact=True)
    expect(item).to_be_focused()
    page.evaluate("window.sameOrderPage = true")
    page.keyboard.type("81327")
    expect(page.get_by_role("option", name=re.compile(r"^81327 "))).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(item).to_have_value("81327")
    # the quantity has the focus, 1 by default: Enter adds the line
    expect(page.get_by_label("Quantity", exact=True)).to_be_focused()
    expect(page.get_by_label("Quantity", exact=True)).to_have_value("1")
    page.keyboard.press("Enter")
    lines = page.get_by_role("table", name="Sales order lines")
    expect(lines.get_by_role("row").filter(has_text="81327")).to_have_count(1)
    # an upsell prompt, if any, is announced: the item number keeps the focus
    expect(item).to_be_focused()

    # Alt+C: Complete opens the summary, focus inside it.
    page.keyboard.press("Alt+c")
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary).to_be_visible()
    # Alt+A: Add payment; Cash and the balance are filled in, the amount has the
    # focus: Enter is OK.
    page.keyboard.press("Alt+a")
    payment = page.get_by_role("dialog", name="Enter customer payment information")
    expect(payment).to_be_visible()
    method = payment.get_by_label("Payment method", exact=True)
    assert method.evaluate("el => el.options[el.selectedIndex].text") == "Cash"
    amount = payment.get_by_label("Payment amount", exact=True)
    expect(amount).to_have_value("120.00")
    expect(amount).to_be_focused()
    # the proposed amount is selected: what the clerk types replaces it
    page.keyboard.type("100")
    expect(amount).to_have_value("100")
    page.keyboard.press("Control+a")
    page.keyboard.type("120.00")
    page.keyboard.press("Enter")
    summary = page.get_by_role("dialog", name="Sales order summary")
    balance = summary.get_by_role("row", name=re.compile(r"^Balance"))
    expect(balance).to_have_text(re.compile(r"^\s*Balance\s*0\.00\s*$"))
    # paid: Submit has the focus, never the payment's refund box (a second Enter there
    # refunded the whole payment)
    expect(summary.get_by_role("button", name="Submit")).to_be_focused()
    # and the order page's header behind the dialog says so, without a reload
    expect(page.locator("#order-payment-status")).to_have_text("Paid")

    # Alt+S: Submit. From the first line to here the page was never reloaded:
    # every answer was swapped in (htmx).
    page.keyboard.press("Alt+s")
    expect(page.locator("#order-status")).to_have_text("Submitted")
    assert page.evaluate("window.sameOrderPage === true")
    order = SalesOrder.objects.get(customer__account_number="2001")
    assert order.status == SalesOrder.Status.SUBMITTED


def test_question_mark_lists_the_shortcuts_and_escape_closes_the_list(page, demo_data):
    page.goto("/")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("clerk")
    page.keyboard.press("Tab")
    page.keyboard.type("clerk")
    page.keyboard.press("Enter")
    search = page.get_by_label("Customer search")
    expect(search).to_be_focused()
    page.keyboard.type("?")  # in the search box, "?" is just typed
    expect(search).to_have_value("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_have_count(0)
    page.keyboard.press("Tab")  # out of the box
    page.keyboard.press("?")
    shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(shortcuts).to_be_visible()
    expect(shortcuts.get_by_role("row", name=re.compile("Alt\\+C Complete"))).to_have_count(1)
    expect(shortcuts.get_by_role("button", name="Close")).to_be_focused()
    page.keyboard.press("Escape")
    expect(shortcuts).to_be_hidden()
