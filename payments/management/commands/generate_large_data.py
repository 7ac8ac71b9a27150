"""Generate the large benchmark data set on PostgreSQL with COPY (never in production)."""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from callcenter.models import CallCenter
from payments.large_data import LargeData, Targets


class Command(BaseCommand):
    help = (
        "Generate a large, consistent data set on PostgreSQL with COPY: customers, products "
        "and sales orders of a call center with lines, payments, holds and events (by default "
        "1,000,000 customers, 50,000 products and 2,000,000 orders, in the demo's USRT-CC). "
        "The numbers are targets: a second run tops the data set up to them, or says it is "
        "already there. Loads the demo data first when it is missing (DEBUG=1 only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=1_000_000)
        parser.add_argument("--products", type=int, default=50_000)
        parser.add_argument("--orders", type=int, default=2_000_000)
        parser.add_argument("--seed", type=int, default=2001)
        parser.add_argument("--call-center", default="USRT-CC")

    def handle(self, *args, customers, products, orders, seed, call_center, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_large_data loads with PostgreSQL's COPY: set DATABASE_URL to a "
                "PostgreSQL database (it does not run on SQLite)."
            )
        if min(customers, products, orders) < 0:
            raise CommandError("--customers, --products and --orders cannot be negative")
        if orders and not (customers and products):
            raise CommandError("orders need customers and products: give both")
        if not CallCenter.objects.filter(code=call_center).exists():
            if not settings.DEBUG:
                raise CommandError(
                    f"There is no call center {call_center}: load the demo data first "
                    "(DEBUG=1 manage.py load_demo) or name another with --call-center."
                )
            call_command("load_demo", stdout=self.stdout)
            if not CallCenter.objects.filter(code=call_center).exists():
                raise CommandError(f"There is no call center {call_center}.")
        began = time.monotonic()
        run = LargeData(
            Targets(customers=customers, products=products, orders=orders),
            seed=seed,
            center_code=call_center,
            log=self.stdout.write,
        )
        try:
            added = run.run()
        except ValueError as error:
            raise CommandError(str(error)) from error
        if added is None:
            self.stdout.write(
                f"The data set is already there: at least {customers:,} generated customers, "
                f"{products:,} generated products and {orders:,} orders in {call_center}."
            )
            return
        elapsed = time.monotonic() - began
        rows = sum(run.added.values())
        for table, count in sorted(run.added.items()):
            self.stdout.write(f"  {table:<28}{count:>12,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {added.customers:,} customers, {added.products:,} products and "
                f"{added.orders:,} orders: {rows:,} rows in {elapsed:.0f} s "
                f"({rows / max(elapsed, 1e-6):,.0f} rows/s)."
            )
        )
