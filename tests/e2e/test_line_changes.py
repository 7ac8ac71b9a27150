"""A line changed on the order page: what the server refuses is said in an alert."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.test_request_failures import open_order

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("quantity", ["0", "-1", "2.5"])
def test_a_bad_quantity_for_a_line_is_said_in_an_alert(page, karens_order, quantity):
    """The line's quantity box is checked by the server, like Add line: its message is an
    alert the clerk's screen reader says, not the browser's own bubble."""
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    page.get_by_text("Change or cancel line 1").click()
    page.get_by_label("Quantity of line 1").fill(quantity)
    page.get_by_role("button", name="Change quantity").click()
    expect(page.get_by_role("alert")).to_contain_text("Quantity")
    expect(page.get_by_role("table", name="Sales order lines")).to_contain_text("81327")
    karens_order.refresh_from_db()
    assert karens_order.lines.get().quantity == 1


@pytest.mark.parametrize("quantity", ["2,5", "1 000"])
def test_a_french_quantity_that_is_not_a_whole_number_is_refused_not_read_as_another(
    french_page, karens_order, quantity
):
    """ "2,5" is not 25: the quantity boxes are text boxes the server reads, and it says
    what to type."""
    page = french_page
    page.goto("/")
    page.get_by_label(re.compile("utilisateur")).fill("clerk")
    page.get_by_label("Mot de passe").fill("clerk")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Service client")).to_be_visible()
    page.goto(f"/orders/{karens_order.number}/")
    page.get_by_role("tab", name="Lignes").click()
    page.get_by_label("Numéro d'article", exact=True).fill("81327")
    page.get_by_label("Quantité", exact=True).select_text()
    page.keyboard.type(quantity)  # as the clerk types it (a number box drops the comma)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Quantité : Saisissez un nombre entier.")
    assert karens_order.lines.count() == 1

    page.get_by_text("Modifier ou annuler la ligne 1").click()
    page.get_by_label("Quantité de la ligne 1").select_text()
    page.keyboard.type(quantity)
    page.get_by_role("button", name="Modifier la quantité").click()
    expect(page.get_by_role("alert")).to_contain_text("Saisissez un nombre entier.")
    assert karens_order.lines.get().quantity == 1


def test_cancelling_a_line_without_a_reason_puts_the_focus_on_its_reason(page, karens_order):
    from django.contrib.auth import get_user_model

    from catalog.models import Product
    from orders import services

    services.add_line(  # a second line: the last one is not cancelled, the order is
        order=karens_order,
        by=get_user_model().objects.get(username="clerk"),
        product=Product.objects.get(item_number="81327"),
        quantity=1,
    )
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    page.get_by_text("Change or cancel line 1").click()
    page.get_by_role("button", name="Cancel line 1").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Enter the reason for cancelling the line.")
    reason = page.get_by_label("Reason for cancelling line 1")
    expect(reason).to_be_focused()
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_accessible_description("Enter the reason for cancelling the line.")
    # typed there, Enter cancels the line
    page.keyboard.type("Out of stock")
    page.keyboard.press("Enter")
    expect(page.get_by_role("table", name="Sales order lines")).to_contain_text("Out of stock")


def test_a_line_added_is_announced_and_the_item_number_keeps_the_focus(page, karens_order):
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    item = page.get_by_label("Item number", exact=True)
    item.fill("81327")
    page.get_by_label("Quantity", exact=True).fill("2")
    page.get_by_label("Quantity", exact=True).press("Enter")
    status = page.locator("#order-announce")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("Line 2 added: 2 × 81327 Fabrikam wireless speaker, total 340.00.")
    expect(item).to_be_focused()
    page.get_by_role("button", name="Remove line 1").click()
    expect(status).to_have_text("Line 1 removed, total 230.00.")
