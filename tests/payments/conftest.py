import uuid
from decimal import Decimal

import pytest

from payments import services
from tests.factories import TENDERS, PaymentMethodFactory, ProductFactory, make_order, offer

APPROVED = "4111111111111111"
DECLINED = "4000000000000002"
TIMEOUT = "4000000000000119"


@pytest.fixture
def tender(call_center):
    """``tender("card")``: the method of that tender type, offered by the clerk's call center."""

    def make(kind, *, allow_overpayment=False):
        method = PaymentMethodFactory(**TENDERS[kind])
        return offer(call_center, method, allow_overpayment=allow_overpayment)

    return make


@pytest.fixture
def order(clerk):
    """One 100.00 item by 99 Standard: 120.00 with charges and tax."""
    return make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])


def card(number=APPROVED):
    return services.CardDetails(number=number, expiry_month=12, expiry_year=2099, cvv="123")


def pay(order, by, method, amount, key=None, **details):
    return services.add_payment(
        order=order,
        by=by,
        method=method,
        amount=Decimal(amount),
        idempotency_key=key or uuid.uuid4(),
        **details,
    )


def submit(order, by, key=None):
    return services.submit_order(order=order, by=by, idempotency_key=key or uuid.uuid4())


def cancel(order, by, reason="Customer changed their mind", key=None):
    return services.cancel_order(
        order=order, by=by, reason=reason, idempotency_key=key or uuid.uuid4()
    )


def refund(order, by, payment, key=None):
    return services.refund_payment(
        order=order, by=by, payment_id=payment.pk, idempotency_key=key or uuid.uuid4()
    )
