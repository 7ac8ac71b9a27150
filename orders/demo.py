"""Demo data of the orders layer: coupons, price override reasons and limits, and a
customer in the trade price group. Only ``manage.py load_demo`` calls this; idempotent."""

import datetime
from decimal import Decimal

from django.utils import timezone

from callcenter.models import ChannelUser
from catalog.models import PriceGroup
from customers.models import Customer

from .models import Coupon, CustomerPriceGroup, PriceOverrideLimit, PriceOverrideReason

REASONS = [
    ("PRICE-MATCH", "Price match with a competitor"),
    ("DAMAGED", "Damaged or open-box item"),
    ("GOODWILL", "Goodwill after a complaint"),
]


def load() -> None:
    today = timezone.localdate()
    Coupon.objects.get_or_create(
        code="SAVE5",
        defaults={
            "description": "5.00 off orders of 50.00 or more, once per customer",
            "kind": Coupon.Kind.AMOUNT,
            "value": Decimal("5.00"),
            "min_order_amount": Decimal("50.00"),
            "max_uses_per_customer": 1,
        },
    )
    Coupon.objects.get_or_create(
        code="TAKE10",
        defaults={
            "description": "10 % off every item, the first 100 orders",
            "kind": Coupon.Kind.PERCENT,
            "scope": Coupon.Scope.LINE,
            "value": Decimal("10"),
            "max_uses": 100,
        },
    )
    Coupon.objects.get_or_create(
        code="WINTER25",
        defaults={
            "description": "Last winter's coupon (expired)",
            "kind": Coupon.Kind.AMOUNT,
            "value": Decimal("25.00"),
            "valid_to": today - datetime.timedelta(days=60),
        },
    )
    for code, description in REASONS:
        PriceOverrideReason.objects.get_or_create(code=code, defaults={"description": description})
    for role, percent in [(ChannelUser.Role.CLERK, "10"), (ChannelUser.Role.SUPERVISOR, "30")]:
        PriceOverrideLimit.objects.get_or_create(
            call_center=None, role=role, defaults={"max_percent_below": Decimal(percent)}
        )
    trade = PriceGroup.objects.filter(code="TRADE").first()
    customer = Customer.objects.filter(company="USRT", account_number="2004").first()
    if trade and customer:
        CustomerPriceGroup.objects.get_or_create(customer=customer, defaults={"price_group": trade})
