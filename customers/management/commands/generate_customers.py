"""Generate N realistic customers fast, for load and benchmark data (never in the demo)."""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from callcenter import bulk
from customers.generator import (
    CUSTOMER_TABLES,
    copy_customers,
    create_customers,
    generated_customers,
    new_customers,
)


class Command(BaseCommand):
    help = (
        "Create N customers with addresses and phones in bulk (e.g. 1000000 on PostgreSQL, "
        "where they are loaded with COPY)."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--company", default="USRT")
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2001)

    def handle(self, *args, count: int, company: str, batch: int, seed: int, **options):
        if count < 1 or batch < 1:
            raise CommandError("count and --batch must be positive")
        start = generated_customers().count()
        # another seed for each top-up, so names differ from the first run's
        rng = random.Random(f"{seed}:{start}")
        began = time.monotonic()
        postgres = connection.vendor == "postgresql"
        if postgres:
            batch = max(batch, 100_000)  # COPY: fewer, larger statements
        with transaction.atomic():
            cursor = bulk.raw_cursor() if postgres else None
            rebuild = CUSTOMER_TABLES if postgres and count >= start else []
            with bulk.indexes_rebuilt_after(cursor, rebuild, log=self.stdout.write):
                for offset in range(0, count, batch):
                    size = min(batch, count - offset)
                    customers = list(new_customers(rng, start + offset, size))
                    if postgres:
                        copy_customers(cursor, customers, company=company)
                    else:
                        create_customers(customers, company=company)
                    done = offset + size
                    if postgres or done % (batch * 20) == 0 or done == count:
                        rate = done / (time.monotonic() - began)
                        self.stdout.write(f"{done} customers ({rate:,.0f}/s)")
            if postgres:
                bulk.analyze(cursor, CUSTOMER_TABLES)
        self.stdout.write(f"{count} customers in {time.monotonic() - began:.0f} s")
