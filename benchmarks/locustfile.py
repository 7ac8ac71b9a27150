"""Clerks taking the seed's order over HTTP, the way the browser does: ``make load`` runs it.

Each simulated clerk logs in once with an account of its own, then takes orders
one after another: search a customer, open the customer page, new sales order,
three lines (item suggestions, then Add line), Complete, the payment dialog, pay
cash for the balance the dialog is prefilled with, Submit, and the order page
htmx swaps in. Requests the page makes through htmx carry ``HX-Request: true``
and get the same fragments a browser gets.

Some orders are double-clicked: the payment POST and the submit are sent twice
at the same moment with the same idempotency key (a fifth of the orders,
``LOAD_DOUBLE_CLICK``); both answers must be the ordinary ones, and the database
must hold one payment.

Think time: a clerk talks to the caller between two clicks, 0.5 to 2 s
(``THINK``); the point is many clerks at once, each with a request in flight
now and then, not a request loop. The steps are named (``search``, ``new
order``, ``add line``, ``complete``, ``pay``, ``submit``, ...) so Locust groups
its statistics by step; an answer that is not the page the browser expects is
a failure of that step, and the rest of that order is skipped.

The requests say they came through the TLS-terminating proxy of the deployment
(``X-Forwarded-Proto: https``), so gunicorn runs with production settings
(secure cookies, strict Referer checking) over plain HTTP on the loopback.

Environment: ``LOAD_USERNAME`` (``{n}`` is replaced by the clerk's number,
from 1; default ``clerk``, the demo's), ``LOAD_PASSWORD`` (default ``clerk``),
``LOAD_ORDERS_FILE`` (where the numbers of the orders submitted are written,
one a line), ``LOAD_RESULTS`` (a JSON file for the statistics once every clerk
has stopped: per step, failures, exceptions). Against ``make run``:
``locust -f benchmarks/locustfile.py --host http://127.0.0.1:8000``.
"""

import http.cookiejar
import itertools
import json
import os
import random
import re
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, events, task
from locust.exception import RescheduleTask, StopUser

USERNAME = os.environ.get("LOAD_USERNAME", "clerk")
PASSWORD = os.environ.get("LOAD_PASSWORD", "clerk")
ORDERS_FILE = os.environ.get("LOAD_ORDERS_FILE", "")
RESULTS_FILE = os.environ.get("LOAD_RESULTS", "")
SEARCHES = ["Karen", "Berg", "Karen Berg", "2001", "555", "Smith"]
ITEMS = ["81327", "82001", "82002"]  # the seed's first item and two more
THINK = between(0.5, 2)
DOUBLE_CLICK = float(os.environ.get("LOAD_DOUBLE_CLICK", "0.2"))

# The URLs, each with its ``reverse`` name; the test that runs ``make load`` briefly
# fails when one of them moves.
LOGIN = "/accounts/login/"  # login
SEARCH = "/"  # customers:service
SELECT = "/customers/select/"  # customers:select
NEW_ORDER = "/orders/new/{customer}/"  # orders:create
SUGGESTIONS = "/catalog/suggestions/"  # catalog:suggestions
ADD_LINE = "/orders/{number}/lines/"  # orders:add_line
COMPLETE = "/orders/{number}/complete/"  # payments:complete
PAYMENT_NEW = "/orders/{number}/payments/new/"  # payments:payment_new
PAY = "/orders/{number}/payments/"  # payments:payment_create
SUBMIT = "/orders/{number}/submit/"  # payments:submit

_clerk_numbers = itertools.count(1)

# The cookies are Secure (DEBUG off): to the browser the deployment's proxy speaks HTTPS,
# the clerks here reach gunicorn over plain HTTP on the loopback, so they send them anyway.
http.cookiejar.DefaultCookiePolicy.return_ok_secure = lambda policy, cookie, request: True


def field(html: str, name: str, *, form: str = "") -> str:
    """The value of field ``name`` (an input, or a select's chosen option) in ``html``, or in
    its form whose action is ``form``; empty when there is none."""
    if form:
        found = re.search(rf'<form[^>]*\baction="{re.escape(form)}".*?</form>', html, re.S)
        html = found.group(0) if found else ""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    if tag:
        value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
        return value.group(1) if value else ""
    select = re.search(rf'<select[^>]*\bname="{name}".*?</select>', html, re.S)
    option = select and re.search(r'<option value="([^"]*)"[^>]*\bselected', select.group(0))
    return option.group(1) if option else ""


def has(text: str, what: str):
    """A step's check: the answer contains ``text``."""
    return lambda response: None if text in response.text else f"no {what} in the answer"


class ClerkUser(HttpUser):
    wait_time = THINK  # between two orders

    def on_start(self):
        self.username = USERNAME.format(n=next(_clerk_numbers))
        netloc = urlsplit(self.host).netloc
        self.client.headers.update({"X-Forwarded-Proto": "https", "Referer": f"https://{netloc}/"})
        self.step("GET", LOGIN, "login page")
        self.step(
            "POST",
            LOGIN,
            "login",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            check=lambda r: None if r.history else f"{self.username} is not logged in",
            on_failure=StopUser,
        )

    def think(self):
        gevent.sleep(self.wait_time())  # not self.wait(): a stopping clerk finishes the order

    def step(self, method, url, name, *, htmx=False, check=None, on_failure=RescheduleTask, **kw):
        """One request; an answer that is not the page expected fails the step and the order."""
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}
        if htmx:
            headers["HX-Request"] = "true"
        with self.client.request(
            method, url, name=name, headers=headers, catch_response=True, **kw
        ) as response:
            problem = f"HTTP {response.status_code}" if response.status_code != 200 else None
            problem = problem or (check and check(response))
            if problem:
                response.failure(problem)
                raise on_failure()
            return response

    def twice(self, *args, **kwargs):
        """A double click: the same request twice at the same moment; both must succeed."""

        def click():
            try:
                return self.step(*args, **kwargs)
            except RescheduleTask:
                return None

        clicks = [gevent.spawn(click), gevent.spawn(click)]
        gevent.joinall(clicks)
        if not all(c.value for c in clicks):
            raise RescheduleTask()
        return clicks[0].value

    @task
    def take_order(self):
        double_click = random.random() < DOUBLE_CLICK
        again = self.twice if double_click else self.step
        suffix = " (double click)" if double_click else ""
        query = random.choice(SEARCHES)
        page = self.step("GET", SEARCH, "search", params={"q": query}).text
        customer = random.choice(re.findall(r'name="customer" value="(\d+)"', page) or [None])
        if customer is None:
            raise RescheduleTask()
        new_order = NEW_ORDER.format(customer=customer)
        self.think()
        self.step(
            "GET",
            SELECT,
            "customer page",
            params={"q": query, "customer": customer},
            check=has(new_order, "New sales order button"),
        )
        self.think()
        order_page = self.step(
            "POST",
            new_order,
            "new order",
            data={"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
            check=lambda r: None if r.history else "no redirect to the order page",
        )
        number = urlsplit(order_page.history[0].headers["Location"]).path.split("/")[-2]
        version = field(order_page.text, "version")
        for item in ITEMS:
            self.think()  # typing the item number: htmx asks for suggestions
            self.step(
                "GET", SUGGESTIONS, "item suggestions", htmx=True, params={"item_number": item}
            )
            lines = self.step(
                "POST",
                ADD_LINE.format(number=number),
                "add line",
                htmx=True,
                data={"item_number": item, "quantity": 1, "version": version},
                check=has(item, f"line {item}"),
            )
            version = field(lines.text, "version")
        self.think()
        self.step(
            "POST",
            COMPLETE.format(number=number),
            "complete",
            htmx=True,
            check=has("Balance", "summary"),
        )
        self.think()
        dialog = self.step("GET", PAYMENT_NEW.format(number=number), "payment dialog", htmx=True)
        payment = {
            name: field(dialog.text, name) for name in ("method", "amount", "idempotency_key")
        }
        self.think()
        summary = again(
            "POST",
            PAY.format(number=number),
            "pay" + suffix,
            htmx=True,
            data=payment,
            check=has('id="summary-balance">0.00<', "balance of 0.00"),
        )
        self.think()
        submit = SUBMIT.format(number=number)
        submitted = again(
            "POST",
            submit,
            "submit" + suffix,
            htmx=True,
            data={"idempotency_key": field(summary.text, "idempotency_key", form=submit)},
            check=lambda r: None if "HX-Location" in r.headers else "not submitted",
        )
        if ORDERS_FILE:
            with open(ORDERS_FILE, "a") as orders:
                orders.write(f"{number}\n")
        location = json.loads(submitted.headers["HX-Location"])["path"]
        self.step(
            "GET", location, "order page", htmx=True, check=has("Submitted", "status Submitted")
        )


@events.quitting.add_listener
def write_results(environment, **kwargs):
    """The final statistics, for the runner (Locust's CSV files are written once a second and
    can miss the last requests)."""
    if not RESULTS_FILE:
        return
    stats = environment.stats

    def step(entry):
        return {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "per_second": entry.total_rps,
            "max": entry.max_response_time,
            **{f"p{p}": entry.get_response_time_percentile(p / 100) for p in (50, 95, 99)},
        }

    results = {
        "steps": {entry.name: step(entry) for entry in stats.entries.values()},
        "all": step(stats.total),
        "failures": [
            f"{error.occurrences}× {error.method} {error.name}: {error.error}"
            for error in stats.errors.values()
        ],
        "exceptions": [
            f"{row['count']}× {row['msg']}" for row in environment.runner.exceptions.values()
        ],
    }
    with open(RESULTS_FILE, "w") as f:
        json.dump(results, f, indent=1)
