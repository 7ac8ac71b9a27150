"""Generated customers for load and benchmark data, never the demo: accounts G00000001...,
names from many languages, phones, e-mails, one delivery address each and the "created"
event the app writes.

``generate_customers`` makes them alone; ``generate_large_data`` makes them with
orders. On PostgreSQL they are loaded with COPY (``callcenter.bulk``).
"""

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from django.utils import timezone

from callcenter import bulk

from .models import Address, Customer, CustomerEvent
from .normalize import search_text

ACCOUNT_PREFIX = "G"

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


@dataclass(slots=True)
class NewCustomer:
    account_number: str
    name: str
    name_search: str
    phone: str
    email: str
    street: str
    city: str
    state: str
    postal_code: str
    created_at: datetime.datetime

    @property
    def address_line(self) -> str:
        """The address as an order copies it (``Address.one_line``)."""
        return f"{self.street}, {self.city}, {self.state} {self.postal_code}, US"


def generated_customers():
    return Customer.objects.filter(account_number__startswith=ACCOUNT_PREFIX)


@cache
def _searchable(name: str) -> tuple[str, str]:
    """(name_search, e-mail local part) of a generated name."""
    plain = search_text(name)
    return plain, plain.replace(" ", ".").replace("'", "")


def new_customers(
    rng: random.Random,
    first: int,
    count: int,
    *,
    created_from: datetime.datetime | None = None,
    created_to: datetime.datetime | None = None,
) -> Iterator[NewCustomer]:
    """Customers numbered ``first``..``first + count - 1``, created between the two dates
    (now when not given)."""
    created_to = created_to or timezone.now()
    span = (created_to - (created_from or created_to)).total_seconds()
    for n in range(first, first + count):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        name_search, slug = _searchable(name)
        area, line = rng.randint(200, 989), rng.randint(0, 9_999_999)
        city, state, zip_prefix = rng.choice(CITIES)
        yield NewCustomer(
            account_number=f"{ACCOUNT_PREFIX}{n:08d}",
            name=name,
            name_search=name_search,
            phone=f"+1{area}{line:07d}",
            email=f"{slug}{n}@example.com",
            street=f"{rng.randint(1, 9999)} {rng.choice(STREETS)}",
            city=city,
            state=state,
            postal_code=f"{zip_prefix}{rng.randint(0, 99):02d}",
            created_at=created_to - datetime.timedelta(seconds=rng.random() * span),
        )


CUSTOMER_COLUMNS = (
    "id",
    "company",
    "account_number",
    "name",
    "name_search",
    "phone",
    "phone_digits",
    "email",
    "is_blocked",
    "created_at",
)
EVENT_COLUMNS = ("id", "customer_id", "type", "user_id", "created_at", "parameters")
CUSTOMER_TABLES = ["customers_customer", "customers_address", "customers_customerevent"]
ADDRESS_COLUMNS = (
    "id",
    "customer_id",
    "purpose",
    "is_primary",
    "street",
    "city",
    "state",
    "postal_code",
    "country",
)


def copy_customers(cursor, customers: list[NewCustomer], *, company: str) -> list[int]:
    """COPY the customers, their addresses and their "created" events (PostgreSQL);
    returns their ids, in order."""
    first_id = bulk.next_id(cursor, "customers_customer")
    ids = list(range(first_id, first_id + len(customers)))
    company = bulk.text(company)
    bulk.copy_rows(
        cursor,
        "customers_customer",
        CUSTOMER_COLUMNS,
        (
            f"{pk}\t{company}\t{c.account_number}\t{bulk.text(c.name)}\t{c.name_search}\t"
            f"{c.phone}\t{c.phone[1:]}\t{c.email}\tf\t{c.created_at.isoformat()}\n"
            for pk, c in zip(ids, customers, strict=True)
        ),
    )
    first_address = bulk.next_id(cursor, "customers_address")
    bulk.copy_rows(
        cursor,
        "customers_address",
        ADDRESS_COLUMNS,
        (
            f"{first_address + i}\t{pk}\t{Address.Purpose.DELIVERY.value}\tt\t{c.street}\t"
            f"{c.city}\t{c.state}\t{c.postal_code}\tUS\n"
            for i, (pk, c) in enumerate(zip(ids, customers, strict=True))
        ),
    )
    first_event = bulk.next_id(cursor, "customers_customerevent")
    bulk.copy_rows(
        cursor,
        "customers_customerevent",
        EVENT_COLUMNS,
        (
            f"{first_event + i}\t{pk}\t{CustomerEvent.Type.CREATED.value}\t\\N\t"
            f'{c.created_at.isoformat()}\t{{"account_number": "{c.account_number}"}}\n'
            for i, (pk, c) in enumerate(zip(ids, customers, strict=True))
        ),
    )
    for table in CUSTOMER_TABLES:
        bulk.reset_sequence(cursor, table)
    return ids


def create_customers(customers: list[NewCustomer], *, company: str) -> None:
    """The same customers through the ORM, for databases without COPY (SQLite)."""
    created = Customer.objects.bulk_create(
        Customer(
            company=company,
            account_number=c.account_number,
            name=c.name,
            name_search=c.name_search,
            phone=c.phone,
            phone_digits=c.phone[1:],
            email=c.email,
        )
        for c in customers
    )
    Address.objects.bulk_create(
        Address(
            customer_id=customer.pk,
            purpose=Address.Purpose.DELIVERY,
            is_primary=True,
            street=c.street,
            city=c.city,
            state=c.state,
            postal_code=c.postal_code,
            country="US",
        )
        for customer, c in zip(created, customers, strict=True)
    )
    CustomerEvent.objects.bulk_create(
        CustomerEvent(
            customer_id=customer.pk,
            type=CustomerEvent.Type.CREATED,
            parameters={"account_number": customer.account_number},
        )
        for customer in created
    )
