"""Guided selling in the browser: the script panel and an upsell prompt answered by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from customers.models import Customer
from orders.models import SalesOrder, UpsellOffer
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def open_new_order_for_karen(page):
    log_in(page, "clerk", "clerk")
    page.goto(f"/customers/{Customer.objects.get(account_number='2001').pk}/")
    page.get_by_role("button", name="New sales order").click()
    expect(page.get_by_role("heading", name=re.compile("Sales order"))).to_be_visible()


def add_line(page, item_number: str):
    page.get_by_role("tab", name="Lines").click()
    page.get_by_label("Item number", exact=True).fill(item_number)
    page.get_by_role("option", name=re.compile(rf"^{item_number} ")).click()
    page.get_by_role("button", name="Add line").click()


def test_an_upsell_prompt_is_accepted_with_one_keystroke_and_the_rest_dismissed(page, demo_data):
    open_new_order_for_karen(page)
    script = page.get_by_role("complementary", name="Script")
    expect(script).to_contain_text("Thank you for calling USRT")

    add_line(page, "81327")
    prompt = page.get_by_role("region", name="Suggest to the caller")
    expect(prompt).to_contain_text("For a bigger room")
    expect(prompt).to_contain_text("81340 Fabrikam speaker stand")
    expect(prompt).to_contain_text("24.99")
    expect(prompt.locator("img").first).to_be_visible()
    large = prompt.get_by_role("button", name="Add 81328 Fabrikam wireless speaker, large")
    # the prompt is announced, not focused: the clerk goes on with the next line
    expect(page.get_by_label("Item number", exact=True)).to_be_focused()
    expect(page.get_by_role("status").filter(has_text="Alt+U")).to_have_count(1)
    expect(script).to_contain_text("twelve hours on a charge")

    page.keyboard.press("Alt+u")
    expect(large).to_be_focused()

    page.keyboard.press("2")  # the second suggestion: the stand
    lines = page.get_by_role("table", name="Sales order lines")
    expect(lines.get_by_role("row").filter(has_text="81340")).to_have_count(1)
    expect(prompt.get_by_role("button", name=re.compile("^Add 81340"))).to_have_count(0)
    expect(large).to_be_focused()
    # said as a line typed in is, by the page's polite live region
    expect(page.locator("#order-announce")).to_have_text(
        re.compile(r"^Line 2 added: 1 × 81340 Fabrikam speaker stand, total \d+\.\d\d\.$")
    )

    page.keyboard.press("Escape")
    expect(page.get_by_role("region", name="Suggest to the caller")).to_have_count(0)
    expect(page.get_by_label("Item number", exact=True)).to_be_focused()

    order = SalesOrder.objects.get(customer__account_number="2001")
    assert sorted(order.upsell_offers.values_list("product__item_number", "status")) == [
        ("81328", UpsellOffer.Status.DISMISSED),
        ("81340", UpsellOffer.Status.ACCEPTED),
    ]
    assert sorted(order.lines.values_list("item_number", flat=True)) == ["81327", "81340"]

    # the dismissed suggestion does not come back for this order; the total is now
    # above 200.00, which sets off the cross-sell
    page.reload()
    add_line(page, "81327")
    expect(lines.get_by_role("row").filter(has_text="81327")).to_have_count(2)
    prompt = page.get_by_role("region", name="Suggest to the caller")
    expect(prompt).to_contain_text("81330 Fabrikam headphones")
    expect(prompt).not_to_contain_text("81328")


def test_the_next_item_number_typed_after_a_prompt_arrives_goes_to_the_new_line(page, demo_data):
    """Digits typed after Enter must not land in the prompt, where 1-9 add a suggestion."""
    open_new_order_for_karen(page)
    add_line(page, "81327")
    prompt = page.get_by_role("region", name="Suggest to the caller")
    expect(prompt).to_contain_text("81328")
    item = page.get_by_label("Item number", exact=True)
    expect(item).to_be_focused()
    page.keyboard.type("82001")
    expect(item).to_have_value("82001")
    page.keyboard.press("Escape")  # closes the suggestions list
    page.keyboard.press("Enter")
    lines = page.get_by_role("table", name="Sales order lines")
    expect(lines.get_by_role("row").filter(has_text="82001")).to_have_count(1)
    order = SalesOrder.objects.get(customer__account_number="2001")
    assert sorted(order.lines.values_list("item_number", flat=True)) == ["81327", "82001"]
    assert not order.upsell_offers.filter(status=UpsellOffer.Status.ACCEPTED).exists()


def test_an_upsell_prompt_is_answered_with_javascript_off(browser, live_server, demo_data):
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        open_new_order_for_karen(page)
        page.get_by_label("Item number").fill("81327")
        page.get_by_role("button", name="Add line").click()
        prompt = page.get_by_role("region", name="Suggest to the caller")
        prompt.get_by_role("button", name="Add 81340 Fabrikam speaker stand").click()
        lines = page.get_by_role("table", name="Sales order lines")
        expect(lines.get_by_role("row").filter(has_text="81340")).to_have_count(1)
        page.get_by_role("region", name="Suggest to the caller").get_by_role(
            "button", name="Dismiss"
        ).click()
        expect(page.get_by_role("region", name="Suggest to the caller")).to_have_count(0)
    finally:
        context.close()


def test_a_catalog_request_is_taken_on_the_customer_page(page, demo_data):
    log_in(page, "clerk", "clerk")
    page.goto(f"/customers/{Customer.objects.get(account_number='2001').pk}/")
    section = page.get_by_role("region", name="Catalog requests")
    section.get_by_label("Catalog", exact=True).select_option(label="Fabrikam semiannual")
    section.get_by_label("Source code", exact=True).select_option(
        label="FAB26 – Fabrikam semiannual"
    )
    section.get_by_role("button", name="Request catalog").click()
    expect(page.get_by_role("status")).to_contain_text("Fabrikam semiannual will be mailed")
    expect(
        page.get_by_role("region", name="Catalog requests")
        .get_by_role("row")
        .filter(has_text="FAB26")
    ).to_have_count(1)
