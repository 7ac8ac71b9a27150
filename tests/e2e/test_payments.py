"""Tenders in a real browser: split tender, a declined card, cash with change due."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orders.models import SalesOrder
from payments.models import GiftCard, Payment
from tests.e2e.conftest import log_in, summary_row

pytestmark = pytest.mark.e2e


def open_summary(page, order):
    log_in(page, "clerk", "clerk")
    page.goto(reverse("orders:detail", args=[order.number]))
    page.get_by_role("button", name="Complete").click()
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary_row(summary, "Balance")).to_contain_text("120.00")
    return summary


def add_payment(page, method, amount, **fields):
    page.get_by_role("button", name="Add", exact=True).click()
    dialog = page.get_by_role("dialog", name="Enter customer payment information")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Payment method", exact=True).select_option(label=method)
    for label, value in fields.items():
        dialog.get_by_label(label, exact=True).fill(value)
    dialog.get_by_label("Payment amount", exact=True).fill(amount)
    dialog.get_by_role("button", name="OK").click()
    return dialog


def test_split_tender_gift_card_then_card(page, karens_order):
    summary = open_summary(page, karens_order)
    add_payment(page, "Gift card", "50.00", **{"Gift card number": "6006491000000018"})
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary_row(summary, "Balance")).to_contain_text("70.00")
    card = {"Card number": "4111 1111 1111 1111", "Expiry date (MM/YY)": "12/39", "CVV": "123"}
    add_payment(page, "Card", "70.00", **card)
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary_row(summary, "Paid")).to_contain_text("120.00")
    expect(summary_row(summary, "Balance")).to_have_text(re.compile(r"^\s*Balance\s*0\.00\s*$"))
    expect(summary).to_contain_text("Visa ···· 1111")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#order-status")).to_have_text("Submitted")
    assert GiftCard.objects.get(number="6006491000000018").balance == 0
    statuses = set(karens_order.payments.values_list("status", flat=True))
    assert statuses == {Payment.Status.CAPTURED}


def test_a_declined_card_is_shown_and_another_card_is_taken(page, karens_order):
    open_summary(page, karens_order)
    declined = {"Card number": "4000000000000002", "Expiry date (MM/YY)": "12/39", "CVV": "123"}
    dialog = add_payment(page, "Card", "120.00", **declined)
    expect(dialog.get_by_role("alert")).to_contain_text("ending 0002 was declined")
    expect(dialog.get_by_label("Card number", exact=True)).to_have_value("")
    expect(dialog.get_by_label("CVV", exact=True)).to_have_value("")
    expect(dialog.get_by_label("Card number", exact=True)).to_be_focused()
    dialog.get_by_label("Card number", exact=True).fill("5555555555554444")
    dialog.get_by_label("CVV", exact=True).fill("123")
    dialog.get_by_role("button", name="OK").click()
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary_row(summary, "Balance")).to_have_text(re.compile(r"^\s*Balance\s*0\.00\s*$"))
    expect(summary.get_by_role("row").filter(has_text="Declined")).to_have_count(1)
    assert karens_order.payments.count() == 2


def test_the_summary_behind_the_dialog_lists_a_declined_and_a_timed_out_card(page, karens_order):
    """The refused attempts are in the ledger: the summary behind the payment dialog says so
    at once, not after it is opened again."""
    summary = open_summary(page, karens_order)
    payments = page.locator("#summary-payments")
    expect(payments).to_contain_text("No payment yet.")
    declined = {"Card number": "4000000000000002", "Expiry date (MM/YY)": "12/39", "CVV": "123"}
    dialog = add_payment(page, "Card", "120.00", **declined)
    expect(dialog.get_by_role("alert")).to_contain_text("ending 0002 was declined")
    expect(payments).not_to_contain_text("No payment yet.")
    expect(payments.locator("tr.payment-declined")).to_contain_text("Declined")
    expect(dialog.get_by_label("Card number", exact=True)).to_be_focused()
    dialog.get_by_label("Card number", exact=True).fill("4000000000000119")
    dialog.get_by_label("CVV", exact=True).fill("123")
    dialog.get_by_role("button", name="OK").click()
    expect(dialog.get_by_role("alert")).to_contain_text("did not answer")
    expect(payments.locator("tr.payment-pending")).to_contain_text("Pending")
    page.wait_for_function(
        "() => document.querySelector('#payment-dialog[data-upgraded]:has([role=alert])')"
        "?.matches(':modal')"
    )
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    rows = summary.get_by_role("table", name="Payments").get_by_role("row")
    expect(rows).to_have_count(3)  # the header, the declined card, the pending one
    expect(summary_row(summary, "Balance")).to_contain_text("120.00")


def test_an_error_about_the_check_number_goes_when_another_method_is_chosen(page, karens_order):
    open_summary(page, karens_order)
    dialog = add_payment(page, "Check", "abc")
    alert = dialog.get_by_role("alert")
    expect(alert).to_contain_text("Check number: Enter the check number.")
    expect(alert).to_contain_text("Payment amount:")
    page.wait_for_function(
        "() => document.querySelector('#payment-dialog[data-upgraded]:has([role=alert])')"
        "?.matches(':modal')"
    )
    dialog.get_by_label("Payment method", exact=True).select_option(label="Gift card")
    expect(dialog.get_by_label("Gift card number", exact=True)).to_be_visible()
    # the amount is still to mend: its error stays, the check number's is gone
    expect(alert).not_to_contain_text("Check number")
    expect(alert).to_contain_text("Payment amount:")
    dialog.get_by_label("Payment amount", exact=True).fill("10.00")
    dialog.get_by_role("button", name="OK").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Gift card number:")
    dialog.get_by_label("Payment method", exact=True).select_option(label="Cash")
    expect(dialog.get_by_label("Gift card number", exact=True)).to_have_count(0)
    expect(dialog.get_by_role("alert")).to_have_count(0)


def test_a_field_the_clerk_is_in_keeps_the_focus_when_its_dialog_becomes_modal(page, karens_order):
    """A swapped-in dialog shows at once and becomes modal when htmx has settled it: a
    clerk who typed in that moment must not see the focus jump to the amount."""
    open_summary(page, karens_order)
    page.get_by_role("button", name="Add", exact=True).click()
    dialog = page.get_by_role("dialog", name="Enter customer payment information")
    expect(dialog.get_by_label("Payment amount", exact=True)).to_be_focused()
    # the dialog as a swap leaves it for a moment: open, not yet modal
    page.evaluate(
        """() => {
            const shown = document.getElementById("payment-dialog");
            const fresh = shown.cloneNode(true);
            delete fresh.dataset.upgraded;
            shown.replaceWith(fresh);
        }"""
    )
    method = dialog.get_by_label("Payment method", exact=True)
    method.focus()
    page.evaluate(
        "document.body.dispatchEvent("
        "new CustomEvent('htmx:afterSettle', {bubbles: true, detail: {target: document.body}}))"
    )
    assert page.evaluate("document.getElementById('payment-dialog').matches(':modal')")
    expect(method).to_be_focused()


def test_cash_over_the_balance_gives_change_due(page, karens_order):
    open_summary(page, karens_order)
    add_payment(page, "Cash", "150.00")
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary.get_by_role("status")).to_contain_text("Change due: 30.00")
    expect(summary_row(summary, "Paid")).to_contain_text("120.00")
    expect(summary_row(summary, "Balance")).to_have_text(re.compile(r"^\s*Balance\s*0\.00\s*$"))
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#order-status")).to_have_text("Submitted")
    karens_order.refresh_from_db()
    assert karens_order.status == SalesOrder.Status.SUBMITTED
