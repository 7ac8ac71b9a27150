"""Time the clerk's requests on the demo data: ``make bench``.

Runs against a throw-away SQLite database (or ``BENCH_DATABASE_URL``) and
prints the median and 95th percentile of each request, with its SQL query count.
The demo data is loaded with ``DEBUG`` on (``load_demo`` insists); the requests
are then served with it off, as in production.
"""

import os
import statistics
import sys
import tempfile
import time
import uuid
from urllib.parse import urlencode

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
os.environ["DEBUG"] = "1"
os.environ["ALLOWED_HOSTS"] = "testserver"
_tmp = tempfile.mkdtemp(prefix="callcenter-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.getLogger("django.request").setLevel(logging.ERROR)  # 409s are expected here

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks import breakdown  # noqa: E402
from orders.models import SalesOrder  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))


def timed(request) -> float:
    start = time.perf_counter()
    response = request()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code >= 400:
        sys.exit(f"HTTP {response.status_code}: {response.content[:300]!r}")
    return elapsed


def post(client, url, data=None, *, htmx=True):
    """A post as the browser sends it: the form urlencoded with the page's CSRF token (in the
    X-CSRFToken header htmx adds, or the form's own field), checked as in production."""
    token = client.cookies["csrftoken"].value
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_X_CSRFTOKEN": token} if htmx else {}
    fields = dict(data or {})
    if not htmx:
        fields["csrfmiddlewaretoken"] = token
    return client.post(
        url, urlencode(fields), content_type="application/x-www-form-urlencoded", **headers
    )


def clerk_client():
    """The demo clerk's browser: logged in, on the customer service page (which sets the CSRF
    cookie its forms carry); CSRF tokens are checked, as in production."""
    from django.contrib.auth import get_user_model

    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="clerk"))
    client.get(reverse("customers:service"))
    return client


def seed_order(client, karen, cash):
    """The seed's order from search to submit: yields each step's name and request.

    The new order itself (a post that redirects) is made between the steps, untimed.
    Ends by checking that the order was submitted.
    """
    yield "search 'Karen'", lambda: client.get("/", {"q": "Karen"})
    response = post(client, reverse("orders:create", args=[karen.pk]), htmx=False)
    number = response.url.rstrip("/").split("/")[-1]
    yield "order page", lambda: client.get(reverse("orders:detail", args=[number]))
    for item in ("81327", "82001", "82002"):
        yield (
            f"add line {item}",
            lambda item=item: post(
                client,
                reverse("orders:add_line", args=[number]),
                {"item_number": item, "quantity": 1},
            ),
        )
    yield "complete", lambda: post(client, reverse("payments:complete", args=[number]))
    total = SalesOrder.objects.get(number=number).total
    yield (
        "pay cash",
        lambda: post(
            client,
            reverse("payments:payment_create", args=[number]),
            {"method": cash, "amount": str(total), "idempotency_key": uuid.uuid4()},
        ),
    )
    yield (
        "submit",
        lambda: post(
            client, reverse("payments:submit", args=[number]), {"idempotency_key": uuid.uuid4()}
        ),
    )
    assert SalesOrder.objects.get(number=number).status == SalesOrder.Status.SUBMITTED


def floor_request(client):
    return client.get("/__floor__/")


def seed_flow(client, karen) -> None:
    """The seed's order, each step timed, ROUNDS times.

    Each step is preceded by one request to the floor view, so the floor is measured
    as often as the steps and under the same load of the machine at the same moments.
    """
    steps: dict[str, list[float]] = {}
    floor: list[float] = []
    cash = cash_method()  # read once: the clerk's form posts the method's id
    for _ in range(ROUNDS):
        for name, request in seed_order(client, karen, cash):
            floor.append(timed(lambda: floor_request(client)))
            steps.setdefault(name, []).append(timed(request))
    floor_median = statistics.median(floor)
    print(
        f"\nThe seed order, {len(steps)} requests, median of {ROUNDS} orders; the floor "
        f"(one query, bare view) taken before each step: median {floor_median:.2f} ms"
    )
    total = 0.0
    for name, timings in steps.items():
        median = statistics.median(timings)
        total += median
        print(f"  {name:<28} {median:7.2f} ms   {median / floor_median:5.1f} × floor")
    floor_total = floor_median * len(steps)
    print(
        f"  {'whole order':<28} {total:7.2f} ms   {total / floor_total:5.1f} × floor "
        f"({len(steps)} floor requests: {floor_total:.2f} ms)"
    )


def seed_flow_parts(client, karen) -> None:
    """The seed's order again, ROUNDS times, each step's time split into its parts."""
    samples: dict[str, list[breakdown.Parts]] = {}
    cash = cash_method()
    with breakdown.instrumented() as measure:
        for _ in range(ROUNDS):
            for name, request in seed_order(client, karen, cash):
                for label, call in (("floor", lambda: floor_request(client)), (name, request)):
                    parts, response = measure(call)
                    if response.status_code >= 400:
                        sys.exit(f"{label}: HTTP {response.status_code}")
                    samples.setdefault(label, []).append(parts)
    print(f"\nWhere the time goes (ms, medians of {ROUNDS} orders; see benchmarks/breakdown.py)")
    print(breakdown.HEADER)
    floor = samples.pop("floor")
    print(breakdown.row("floor", breakdown.median_parts(floor)))
    medians = [breakdown.median_parts(timings) for timings in samples.values()]
    for name, parts in zip(samples, medians, strict=True):
        print(breakdown.row(name, parts))
    print(breakdown.row("whole order", breakdown.summed_parts(medians)))


def cash_method() -> int:
    from payments.models import PaymentMethod

    return PaymentMethod.objects.get(code="CASH").pk


def measure(name, request):
    timings, queries = [], 0
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = request()
            timings.append((time.perf_counter() - start) * 1000)
        if response.status_code >= 400:
            sys.exit(f"{name}: HTTP {response.status_code}")
        queries = len(captured)
    timings.sort()
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
    median = statistics.median(timings)
    print(f"{name:<30} median {median:7.2f} ms   p95 {p95:7.2f} ms   {queries:3d} queries")
    return median


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)  # refuses to run with DEBUG off
    # The requests are served as in production: DEBUG off, so no query log is kept, and
    # templates rendered without debug information (migrate's checks built the engine
    # while DEBUG was still on).
    settings.DEBUG = False
    from django.template import engines

    for backend in engines.all():
        backend.engine.debug = False
        for loader in backend.engine.template_loaders:
            loader.reset()
    from customers.models import Customer

    client = clerk_client()
    karen = Customer.objects.get(account_number="2001")
    response = post(client, reverse("orders:create", args=[karen.pk]), htmx=False)
    number = response.url.rstrip("/").split("/")[-1]
    for _ in range(30):
        post(
            client,
            reverse("orders:add_line", args=[number]),
            {"item_number": "82001", "quantity": 1},
        )
    print(f"{ROUNDS} rounds each; order {number} has 30 lines")
    measure("floor: one query, bare view", lambda: client.get("/__floor__/"))
    measure("customer search 'Karen'", lambda: client.get("/", {"q": "Karen"}))
    measure("customer page", lambda: client.get(reverse("customers:detail", args=[karen.pk])))
    measure("order page (30 lines)", lambda: client.get(reverse("orders:detail", args=[number])))
    measure(
        "item suggestions '813'",
        lambda: client.get(reverse("catalog:suggestions"), {"item_number": "813"}),
    )
    measure(
        "add line (htmx)",
        lambda: post(
            client,
            reverse("orders:add_line", args=[number]),
            {"item_number": "81327", "quantity": 1},
        ),
    )
    measure("complete (htmx)", lambda: post(client, reverse("payments:complete", args=[number])))
    seed_flow(client, karen)
    seed_flow_parts(client, karen)
    print()
    measure(
        "submit refused (balance due)",
        lambda: _expect_409(
            post(
                client,
                reverse("payments:submit", args=[number]),
                {"idempotency_key": uuid.uuid4()},
            )
        ),
    )


def _expect_409(response):
    if response.status_code != 409:
        sys.exit(f"submit: expected 409, got {response.status_code}")
    response.status_code = 200
    return response


if __name__ == "__main__":
    with override_settings(ROOT_URLCONF="benchmarks.floor_urls"):
        main()
