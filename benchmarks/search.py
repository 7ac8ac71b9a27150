"""Customer search latency at scale: ``make bench-search`` (PostgreSQL).

Creates the database ``BENCH_DB`` (default callcenter_bench) on the local
PostgreSQL, loads the demo data and ``BENCH_CUSTOMERS`` generated customers
(default 1,000,000; generated once and kept), then prints p50/p95 of the
search as the page runs it (first page of 25 and the count) next to the raw
indexed SQL of the same lookup.
"""

import os
import statistics
import sys
import time

DB = os.environ.get("BENCH_DB", "callcenter_bench")
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "1000000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))

os.environ.update(DJANGO_SETTINGS_MODULE="callcenter.settings", DEBUG="1")

from benchmarks.demo_db import ensure_database  # noqa: E402

os.environ["DATABASE_URL"] = ensure_database(SERVER, DB)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from callcenter.pagination import CountedPaginator  # noqa: E402
from customers.models import Customer  # noqa: E402
from customers.selectors import customer_search, within_limit  # noqa: E402

# (what the clerk types, the raw indexed SQL for the same lookup)
QUERIES = [
    ("Karen Berg", "SELECT id FROM customers_customer WHERE name_search LIKE '%%karen berg%%'"),
    (
        "berg karen",
        "SELECT id FROM customers_customer WHERE name_search LIKE '%%berg%%' "
        "INTERSECT SELECT id FROM customers_customer WHERE name_search LIKE '%%karen%%'",
    ),
    (
        "Lindqvist Søren",
        "SELECT id FROM customers_customer WHERE name_search LIKE '%%lindqvist%%' "
        "INTERSECT SELECT id FROM customers_customer WHERE name_search LIKE '%%soren%%'",
    ),
    # one common word: a first name or a surname alone matches tens of thousands
    ("Karen", "SELECT id FROM customers_customer WHERE name_search LIKE '%%karen%%'"),
    ("Berg", "SELECT id FROM customers_customer WHERE name_search LIKE '%%berg%%'"),
    ("2001", "SELECT id FROM customers_customer WHERE account_number = '2001'"),
    ("(555) 010-2001", "SELECT id FROM customers_customer WHERE phone_digits LIKE '%%5550102001'"),
    (
        "karen.berg@example.com",
        "SELECT id FROM customers_customer WHERE email = 'karen.berg@example.com'",
    ),
    ("98101", "SELECT customer_id FROM customers_address WHERE postal_code = '98101'"),
    ("G00500000", "SELECT id FROM customers_customer WHERE account_number = 'G00500000'"),
]


def timed(fn):
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        result = fn()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)], result


def page_search(query):
    """What the results page reads: none past the limit (``within_limit``), else a page and
    the count."""
    results = within_limit(customer_search(query=query, companies=["USRT"]))
    if results is None:
        return f"more than {settings.CUSTOMER_SEARCH_LIMIT}"
    page = CountedPaginator(results, 25).get_page(1)
    list(page.object_list)
    return page.paginator.count


def raw(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql + " LIMIT 25")
        return len(cursor.fetchall())


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    missing = CUSTOMERS - Customer.objects.filter(account_number__startswith="G").count()
    if missing > 0:
        print(f"generating {missing} customers...", flush=True)
        call_command("generate_customers", missing)
    total = Customer.objects.count()
    print(f"{total:,} customers; {ROUNDS} rounds each")
    print(f"{'query':<26}{'page p50':>10}{'page p95':>10}{'raw p50':>10}{'raw p95':>10}  found")
    for query, sql in QUERIES:
        p50, p95, found = timed(lambda q=query: page_search(q))
        r50, r95, _ = timed(lambda s=sql: raw(s))
        print(f"{query:<26}{p50:>8.1f}ms{p95:>8.1f}ms{r50:>8.1f}ms{r95:>8.1f}ms  {found}")


if __name__ == "__main__":
    if "--help" in sys.argv:
        print(__doc__)
    else:
        main()
