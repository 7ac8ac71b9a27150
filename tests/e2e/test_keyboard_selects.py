"""Selects that save as they change, driven by the keys: looking through the options with
the arrows saves nothing; Enter or leaving the select commits the choice once."""

import pytest
from playwright.sync_api import expect

from orders.models import OrderEvent
from tests.e2e.conftest import log_in
from tests.e2e.test_request_failures import open_order

pytestmark = pytest.mark.e2e


def header_changes(order):
    return order.events.filter(type=OrderEvent.Type.HEADER_CHANGED).count()


def focus_the_mode_of_delivery(page, order):
    """The clerk's order page, its Header tab, the focus on the mode of delivery."""
    log_in(page, "clerk", "clerk")
    open_order(page, order)
    page.get_by_role("tab", name="Header").click()
    mode = page.get_by_label("Mode of delivery", exact=True)
    mode.focus()
    return mode


def test_arrowing_through_the_modes_of_delivery_saves_once_on_leaving(page, karens_order):
    mode = focus_the_mode_of_delivery(page, karens_order)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    for _ in range(2):
        page.keyboard.press("ArrowUp")
    page.wait_for_timeout(300)
    assert posts == []  # looking through the options saved nothing
    chosen = mode.evaluate("el => el.options[el.selectedIndex].text")
    assert chosen != "99 Standard"
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.keyboard.press("Tab")
    page.wait_for_timeout(300)
    assert len(posts) == 1
    karens_order.refresh_from_db()
    assert str(karens_order.delivery_mode) == chosen
    assert header_changes(karens_order) == 1


def test_enter_commits_a_mode_chosen_with_the_keys(page, karens_order):
    mode = focus_the_mode_of_delivery(page, karens_order)
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    chosen = mode.evaluate("el => el.options[el.selectedIndex].text")
    expect(page.get_by_role("complementary").get_by_text(chosen)).to_have_count(1)
    karens_order.refresh_from_db()
    assert str(karens_order.delivery_mode) == chosen
    assert header_changes(karens_order) == 1


def test_the_language_switch_waits_for_enter(page, karens_order):
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    language = page.locator("#language-switch")
    language.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    expect(page.get_by_role("tab", name="Lines")).to_be_visible()  # still English
    page.keyboard.press("Enter")
    expect(page.get_by_role("tab", name="Lignes")).to_be_visible()


def test_enter_on_the_new_line_s_source_code_adds_the_line(page, karens_order):
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    form = page.locator("#add-line-form")
    form.get_by_label("Item number", exact=True).fill("82001")
    source = form.get_by_label("Source code", exact=True)
    source.focus()
    page.keyboard.press("Enter")
    lines = page.get_by_role("table", name="Sales order lines")
    expect(lines.get_by_role("row").filter(has_text="82001")).to_have_count(1)
