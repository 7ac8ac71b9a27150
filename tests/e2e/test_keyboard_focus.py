"""Where the focus goes: back where it was when a dialog closes, to the search box on Alt+F,
to the customer's name on their page."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.test_request_failures import open_order

pytestmark = pytest.mark.e2e


def test_escape_gives_the_focus_back_to_where_the_dialog_was_opened(page, karens_order):
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    item = page.get_by_label("Item number", exact=True)
    item.focus()
    page.keyboard.press("Alt+c")
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary).to_be_visible()
    page.keyboard.press("Alt+a")
    payment = page.get_by_role("dialog", name="Enter customer payment information")
    expect(payment).to_be_visible()
    # the dialog is modal once its amount has the focus: Escape closes it then
    expect(payment.get_by_label("Payment amount", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(payment).to_have_count(0)
    expect(summary.get_by_role("button", name="Add")).to_be_focused()
    # (a second Escape right after the first is the browser's to ignore: Escape is no
    # user activation; the Close button closes the summary the same way)
    summary.get_by_role("link", name="Close").click()
    expect(summary).to_have_count(0)
    # where Alt+C was pressed, or the Complete button it pressed (the browser's own
    # accesskey may focus it before the request goes): never the page's body
    page.wait_for_function(
        "() => document.activeElement.name === 'item_number'"
        " || document.activeElement.getAttribute('accesskey') === 'c'"
    )

    complete = page.get_by_role("button", name="Complete")
    complete.focus()
    page.keyboard.press("Enter")
    expect(summary.get_by_role("button", name="Add")).to_be_focused()  # modal by then
    page.keyboard.press("Escape")
    expect(summary).to_have_count(0)
    expect(complete).to_be_focused()


def test_alt_f_on_the_order_page_goes_to_the_customer_search(page, karens_order):
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    page.keyboard.press("Alt+f")
    expect(page.get_by_label("Customer search")).to_be_focused()


def test_the_customer_page_opens_with_the_focus_on_the_customer_s_name(page, demo_data):
    from customers.models import Customer

    log_in(page, "clerk", "clerk")
    page.goto(f"/customers/{Customer.objects.get(account_number='2001').pk}/")
    expect(page.get_by_role("heading", name="Karen Berg")).to_be_focused()
    page.keyboard.press("Alt+n")  # the next step, from there
    expect(page.get_by_role("heading", name=re.compile("Sales order"))).to_be_visible()


@pytest.mark.parametrize("close", ["Escape", "Cancel"])
def test_a_payment_dialog_that_came_back_with_an_error_gives_the_focus_back_to_add(
    page, karens_order, close
):
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    page.keyboard.press("Alt+c")
    summary = page.get_by_role("dialog", name="Sales order summary")
    add = summary.get_by_role("button", name="Add")
    expect(add).to_be_focused()
    page.keyboard.press("Alt+a")
    payment = page.get_by_role("dialog", name="Enter customer payment information")
    amount = payment.get_by_label("Payment amount", exact=True)
    expect(amount).to_be_focused()
    page.keyboard.type("abc")
    page.keyboard.press("Enter")
    expect(payment.get_by_role("alert").first).to_be_visible()
    expect(amount).to_be_focused()
    # the new dialog, with the refusal, is modal (Escape closes only a modal dialog)
    page.wait_for_function(
        "() => document.querySelector('#payment-dialog[data-upgraded]:has([role=alert])')"
        "?.matches(':modal')"
    )
    if close == "Escape":
        page.keyboard.press("Escape")
    else:
        payment.get_by_role("link", name="Cancel").focus()
        page.keyboard.press("Enter")
    expect(payment).to_have_count(0)
    expect(add).to_be_focused()


def test_a_refused_submit_gives_the_focus_back_to_complete_when_the_summary_closes(
    page, karens_order
):
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    complete = page.get_by_role("button", name="Complete")
    complete.focus()
    page.keyboard.press("Enter")
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary.get_by_role("button", name="Add")).to_be_focused()
    page.keyboard.press("Alt+s")
    # the new summary, with the refusal, is modal and has the focus
    page.wait_for_function(
        "() => document.activeElement.closest('dialog[data-upgraded]:modal')"
        " === document.querySelector('#summary-dialog:has([role=alert])')"
    )
    page.keyboard.press("Escape")
    expect(summary).to_have_count(0)
    expect(complete).to_be_focused()


def test_the_focused_field_and_button_show_a_clear_outline(page, karens_order):
    """Bootstrap's own focus is a faint glow with no outline: the app's 3px ring wins."""
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    ring = (
        "el => { const s = getComputedStyle(el);"
        " return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    item = page.get_by_label("Item number", exact=True)
    item.focus()
    assert item.evaluate(ring) == ["solid", "3px", "rgb(11, 94, 215)"]
    page.keyboard.press("Tab")  # to Quantity
    quantity = page.get_by_label("Quantity", exact=True)
    expect(quantity).to_be_focused()
    assert quantity.evaluate(ring) == ["solid", "3px", "rgb(11, 94, 215)"]
    page.keyboard.press("Tab")  # to Source code
    page.keyboard.press("Tab")  # to Add line
    add = page.get_by_role("button", name="Add line")
    expect(add).to_be_focused()
    assert add.evaluate(ring) == ["solid", "3px", "rgb(11, 94, 215)"]
