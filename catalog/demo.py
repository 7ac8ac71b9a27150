"""Demo products (81327 and fifty more) and the Fabrikam semiannual catalog."""

import datetime
from decimal import Decimal

from django.utils import timezone

from .models import Catalog, Product, SourceCode

PRODUCTS = [
    ("81327", "Fabrikam wireless speaker", Decimal("100.00")),
    ("81328", "Fabrikam wireless speaker, large", Decimal("149.00")),
    ("81330", "Fabrikam headphones", Decimal("79.99")),
]
KINDS = [
    "Desk lamp",
    "Coffee mug",
    "Notebook",
    "Backpack",
    "Water bottle",
    "Umbrella",
    "Travel pillow",
    "Phone case",
    "Wall clock",
    "Picture frame",
]
COLORS = ["black", "white", "red", "blue", "green"]


def load() -> None:
    for item_number, name, price in PRODUCTS:
        Product.objects.get_or_create(
            item_number=item_number, defaults={"name": name, "price": price}
        )
    for i in range(50):
        kind, color = KINDS[i % len(KINDS)], COLORS[(i // len(KINDS)) % len(COLORS)]
        Product.objects.get_or_create(
            item_number=str(82000 + i),
            defaults={
                "name": f"{kind}, {color}",
                "price": Decimal(5 + (i * 7) % 90) + Decimal("0.99"),
            },
        )
    today = timezone.localdate()
    catalog, created = Catalog.objects.get_or_create(
        code="FAB-SEMI",
        defaults={
            "name": "Fabrikam semiannual",
            "valid_from": today - datetime.timedelta(days=30),
            "valid_to": today + datetime.timedelta(days=365),
        },
    )
    if created:
        catalog.products.add(*Product.objects.filter(item_number__in=[p[0] for p in PRODUCTS]))
    # The seed procedure's source code: attributes the order, changes no price,
    # so one 81327 by 99 Standard still comes to 120.00.
    SourceCode.objects.get_or_create(
        code="FAB26",
        defaults={
            "catalog": catalog,
            "description": "Fabrikam semiannual, main mailing",
        },
    )
    SourceCode.objects.get_or_create(
        code="FAB26-VIP",
        defaults={
            "catalog": catalog,
            "description": "Fabrikam semiannual, best customers: 10 % off",
            "discount_percent": Decimal("10.00"),
        },
    )
