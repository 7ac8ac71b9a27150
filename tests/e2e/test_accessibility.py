"""axe-core (shipped in tests/e2e/vendor) finds no serious accessibility problem on the
screens of the seed procedure, each checked in the state the clerk sees it."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

AXE = Path(__file__).with_name("vendor") / "axe-4.14.1.min.js"
SERIOUS = {"serious", "critical"}


@pytest.fixture
def audited_page(browser, live_server):
    # axe is injected as a script of the test's own: the page's policy, which allows
    # only the application's scripts, is bypassed in this context only.
    context = browser.new_context(base_url=live_server.url, locale="en-US", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', "
        "'wcag22aa', 'best-practice']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def test_the_seed_screens_have_no_serious_accessibility_violation(audited_page, demo_data):
    page = audited_page
    screens = {}
    page.goto("/")
    screens["login"] = serious_violations(page)
    log_in(page, "clerk", "clerk")
    screens["customer service"] = serious_violations(page)

    page.get_by_label("Customer search").fill("Karen")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("dialog", name="Customer search")
    expect(results).to_be_visible()
    screens["search results"] = serious_violations(page)
    results.get_by_role("row").filter(has_text="2001").click()
    results.get_by_role("button", name="Select").click()
    expect(page.get_by_role("button", name="New sales order")).to_be_visible()
    screens["customer page"] = serious_violations(page)

    page.get_by_role("button", name="New sales order").click()
    page.get_by_role("tab", name="Lines").click()
    page.get_by_label("Item number", exact=True).fill("81327")
    page.get_by_role("option", name=re.compile(r"^81327 ")).click()
    page.get_by_role("button", name="Add line").click()
    expect(page.get_by_role("table", name="Sales order lines")).to_contain_text("81327")
    screens["sales order"] = serious_violations(page)

    page.get_by_role("button", name="Complete").click()
    expect(page.get_by_role("dialog", name="Sales order summary")).to_be_visible()
    screens["order summary"] = serious_violations(page)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("dialog", name="Enter customer payment information")).to_be_visible()
    screens["payment"] = serious_violations(page)

    assert {name: found for name, found in screens.items() if found} == {}
