"""Demo products (81327 and fifty more), the Fabrikam semiannual catalog and its source codes,
price groups with trade agreements, and tax groups and rates.

Nothing here changes the seed walk-through: one 81327 for Karen Berg (Seattle, WA)
by 99 Standard, with FAB26 or no source code, still comes to 120.00.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from callcenter.models import CallCenter

from .models import (
    Catalog,
    PriceGroup,
    Product,
    SourceCode,
    SourceCodePrice,
    TaxGroup,
    TaxRate,
    TradeAgreement,
)

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
#: the company of the demo catalog (a catalog loaded before catalogs had a company keeps
#: none: it is every company's, as it was)
DEMO_COMPANY = "USRT"


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
            # USRT's: its source codes are not taken in another company's call center
            "company": DEMO_COMPANY,
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
    SourceCode.objects.get_or_create(
        code="FAB26-FREESHIP",
        defaults={
            "catalog": catalog,
            "description": "Fabrikam semiannual, free shipping",
            "shipping_waived": True,
            "script": (
                "Thank you for ordering from our semiannual catalog: shipping is on us today."
            ),
        },
    )
    special, created = SourceCode.objects.get_or_create(
        code="FAB26-SPEAKER",
        defaults={
            "catalog": catalog,
            "description": "Fabrikam semiannual, large speaker at 129.00",
        },
    )
    if created:
        SourceCodePrice.objects.create(
            source_code=special,
            product=Product.objects.get(item_number="81328"),
            price=Decimal("129.00"),
        )
    _load_price_groups()
    _load_tax()
    from .demo_guided import load as load_guided_selling

    load_guided_selling()


def _load_price_groups() -> None:
    """USRT's retail group (a quantity break on 81327 from ten units) and a trade group."""
    products = {
        p.item_number: p for p in Product.objects.filter(item_number__in=["81327", "81330"])
    }
    retail, created = PriceGroup.objects.get_or_create(
        code="RETAIL", defaults={"name": "USRT retail"}
    )
    if created:
        retail.call_centers.add(*CallCenter.objects.filter(code="USRT-CC"))
        TradeAgreement.objects.create(
            price_group=retail, product=products["81327"], price=Decimal("90.00"), min_quantity=10
        )
    trade, created = PriceGroup.objects.get_or_create(
        code="TRADE", defaults={"name": "Trade customers"}
    )
    if created:
        TradeAgreement.objects.create(
            price_group=trade, product=products["81330"], price=Decimal("69.99")
        )
        TradeAgreement.objects.create(
            price_group=trade, product=products["81330"], price=Decimal("64.99"), min_quantity=5
        )


def _load_tax() -> None:
    """Books are exempt everywhere; Oregon has no sales tax. Elsewhere the center's rate."""
    exempt, created = TaxGroup.objects.get_or_create(
        code="EXEMPT", defaults={"name": "Exempt (books)"}
    )
    if created:
        TaxRate.objects.create(tax_group=exempt, rate=Decimal("0"))
        Product.objects.filter(name__startswith="Notebook").update(tax_group=exempt)
    TaxRate.objects.get_or_create(
        tax_group=None, country="US", state="OR", defaults={"rate": Decimal("0")}
    )
