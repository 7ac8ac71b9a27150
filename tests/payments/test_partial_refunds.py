"""Partial refunds: part of a payment goes back to its tender; ``Payment.amount`` stays."""

import uuid
from decimal import Decimal

import pytest

from orders import services as order_services
from payments import services
from payments.consistency import find_problems
from payments.errors import PaymentError
from payments.gateways import get_gateway
from payments.models import Payment, PaymentEvent, PaymentRefund
from payments.selectors import amount_paid, order_summary
from tests.factories import GiftCardFactory, ProductFactory, make_order
from tests.payments.conftest import card, pay, submit

pytestmark = pytest.mark.django_db


def refund(order, by, payment, amount, key=None):
    return services.refund_payment(
        order=order,
        by=by,
        payment_id=payment.pk,
        amount=Decimal(amount),
        idempotency_key=key or uuid.uuid4(),
    )


def test_a_partial_card_refund_goes_through_the_gateway(clerk, tender):
    cheap, dear = ProductFactory(price=Decimal("10.00")), ProductFactory(price=Decimal("100.00"))
    order = make_order(clerk=clerk, lines=[(dear, 1), (cheap, 1)])  # 131.00
    payment = pay(order, clerk, tender("card"), "131.00", card=card())
    submit(order, clerk)  # captures the card
    order_services.remove_line(order=order, by=clerk, line_id=order.lines.get(product=cheap).pk)
    key = uuid.uuid4()
    refund(order, clerk, payment, "11.00", key)  # what the removed line cost
    assert get_gateway().charges[payment.card_token]["refunds"] == {str(key): Decimal("11.00")}
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CAPTURED
    assert payment.amount == Decimal("131.00")
    assert amount_paid(order=order) == Decimal("120.00")


def test_a_partial_gift_card_refund_restores_that_much_of_its_balance(order, clerk, tender):
    gift_card = GiftCardFactory(balance=Decimal("120.00"))
    payment = pay(order, clerk, tender("gift_card"), "120.00", gift_card_number=gift_card.number)
    refund(order, clerk, payment, "30.00")
    gift_card.refresh_from_db()
    assert gift_card.balance == Decimal("30.00")


@pytest.mark.parametrize("kind", ["cash", "check"])
def test_a_partial_cash_or_check_refund_is_recorded(order, clerk, tender, kind):
    details = {"check_number": "1001"} if kind == "check" else {}
    payment = pay(order, clerk, tender(kind), "120.00", **details)
    refund(order, clerk, payment, "15.50")
    assert list(PaymentRefund.objects.values_list("amount", flat=True)) == [Decimal("15.50")]
    assert payment.events.filter(type=PaymentEvent.Type.REFUNDED).count() == 1
    order.refresh_from_db()
    assert order.amount_paid == Decimal("104.50")


def test_a_payment_can_be_refunded_in_parts_up_to_its_amount(order, clerk, tender):
    payment = pay(order, clerk, tender("cash"), "120.00")
    refund(order, clerk, payment, "20.00")
    refund(order, clerk, payment, "100.00")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert amount_paid(order=order) == 0


def test_a_replayed_partial_refund_does_one_thing(order, clerk, tender):
    payment = pay(order, clerk, tender("cash"), "120.00")
    key = uuid.uuid4()
    refund(order, clerk, payment, "20.00", key)
    refund(order, clerk, payment, "20.00", key)
    assert PaymentRefund.objects.count() == 1
    assert amount_paid(order=order) == Decimal("100.00")


def test_refunding_more_than_is_left_is_refused(order, clerk, tender):
    payment = pay(order, clerk, tender("cash"), "120.00")
    refund(order, clerk, payment, "100.00")
    with pytest.raises(PaymentError, match=r"20\.00"):
        refund(order, clerk, payment, "20.01")
    assert amount_paid(order=order) == Decimal("20.00")


def test_the_summary_counts_a_payment_less_its_refunds(order, clerk, tender):
    payment = pay(order, clerk, tender("cash"), "120.00")
    refund(order, clerk, payment, "20.00")
    order.refresh_from_db()
    summary = order_summary(order=order)
    assert (summary.paid, summary.balance) == (Decimal("100.00"), Decimal("20.00"))


def test_partial_refunds_leave_the_ledger_consistent(order, clerk, tender):
    payment = pay(order, clerk, tender("cash"), "120.00")
    refund(order, clerk, payment, "20.00")
    assert list(find_problems()) == []


def test_the_ledger_and_the_database_count_what_is_paid_alike(order, clerk, tender):
    """``paid_by`` (over the ledger a service read) and ``amount_paid`` (two sums in the
    database) are the same rule: good payments less their refunds."""
    from payments.errors import GatewayUnavailable, PaymentDeclined
    from payments.selectors import ledger, paid_by
    from tests.payments.conftest import DECLINED, TIMEOUT

    cash = pay(order, clerk, tender("cash"), "50.00")
    refund(order, clerk, cash, "10.00")
    with pytest.raises(PaymentDeclined):
        pay(order, clerk, tender("card"), "20.00", card=card(DECLINED))
    with pytest.raises(GatewayUnavailable):
        pay(order, clerk, tender("card"), "20.00", card=card(TIMEOUT))
    pay(order, clerk, tender("check"), "30.00", check_number="1001")
    order.refresh_from_db()
    assert amount_paid(order=order) == paid_by(ledger(order)) == Decimal("70.00")
    assert order.amount_paid == Decimal("70.00")


def test_the_key_of_a_void_does_not_refund_another_payment(order, clerk, tender):
    voided = pay(order, clerk, tender("card"), "20.00", card=card())  # authorized
    cash = pay(order, clerk, tender("cash"), "100.00")
    key = uuid.uuid4()
    services.refund_payment(order=order, by=clerk, payment_id=voided.pk, idempotency_key=key)
    voided.refresh_from_db()
    assert voided.status == Payment.Status.VOIDED
    with pytest.raises(PaymentError, match="This refund form was already used"):
        services.refund_payment(order=order, by=clerk, payment_id=cash.pk, idempotency_key=key)
    cash.refresh_from_db()
    assert cash.status == Payment.Status.CAPTURED
    assert not PaymentRefund.objects.exists()
    assert amount_paid(order=order) == Decimal("100.00")


def test_the_key_of_a_refund_does_not_void_another_payment(order, clerk, tender):
    cash = pay(order, clerk, tender("cash"), "100.00")
    authorized = pay(order, clerk, tender("card"), "20.00", card=card())
    key = uuid.uuid4()
    services.refund_payment(order=order, by=clerk, payment_id=cash.pk, idempotency_key=key)
    with pytest.raises(PaymentError, match="This refund form was already used"):
        services.refund_payment(
            order=order, by=clerk, payment_id=authorized.pk, idempotency_key=key
        )
    authorized.refresh_from_db()
    assert authorized.status == Payment.Status.AUTHORIZED
