"""Call center feature groups and isolation, as people see them in the browser."""

import re

import pytest
from playwright.sync_api import expect

from orders.models import SalesOrder
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_with_order_completion_off_an_order_is_submitted_without_payment(page, demo_data):
    log_in(page, "admin", "admin")
    page.goto("/admin/callcenter/callcenter/")
    page.get_by_role("link", name="USRT-CC").click()
    page.get_by_label("Order completion").uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    log_out(page)

    log_in(page, "clerk", "clerk")
    page.get_by_label("Customer search").fill("2001")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Select").click()
    page.get_by_role("button", name="New sales order").click()
    page.get_by_role("tab", name="Lines").click()
    page.get_by_label("Item number", exact=True).fill("81327")
    page.get_by_role("button", name="Add line").click()
    expect(page.get_by_role("table", name="Sales order lines")).to_contain_text("81327")

    expect(page.get_by_role("button", name="Complete")).to_have_count(0)
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#order-status")).to_have_text("Submitted")
    order = SalesOrder.objects.get(customer__account_number="2001")
    assert order.status == SalesOrder.Status.SUBMITTED
    assert not order.payments.exists()


def test_a_clerk_of_another_company_sees_none_of_usrts_customers_or_orders(page, demo_data):
    log_in(page, "clerk", "clerk")
    page.get_by_label("Customer search").fill("2001")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Select").click()
    page.get_by_role("button", name="New sales order").click()
    order_url = page.url
    customer_url = page.get_by_role("link", name=re.compile("2001 Karen Berg")).get_attribute(
        "href"
    )
    log_out(page)

    log_in(page, "fabrikam", "fabrikam")
    expect(page.get_by_text("FABR-CC")).to_be_visible()
    page.get_by_label("Customer search").fill("Karen")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("dialog", name="Customer search")
    expect(results.get_by_role("row").filter(has_text="Karen Lindqvist")).to_have_count(1)
    expect(results.get_by_role("row").filter(has_text="2001")).to_have_count(0)
    assert page.goto(order_url).status == 404
    assert page.goto(customer_url).status == 404


def test_a_user_of_two_call_centers_switches_between_them(page, demo_data):
    log_in(page, "admin", "admin")
    switcher = page.get_by_label("Call center")
    expect(switcher).to_have_value(str(demo_data.pk))  # the center joined first

    def search_karen():
        page.get_by_label("Customer search").fill("Karen")
        page.get_by_role("button", name="Search").click()
        return page.get_by_role("dialog", name="Customer search")

    karen_berg = search_karen().get_by_role("row").filter(has_text="2001")
    expect(karen_berg).to_contain_text("Karen Berg")
    page.keyboard.press("Escape")
    # closing the results goes back to the customer service page: let it load first
    expect(page.get_by_role("dialog", name="Customer search")).to_have_count(0)
    page.wait_for_load_state()
    switcher.select_option(label="FABR-CC Fabrikam direct")
    expect(page.get_by_label("Call center")).not_to_have_value(str(demo_data.pk))
    results = search_karen()
    expect(results.get_by_role("row").filter(has_text="Karen Lindqvist")).to_have_count(1)
    expect(results.get_by_role("row").filter(has_text="2001")).to_have_count(0)
