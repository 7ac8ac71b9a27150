"""Generate N realistic customers fast, for load and benchmark data (never in the demo)."""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from customers.models import Address, Customer
from customers.normalize import search_text

FIRST = [
    "Karen",
    "José",
    "Zoë",
    "Chloé",
    "Björn",
    "Søren",
    "Ana",
    "Łukasz",
    "François",
    "Mia",
    "Noah",
    "Olivia",
    "Liam",
    "Emma",
    "Hélène",
    "Jürgen",
    "Ines",
    "Mateo",
    "Yuki",
    "Amélie",
    "Omar",
    "Fatima",
    "Pierre",
    "Lucía",
    "Ethan",
    "Nora",
    "Hugo",
    "Elena",
    "Raúl",
    "Greta",
]
LAST = [
    "Berg",
    "Núñez",
    "Müller",
    "Dubois",
    "García",
    "Smith",
    "Johansson",
    "Kowalski",
    "Rossi",
    "Nguyen",
    "Martin",
    "Bernard",
    "Lindqvist",
    "O'Brien",
    "Schmidt",
    "Novák",
    "Kim",
    "Silva",
    "Fernández",
    "Larsen",
    "Moreau",
    "Dupont",
    "Ivanova",
    "Okafor",
    "Haddad",
    "Brown",
    "Lefèvre",
]
STREETS = ["Main Street", "Oak Avenue", "Rue de la Paix", "Elm Street", "Lake Drive", "Pine Road"]
CITIES = [
    ("Seattle", "WA", "981"),
    ("Portland", "OR", "972"),
    ("Denver", "CO", "802"),
    ("Austin", "TX", "787"),
    ("Chicago", "IL", "606"),
    ("Boston", "MA", "021"),
]


class Command(BaseCommand):
    help = "Create N customers with addresses and phones in bulk (e.g. 1000000 on PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--company", default="USRT")
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2001)

    def handle(self, *args, count: int, company: str, batch: int, seed: int, **options):
        if count < 1 or batch < 1:
            raise CommandError("count and --batch must be positive")
        rng = random.Random(seed)
        start = Customer.objects.filter(account_number__startswith="G").count()
        began = time.monotonic()
        for offset in range(0, count, batch):
            size = min(batch, count - offset)
            self._batch(rng, company, start + offset, size)
            done = offset + size
            if done % (batch * 20) == 0 or done == count:
                rate = done / (time.monotonic() - began)
                self.stdout.write(f"{done} customers ({rate:,.0f}/s)")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics for the planner
                cursor.execute("ANALYZE customers_customer, customers_address")

    @transaction.atomic
    def _batch(self, rng: random.Random, company: str, first: int, size: int) -> None:
        customers = []
        for n in range(first, first + size):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            slug = search_text(name).replace(" ", ".").replace("'", "")
            area, line = rng.randint(200, 989), rng.randint(0, 9_999_999)
            phone = f"+1{area}{line:07d}"
            customers.append(
                Customer(
                    company=company,
                    account_number=f"G{n:08d}",
                    name=name,
                    name_search=search_text(name),
                    phone=phone,
                    phone_digits=phone[1:],
                    email=f"{slug}{n}@example.com",
                )
            )
        created = Customer.objects.bulk_create(customers)
        addresses = []
        for customer in created:
            city, state, zip_prefix = rng.choice(CITIES)
            addresses.append(
                Address(
                    customer_id=customer.pk,
                    purpose=Address.Purpose.DELIVERY,
                    is_primary=True,
                    street=f"{rng.randint(1, 9999)} {rng.choice(STREETS)}",
                    city=city,
                    state=state,
                    postal_code=f"{zip_prefix}{rng.randint(0, 99):02d}",
                    country="US",
                )
            )
        Address.objects.bulk_create(addresses)
