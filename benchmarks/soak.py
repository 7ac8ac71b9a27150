"""A short soak: clerks taking orders at once, with faults thrown in, then the checker.

    make soak                       # SOAK_CLERKS=8 SOAK_SECONDS=60 by default

Runs on the local PostgreSQL (database ``SOAK_DB``, default callcenter_soak, made
afresh): every clerk thread takes orders the way the seed does (search, new
order, lines, complete, pay, submit) and, at random, double-clicks a payment,
replays a submit, pays by a card the test gateway declines or times out on, or
leaves the order unpaid and tries to submit anyway. Then it prints the requests
made, the 5xx answers (there must be none) and what ``check_consistency`` finds
(it must find nothing). Exits with status 1 otherwise.
"""

import os
import random
import statistics
import sys
import threading
import time
import uuid
from collections import Counter

SERVER = os.environ.get("SOAK_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("SOAK_DB", "callcenter_soak")
CLERKS = int(os.environ.get("SOAK_CLERKS", "8"))
SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))

os.environ.update(DJANGO_SETTINGS_MODULE="callcenter.settings", DEBUG="1")
os.environ["ALLOWED_HOSTS"] = "testserver"

from benchmarks.demo_db import demo_clerks, fresh_database  # noqa: E402

os.environ["DATABASE_URL"] = fresh_database(SERVER, DB)

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 4xx are part of the soak
logging.getLogger("axes").setLevel(logging.WARNING)

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from customers.models import Customer  # noqa: E402
from payments.consistency import find_problems  # noqa: E402
from payments.models import PaymentMethod  # noqa: E402

ITEMS = ["81327", "82001", "82002", "82003"]
HTMX = {"HTTP_HX_REQUEST": "true"}


class Clerk(threading.Thread):
    def __init__(self, user, customers, methods, deadline, seed):
        super().__init__()
        self.client = Client()
        self.client.force_login(user)
        self.customers, self.methods, self.deadline = customers, methods, deadline
        self.random = random.Random(seed)
        self.statuses: Counter = Counter()
        self.timings: list[float] = []
        self.errors: list[str] = []

    def call(self, method, url, data=None, **headers):
        start = time.perf_counter()
        try:
            response = getattr(self.client, method)(url, data or {}, **headers)
        except Exception as exc:  # a crash is a 500 the server would have sent
            self.statuses[500] += 1
            self.errors.append(f"{method.upper()} {url}: {exc!r}")
            return None
        self.timings.append((time.perf_counter() - start) * 1000)
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.errors.append(f"{method.upper()} {url}: {response.status_code}")
        return response

    def pay(self, number, amount, key=None, *, card="4111111111111111"):
        method = self.random.choice(["CASH", "CASH", "CARD"])
        data = {
            "method": self.methods[method],
            "amount": amount,
            "idempotency_key": key or uuid.uuid4(),
        }
        if method == "CARD":
            data.update(card_number=card, card_expiry="12/39", card_cvv="123")
        return self.call("post", reverse("payments:payment_create", args=[number]), data, **HTMX)

    def take_order(self):
        rnd = self.random
        self.call("get", "/", {"q": rnd.choice(["Karen", "Berg", "2001", "555"])})
        customer = rnd.choice(self.customers)
        response = self.call("post", reverse("orders:create", args=[customer]))
        if response is None or response.status_code != 302:
            return
        number = response.url.rstrip("/").split("/")[-1]
        for item in rnd.sample(ITEMS, rnd.randint(1, 3)):
            self.call(
                "post",
                reverse("orders:add_line", args=[number]),
                {"item_number": item, "quantity": rnd.randint(1, 3)},
                **HTMX,
            )
        self.call("post", reverse("payments:complete", args=[number]), **HTMX)
        from orders.models import SalesOrder

        total = str(SalesOrder.objects.get(number=number).total)
        fault = rnd.random()
        if fault < 0.1:
            self.pay(number, total, card="4000000000000002")  # declined
        elif fault < 0.2:
            self.pay(number, total, card="4000000000000119")  # gateway times out
        elif fault < 0.3:
            pass  # unpaid: the submit below must be refused
        else:
            key = uuid.uuid4()
            self.pay(number, total, key)
            if fault < 0.45:
                self.pay(number, total, key)  # double click
        submit_key = uuid.uuid4()
        self.call(
            "post", reverse("payments:submit", args=[number]), {"idempotency_key": submit_key}
        )
        if rnd.random() < 0.2:
            self.call(
                "post", reverse("payments:submit", args=[number]), {"idempotency_key": submit_key}
            )

    def run(self):
        try:
            while time.monotonic() < self.deadline:
                self.take_order()
        finally:
            connections.close_all()


def main() -> int:
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    users = demo_clerks("soak", CLERKS)
    customers = list(Customer.objects.filter(company="USRT").values_list("pk", flat=True))
    methods = {m.code: m.pk for m in PaymentMethod.objects.all()}
    deadline = time.monotonic() + SECONDS
    clerks = [Clerk(user, customers, methods, deadline, seed=i) for i, user in enumerate(users)]
    print(f"{CLERKS} clerks for {SECONDS:.0f} s on {DB}…")
    for clerk in clerks:
        clerk.start()
    for clerk in clerks:
        clerk.join()
    statuses = sum((c.statuses for c in clerks), Counter())
    timings = sorted(t for c in clerks for t in c.timings)
    errors = [e for c in clerks for e in c.errors]
    problems = list(find_problems())
    requests = sum(statuses.values())
    by_status = dict(sorted(statuses.items()))
    print(f"requests: {requests} ({requests / SECONDS:.1f}/s), by status: {by_status}")
    if timings:
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"latency: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")
    print(f"5xx: {sum(n for s, n in statuses.items() if s >= 500)}")
    for error in errors[:10]:
        print("  ", error)
    print(f"inconsistencies found by check_consistency: {len(problems)}")
    for problem in problems[:10]:
        print("  ", problem)
    return 1 if errors or problems else 0


if __name__ == "__main__":
    sys.exit(main())
