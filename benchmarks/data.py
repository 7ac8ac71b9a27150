"""The large data set on the local PostgreSQL: ``make bench-data`` and ``make check-plans``.

Creates the database ``BENCH_DB`` (default callcenter_bench) when it is missing,
migrates it and runs ``generate_large_data`` up to ``BENCH_CUSTOMERS``,
``BENCH_PRODUCTS`` and ``BENCH_ORDERS`` (1,000,000, 50,000 and 2,000,000): the
first run makes the set, later ones top it up or say it is there. With
``--check-plans`` it then runs ``check_plans`` on it and exits with its status.
"""

import os
import sys

DB = os.environ.get("BENCH_DB", "callcenter_bench")
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SIZES = {
    "customers": int(os.environ.get("BENCH_CUSTOMERS", "1000000")),
    "products": int(os.environ.get("BENCH_PRODUCTS", "50000")),
    "orders": int(os.environ.get("BENCH_ORDERS", "2000000")),
}

os.environ.update(DJANGO_SETTINGS_MODULE="callcenter.settings", DEBUG="1")


def main() -> None:
    from benchmarks.demo_db import ensure_database

    os.environ["DATABASE_URL"] = ensure_database(SERVER, DB)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("generate_large_data", **SIZES)
    if "--check-plans" in sys.argv:
        call_command("check_plans")


if __name__ == "__main__":
    if "--help" in sys.argv:
        print(__doc__)
    else:
        main()
