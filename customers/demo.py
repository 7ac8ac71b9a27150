"""Demo customers: Karen Berg (account 2001), a few other Karens, and some fifty more."""

from .models import Address, Customer
from .normalize import normalize_phone

FIRST_NAMES = [
    "Alex",
    "Maria",
    "John",
    "Sofia",
    "Liam",
    "Emma",
    "Noah",
    "Olivia",
    "Lucas",
    "Mia",
    "Ethan",
    "Ava",
    "Mason",
    "Chloe",
    "Logan",
    "Zoe",
    "James",
    "Lily",
    "Henry",
    "Grace",
]
LAST_NAMES = [
    "Miller",
    "Garcia",
    "Chen",
    "Dubois",
    "Novak",
    "Larsen",
    "Okafor",
    "Rossi",
    "Kim",
]
CITIES = [
    ("Seattle", "WA", "98101"),
    ("Portland", "OR", "97201"),
    ("Denver", "CO", "80202"),
    ("Austin", "TX", "73301"),
    ("Chicago", "IL", "60601"),
]
KARENS = [
    (
        "2001",
        "Karen Berg",
        "555-010-2001",
        "karen.berg@example.com",
        "123 Main Street",
        0,
    ),
    (
        "2002",
        "Karen Smith",
        "555-010-2002",
        "karen.smith@example.com",
        "45 Oak Avenue",
        1,
    ),
    (
        "2003",
        "Karen Berglund",
        "555-010-2003",
        "k.berglund@example.com",
        "9 Pine Road",
        2,
    ),
    (
        "2004",
        "Karen Okafor",
        "555-010-2004",
        "karen.okafor@example.com",
        "77 Lake Drive",
        3,
    ),
]
OTHER_CUSTOMERS = 56


def _customer(company, account, name, phone, email, street, city_index) -> Customer:
    customer, created = Customer.objects.get_or_create(
        account_number=account,
        defaults={
            "company": company,
            "name": name,
            "phone": normalize_phone(phone),
            "email": email,
        },
    )
    if created:
        city, state, postal_code = CITIES[city_index % len(CITIES)]
        for purpose in (Address.Purpose.DELIVERY, Address.Purpose.INVOICE):
            Address.objects.create(
                customer=customer,
                purpose=purpose,
                is_primary=True,
                street=street,
                city=city,
                state=state,
                postal_code=postal_code,
                country="US",
            )
    return customer


def load() -> None:
    for karen in KARENS:
        _customer("USRT", *karen)
    for i in range(OTHER_CUSTOMERS):
        first = FIRST_NAMES[i % len(FIRST_NAMES)]
        last = LAST_NAMES[i % len(LAST_NAMES)]
        account = str(3001 + i)
        _customer(
            "USRT",
            account,
            f"{first} {last}",
            f"555-020-{3001 + i}",
            f"{first.lower()}.{last.lower()}{i}@example.com",
            f"{100 + i} Elm Street",
            i,
        )


# The second company's customers: a Fabrikam clerk sees these and none of USRT's.
FABRIKAM_CUSTOMERS = [
    ("F-1001", "Karen Lindqvist", "555-030-1001", "karen.lindqvist@example.com", "5 Harbor Way", 0),
    ("F-1002", "Oscar Nilsson", "555-030-1002", "oscar.nilsson@example.com", "8 Bay Street", 1),
    ("F-1003", "Ingrid Holm", "555-030-1003", "ingrid.holm@example.com", "21 Fjord Lane", 2),
]


def load_second_company() -> None:
    for customer in FABRIKAM_CUSTOMERS:
        _customer("FABR", *customer)
