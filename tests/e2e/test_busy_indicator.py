"""A slow response shows "Working…"; a quick one shows nothing."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def htmx_event(page, name: str) -> None:
    page.evaluate(f"document.body.dispatchEvent(new CustomEvent('{name}', {{bubbles: true}}))")


def test_working_shows_while_a_request_takes_long_and_goes_when_it_ends(page, demo_data):
    log_in(page, "clerk", "clerk")
    busy = page.get_by_role("status").filter(has_text="Working…")
    htmx_event(page, "htmx:beforeRequest")
    expect(busy).to_be_visible()
    expect(page.locator("#main")).to_have_attribute("aria-busy", "true")
    htmx_event(page, "htmx:afterRequest")
    expect(busy).to_be_hidden()
    expect(page.locator("#main")).to_have_attribute("aria-busy", "false")


def test_a_quick_request_shows_nothing(page, demo_data):
    log_in(page, "clerk", "clerk")
    htmx_event(page, "htmx:beforeRequest")
    htmx_event(page, "htmx:afterRequest")
    page.wait_for_timeout(500)
    expect(page.locator("#busy-indicator")).to_be_hidden()
