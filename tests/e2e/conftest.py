"""Browser tests: the real pages, served by pytest-django's live server, in headless Chromium.

Playwright drives the system Chromium (``/usr/bin/chromium``, installed by
``make test``); its own browser download is never used.
"""

import os
import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@contextmanager
def browser_page(browser, live_server, locale: str):
    """A page in a fresh context whose browser speaks ``locale``.

    Every browser test also checks that no script failed and that the
    Content-Security-Policy blocked nothing the pages need.
    """
    context = browser.new_context(base_url=live_server.url, locale=locale)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            problems.append(f"console: {message.text}")

    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", on_console)
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture
def page(browser, live_server):
    with browser_page(browser, live_server, "en-US") as page:
        yield page


@pytest.fixture
def french_page(browser, live_server):
    """A browser set to French: the application answers in French (Accept-Language)."""
    with browser_page(browser, live_server, "fr-FR") as page:
        yield page


@pytest.fixture
def demo_data(transactional_db):
    """The demo data of ``make run``; returns the USRT call center."""
    from django.core.management import call_command

    from callcenter.models import CallCenter

    call_command("load_demo", force=True, verbosity=0)
    return CallCenter.objects.get(code="USRT-CC")


def karens_draft(call_center, quantity=1):
    """Karen Berg's draft with ``quantity`` × 81327 by 99 Standard, built through the
    services by the demo clerk."""
    from django.contrib.auth import get_user_model

    from catalog.models import Product
    from customers.models import Customer
    from orders import services as order_services

    clerk = get_user_model().objects.get(username="clerk")
    order = order_services.create_order(
        call_center=call_center, customer=Customer.objects.get(account_number="2001"), by=clerk
    )
    order_services.add_line(
        order=order, by=clerk, product=Product.objects.get(item_number="81327"), quantity=quantity
    )
    order.refresh_from_db()
    return order


def paid_and_submitted(order):
    """``order`` paid in cash to the cent and submitted by the demo clerk, through the
    services."""
    import uuid

    from django.contrib.auth import get_user_model

    from payments import services as payment_services
    from payments.models import PaymentMethod

    clerk = get_user_model().objects.get(username="clerk")
    payment_services.add_payment(
        order=order,
        by=clerk,
        method=PaymentMethod.objects.get(code="CASH"),
        amount=order.total,
        idempotency_key=uuid.uuid4(),
    )
    payment_services.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())


@pytest.fixture
def karens_order(demo_data):
    """The seed's order: 120.00 to pay."""
    order = karens_draft(demo_data)
    assert order.total == 120
    return order


def log_in(page, username: str, password: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def summary_row(dialog, name: str):
    """The order summary's totals row ``name`` (not a charge line that starts with the same
    word): its accessible name is the label followed by the amount."""
    return dialog.get_by_role("row", name=re.compile(rf"^{name} -?\d"))
