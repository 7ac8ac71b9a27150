"""Screenshots of the main screens for the README: ``make screenshots``.

Serves the demo from a throw-away SQLite database and takes the seed's order in
headless Chromium at 1280×720 (and the order page on a wide screen), saving
PNG files in docs/screenshots/.
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def serve(tmp: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp / 'demo.sqlite3'}"}
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}"


def take(base_url: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720}, base_url=base_url)
        page.goto("/")
        page.get_by_label("Username").fill("clerk")
        page.get_by_label("Password").fill("clerk")
        page.get_by_role("button", name="Log in").click()
        page.get_by_label("Customer search").fill("Karen")
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("dialog", name="Customer search")).to_be_visible()
        page.screenshot(path=OUT / "1-customer-search.png")
        page.get_by_role("button", name="Select").click()
        expect(page.get_by_role("button", name="New sales order")).to_be_visible()
        page.screenshot(path=OUT / "2-customer-page.png")
        page.get_by_role("button", name="New sales order").click()
        page.get_by_label("Item number", exact=True).fill("81327")
        page.get_by_role("option", name=re.compile(r"^81327 ")).click()
        page.get_by_role("button", name="Add line").click()
        expect(page.get_by_role("table", name="Sales order lines")).to_contain_text("81327")
        page.screenshot(path=OUT / "3-sales-order.png")
        page.get_by_role("button", name="Complete").click()
        expect(page.get_by_role("dialog", name="Sales order summary")).to_be_visible()
        page.screenshot(path=OUT / "4-order-summary.png")
        page.get_by_role("button", name="Add", exact=True).click()
        expect(
            page.get_by_role("dialog", name="Enter customer payment information")
        ).to_be_visible()
        page.screenshot(path=OUT / "5-payment.png")
        page.get_by_role("button", name="OK").click()
        page.get_by_role("button", name="Submit").click()
        expect(page.locator("#order-status")).to_have_text("Submitted")
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.screenshot(path=OUT / "6-submitted-wide.png")
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server, base_url = serve(Path(tmp))
        try:
            take(base_url)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"screenshots written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
