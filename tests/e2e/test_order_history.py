"""The order page's History follows the clerk's changes: a change made on the page is in
the History as soon as the clerk looks at it, without reloading the page. While the
History is out of sight the clicks cost no extra request; it is read when scrolled to."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.test_request_failures import add_line, add_line_the_gateway_fails, open_order

pytestmark = pytest.mark.e2e


def history_reads(page, order) -> list[str]:
    """The requests the page makes for the History section from now on."""
    path = reverse("orders:history", args=[order.number])
    reads = []
    page.on("request", lambda request: reads.append(request.url) if path in request.url else None)
    return reads


def scroll_to_history(page) -> None:
    """Scroll the History into sight, as the clerk does, and let the page draw itself twice
    (what it does when a section comes into sight, it has done by then)."""
    page.evaluate("document.getElementById('history').scrollIntoView()")
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def added(page, item) -> None:
    """Add a line of ``item`` and wait until the answer has settled: the line is in the
    table and the Item number field has taken the focus back (scrolling the page to it)."""
    add_line(page, item)
    expect(page.get_by_role("table", name="Sales order lines")).to_contain_text(item)
    expect(page.get_by_label("Item number", exact=True)).to_be_focused()


def test_a_line_added_is_in_the_history_once_it_is_scrolled_to(page, karens_order):
    page.set_viewport_size({"width": 1280, "height": 400})
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    history = page.get_by_role("region", name="History")
    expect(history).not_to_contain_text("82001")
    reads = history_reads(page, karens_order)
    added(page, "82001")
    added(page, "82002")
    assert reads == []  # out of sight: not read at each click
    scroll_to_history(page)
    expect(history).to_contain_text("line 2, 1 × 82001")
    expect(history).to_contain_text("line 3, 1 × 82002")
    assert len(reads) == 1  # read once for both changes


def test_a_history_in_sight_follows_each_change_at_once(page, karens_order):
    page.set_viewport_size({"width": 1280, "height": 4000})
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    history = page.get_by_role("region", name="History")
    add_line(page, "82001")
    expect(history).to_contain_text("line 2, 1 × 82001")
    page.get_by_role("button", name="Remove line 2").click()
    expect(history.get_by_text("Line removed")).to_have_count(1)
    expect(page.get_by_role("table", name="Sales order lines")).not_to_contain_text("82001")


def test_the_history_read_again_does_not_take_a_failure_message_away(page, karens_order):
    page.set_viewport_size({"width": 1280, "height": 400})
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    added(page, "82002")
    page.route(
        "**" + reverse("orders:add_line", args=[karens_order.number]),
        lambda route: route.fulfill(status=502, body="Bad Gateway"),
    )
    add_line(page, "82001")
    failure = page.get_by_role("alert").filter(has_text="The server could not complete that")
    expect(failure).to_have_count(1)
    history = page.get_by_role("region", name="History")
    scroll_to_history(page)
    expect(history).to_contain_text("line 2, 1 × 82002")
    expect(failure).to_have_count(1)


def test_a_refused_click_does_not_read_the_history_again(page, karens_order):
    reads = history_reads(page, karens_order)
    add_line_the_gateway_fails(page, karens_order)
    expect(page.get_by_role("alert")).to_contain_text("The server could not complete that")
    scroll_to_history(page)
    expect(page.get_by_role("region", name="History")).to_be_in_viewport()
    assert reads == []


def test_a_long_history_is_shown_whole_on_asking_and_stays_whole(page, karens_order):
    from django.contrib.auth import get_user_model

    from tests.orders.test_views import add_events

    add_events(karens_order, get_user_model().objects.get(username="clerk"), 60)
    page.set_viewport_size({"width": 1280, "height": 4000})
    log_in(page, "clerk", "clerk")
    open_order(page, karens_order)
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Only the newest 50 events are shown.")
    expect(history).not_to_contain_text("Order created")
    history.get_by_role("link", name="Show all events").click()
    expect(page).to_have_url(f"{page.url.split('?')[0]}?history=all#history")
    expect(history).to_contain_text("Order created")
    page.get_by_role("tab", name="Lines").click()
    added(page, "82001")
    expect(history).to_contain_text("line 2, 1 × 82001")
    expect(history).to_contain_text("Order created")
    expect(history.get_by_role("listitem")).to_have_count(karens_order.events.count())
    assert karens_order.events.count() > 60
