"""Demo continuity program: "Coffee of the month", item 90001, six monthly deliveries,
the first with the order, each charged when it ships. Idempotent."""

from decimal import Decimal

from catalog.models import Product

from .models import ContinuityProgram, ContinuityProgramItem

PRICE = Decimal("25.00")


def load() -> None:
    product, _created = Product.objects.get_or_create(
        item_number="90001", defaults={"name": "Coffee of the month (6 deliveries)", "price": PRICE}
    )
    program, created = ContinuityProgram.objects.get_or_create(
        code="COFFEE-6",
        defaults={
            "name": "Coffee of the month",
            "parent_product": product,
            "interval": 1,
            "interval_unit": ContinuityProgram.Unit.MONTHS,
            "event_count": 6,
            "first_with_order": True,
            "billing": ContinuityProgram.Billing.PER_EVENT,
            "script": (
                "Each month for six months we send you a 500 g bag of our roaster's choice, "
                "25.00 a delivery plus shipping, charged to your card when it ships. "
                "You can skip a month or stop at any time with one call."
            ),
        },
    )
    if created:
        ContinuityProgramItem.objects.create(
            program=program, product=product, quantity=1, price=PRICE
        )
