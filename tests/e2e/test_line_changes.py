"""A line changed on the order page: what the server refuses is said in an alert."""

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
