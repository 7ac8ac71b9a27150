"""Alt+letter follows the letter printed on the key, whatever the keyboard layout."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.test_request_failures import open_order

pytestmark = pytest.mark.e2e

VIRTUAL_KEY = {"KeyA": 65, "KeyQ": 81}


def press_alt(page, key: str, code: str) -> None:
    """Alt and the key at ``code`` (its place on a US keyboard) that types ``key``."""
    cdp = page.context.new_cdp_session(page)
    event = {
        "modifiers": 1,  # Alt
        "key": key,
        "code": code,
        "windowsVirtualKeyCode": VIRTUAL_KEY[code],
        "nativeVirtualKeyCode": VIRTUAL_KEY[code],
    }
    cdp.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", **event})
    cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", **event})
    cdp.detach()


def test_alt_a_on_an_azerty_keyboard_adds_a_payment(page, karens_order):
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    page.keyboard.press("Alt+c")
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary.get_by_role("button", name="Add")).to_be_focused()
    # AZERTY: A is where a US keyboard has Q
    press_alt(page, "a", "KeyQ")
    payment = page.get_by_role("dialog", name="Enter customer payment information")
    expect(payment.get_by_label("Payment amount", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(payment).to_have_count(0)
    # a key Alt turns into another character (macOS Option+A types "å"): its place
    press_alt(page, "å", "KeyA")
    expect(payment.get_by_label("Payment amount", exact=True)).to_be_focused()


def test_alt_q_on_an_azerty_keyboard_opens_the_quick_quote(page, demo_data):
    from customers.models import Customer

    log_in(page, "clerk", "clerk")
    page.goto(f"/customers/{Customer.objects.get(account_number='2001').pk}/")
    expect(page.get_by_role("heading", name="Karen Berg")).to_be_focused()
    # AZERTY: Q is where a US keyboard has A
    press_alt(page, "q", "KeyA")
    expect(page.get_by_label("Items", exact=True)).to_be_focused()


AZERTY_MAP = """
Object.defineProperty(navigator, "keyboard", {value: {getLayoutMap: () =>
  Promise.resolve(new Map([["KeyQ", "a"], ["KeyA", "q"], ["KeyW", "z"], ["KeyZ", "w"]]))}});
"""


def test_option_a_on_a_mac_azerty_keyboard_adds_a_payment(page, karens_order):
    """Option+A types "æ" on a French Mac: the letter printed on the key comes from the
    keyboard's own layout (the Keyboard Map API), not from its place on a US keyboard."""
    page.add_init_script(AZERTY_MAP)
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    page.keyboard.press("Alt+c")
    summary = page.get_by_role("dialog", name="Sales order summary")
    expect(summary.get_by_role("button", name="Add")).to_be_focused()
    press_alt(page, "æ", "KeyQ")  # the key printed A on AZERTY, where US has Q
    payment = page.get_by_role("dialog", name="Enter customer payment information")
    expect(payment.get_by_label("Payment amount", exact=True)).to_be_focused()
