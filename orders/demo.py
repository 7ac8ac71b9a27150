"""Demo data of the orders layer: coupons, price override reasons and limits, a customer
in the trade price group, hold codes and fraud rules. Only ``manage.py load_demo`` calls
this; idempotent."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from callcenter.models import ChannelUser
from catalog.models import PriceGroup
from customers.models import Customer

from .models import (
    Coupon,
    CustomerPriceGroup,
    FraudRule,
    HoldCode,
    HoldSettings,
    PriceOverrideLimit,
    PriceOverrideReason,
    ReturnReason,
)

RETURN_REASONS = [
    ("DAMAGED", "Arrived damaged", True),
    ("WRONG-ITEM", "Wrong item shipped", True),
    ("NOT-WANTED", "No longer wanted", False),
    ("LATE", "Arrived too late", False),
]
REASONS = [
    ("PRICE-MATCH", "Price match with a competitor"),
    ("DAMAGED", "Damaged or open-box item"),
    ("GOODWILL", "Goodwill after a complaint"),
]


#: the company of the demo coupons (coupons loaded before coupons had a company keep none:
#: they are every company's, as they were)
DEMO_COMPANY = "USRT"


def load() -> None:
    today = timezone.localdate()
    Coupon.objects.get_or_create(
        code="SAVE5",
        defaults={
            "company": DEMO_COMPANY,
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
            "company": DEMO_COMPANY,
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
            "company": DEMO_COMPANY,
            "description": "Last winter's coupon (expired)",
            "kind": Coupon.Kind.AMOUNT,
            "value": Decimal("25.00"),
            "valid_to": today - datetime.timedelta(days=60),
        },
    )
    for code, description in REASONS:
        PriceOverrideReason.objects.get_or_create(code=code, defaults={"description": description})
    for code, description, refund_shipping in RETURN_REASONS:
        ReturnReason.objects.get_or_create(
            code=code, defaults={"description": description, "refund_shipping": refund_shipping}
        )
    for role, percent in [(ChannelUser.Role.CLERK, "10"), (ChannelUser.Role.SUPERVISOR, "30")]:
        PriceOverrideLimit.objects.get_or_create(
            call_center=None, role=role, defaults={"max_percent_below": Decimal(percent)}
        )
    trade = PriceGroup.objects.filter(code="TRADE").first()
    customer = Customer.objects.filter(company="USRT", account_number="2004").first()
    if trade and customer:
        CustomerPriceGroup.objects.get_or_create(customer=customer, defaults={"price_group": trade})

    load_holds()

    from .demo_continuity import load as load_continuity

    load_continuity()


HOLD_CODES = [
    # code, name, reason required to clear, lowest role that clears it
    # (names shown in the reader's language: HoldCode.shown_name)
    ("FRAUD", gettext_noop("Fraud check"), True, ChannelUser.Role.SUPERVISOR),
    ("CREDIT", gettext_noop("Credit check"), True, ChannelUser.Role.SUPERVISOR),
    ("PRICE", gettext_noop("Price override review"), True, ChannelUser.Role.SUPERVISOR),
    ("RESEARCH", gettext_noop("Research before release"), True, ChannelUser.Role.SUPERVISOR),
    (
        "CUSTOMER-REQUEST",
        gettext_noop("Held at the customer's request"),
        False,
        ChannelUser.Role.CLERK,
    ),
]

# The seed walk-through (Karen Berg 2001, one 81327, 120.00) matches none of these.
FRAUD_RULES = [
    ("Blocked e-mail domains", FraudRule.Kind.EMAIL, "@mailinator.com\n@fraud.example", None, 100),
    ("Order total above 2,000", FraudRule.Kind.TOTAL_ABOVE, "", Decimal("2000"), 100),
    ("First order above 500", FraudRule.Kind.FIRST_ORDER_ABOVE, "", Decimal("500"), 60),
    ("Delivery address differs from invoice", FraudRule.Kind.ADDRESS_DIFFERS, "", None, 40),
]


def load_holds() -> None:
    for code, name, reason_required, role in HOLD_CODES:
        HoldCode.objects.get_or_create(
            code=code,
            defaults={"name": name, "reason_required": reason_required, "clear_role": role},
        )
    for name, kind, values, amount, score in FRAUD_RULES:
        FraudRule.objects.get_or_create(
            name=name, defaults={"kind": kind, "values": values, "amount": amount, "score": score}
        )
    from callcenter.models import CallCenter

    for center in CallCenter.objects.filter(code__in=["USRT-CC", "FABR-CC"]):
        HoldSettings.objects.get_or_create(
            call_center=center,
            defaults={"fraud_threshold": 100, "credit_hold_percent": Decimal("80")},
        )
