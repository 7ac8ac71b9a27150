"""A caller who is not yet a customer: screen-pop, create during the call, take the order."""

import pytest
from playwright.sync_api import expect

from customers.models import Customer
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_an_unknown_caller_is_created_during_the_call_and_can_order(page, demo_data):
    log_in(page, "clerk", "clerk")
    page.goto("/customers/lookup?phone=(555) 444-0101")
    expect(page.get_by_role("heading", name="New customer")).to_be_visible()
    expect(page.get_by_label("Phone")).to_have_value("(555) 444-0101")
    page.get_by_label("Name").fill("Zoë Ångström")
    page.get_by_label("Street").fill("7 Fjord Lane")
    page.get_by_label("City").fill("Seattle")
    page.get_by_label("Postal code").fill("981O1")  # a letter O instead of a zero
    page.get_by_role("button", name="Create customer").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a postal code of US")
    page.get_by_label("Postal code").fill("98101")
    page.get_by_role("button", name="Create customer").click()

    expect(page.get_by_role("heading", name="Zoë Ångström")).to_be_visible()
    customer = Customer.objects.get(name="Zoë Ångström")
    assert customer.phone == "+15554440101"

    page.get_by_label("Note about this call").fill("First call: asked for the catalog.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("First call: asked for the catalog.")).to_be_visible()

    # the next call finds her without the accents, and by her number
    page.get_by_role("link", name="Customer service").click()
    page.get_by_label("Customer search").fill("zoe angstrom")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("dialog", name="Customer search")
    expect(results.get_by_role("row").filter(has_text="Zoë Ångström")).to_have_count(1)
    results.get_by_role("button", name="Select").click()
    page.get_by_role("button", name="New sales order").click()
    expect(page.locator("#order-status")).to_have_text("Draft")
    assert customer.orders.count() == 1
