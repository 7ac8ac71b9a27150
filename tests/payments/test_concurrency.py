"""Two clerks (or a double click) at the same instant, in threads with their own connections.

On PostgreSQL the row locks (``select_for_update``) decide who waits; on SQLite
every write transaction starts ``IMMEDIATE`` and the database lock does. Either
way exactly one wins and nothing is duplicated.
"""

import uuid
from decimal import Decimal

import pytest

from orders.models import OrderEvent, SalesOrder
from payments.errors import PaymentError, SubmitRefused
from payments.models import Payment
from tests.concurrency import run_together
from tests.factories import (
    ChannelUserFactory,
    CustomerFactory,
    GiftCardFactory,
    ProductFactory,
    make_order,
)
from tests.payments.conftest import cancel, card, pay, submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def other(order):
    """A second clerk of the same call center."""
    return ChannelUserFactory(call_center=order.call_center).user


def test_two_clerks_adding_the_last_payment_by_card_and_cash_take_only_one(
    order, clerk, other, tender
):
    card_method, cash = tender("card"), tender("cash")
    results, errors = run_together(
        lambda: pay(order, clerk, card_method, "120.00", card=card()),
        lambda: pay(order, other, cash, "120.00"),
    )
    assert sum(r is not None for r in results) == 1
    assert sum(isinstance(e, PaymentError) for e in errors) == 1
    order.refresh_from_db()
    assert order.amount_paid == Decimal("120.00")
    assert order.payments.filter(status__in=Payment.GOOD_STATUSES).count() == 1


def test_a_double_clicked_card_payment_is_authorized_once(order, clerk, tender):
    key, method = uuid.uuid4(), tender("card")
    results, errors = run_together(
        lambda: pay(order, clerk, method, "120.00", key, card=card()),
        lambda: pay(order, clerk, method, "120.00", key, card=card()),
    )
    assert errors == [None, None]
    assert results[0].pk == results[1].pk
    assert order.payments.get().events.filter(type="authorized").count() == 1


def test_one_payment_form_key_posted_on_two_orders_at_once_pays_one_of_them(
    order, clerk, other, tender
):
    cash, key = tender("cash"), uuid.uuid4()
    second = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])
    results, errors = run_together(
        lambda: pay(order, clerk, cash, "120.00", key),
        lambda: pay(second, other, cash, "120.00", key),
    )
    assert sum(r is not None for r in results) == 1
    (error,) = [e for e in errors if e is not None]
    assert isinstance(error, PaymentError)  # seen as used, or refused by the key's index
    payment = Payment.objects.get(idempotency_key=key)
    loser = second if payment.order_id == order.pk else order
    loser.refresh_from_db()
    assert loser.amount_paid == 0
    assert not loser.payments.exists()
    assert not loser.events.filter(type=OrderEvent.Type.PAYMENT_ADDED).exists()


def test_two_submits_of_a_card_paid_order_submit_and_capture_once(order, clerk, other, tender):
    payment = pay(order, clerk, tender("card"), "120.00", card=card())
    results, errors = run_together(lambda: submit(order, clerk), lambda: submit(order, other))
    assert sum(r is not None for r in results) == 1
    assert sum(isinstance(e, SubmitRefused) for e in errors) == 1
    assert order.events.filter(type=OrderEvent.Type.SUBMITTED).count() == 1
    assert payment.events.filter(type="captured").count() == 1


def test_the_last_payment_racing_a_submit_never_submits_unpaid(order, clerk, other, tender):
    cash = tender("cash")
    pay(order, clerk, cash, "100.00")
    _, errors = run_together(lambda: pay(order, clerk, cash, "20.00"), lambda: submit(order, other))
    order.refresh_from_db()
    if order.status == SalesOrder.Status.SUBMITTED:
        assert errors == [None, None]
    else:
        assert isinstance(errors[1], SubmitRefused)
    assert order.status == SalesOrder.Status.DRAFT or order.amount_paid == order.total


def test_one_gift_card_on_two_orders_at_once_is_never_overdrawn(order, clerk, other, tender):
    gift_card = GiftCardFactory(balance=Decimal("100.00"))
    second = make_order(clerk=other, lines=[(ProductFactory(), 1)])
    method = tender("gift_card")
    results, errors = run_together(
        lambda: pay(order, clerk, method, "100.00", gift_card_number=gift_card.number),
        lambda: pay(second, other, method, "100.00", gift_card_number=gift_card.number),
    )
    assert sum(r is not None for r in results) == 1
    assert sum(isinstance(e, PaymentError) for e in errors) == 1
    gift_card.refresh_from_db()
    assert gift_card.balance == 0
    assert Payment.objects.filter(gift_card=gift_card).count() == 1


def test_two_orders_on_account_at_once_stay_within_the_credit_limit(clerk, other, tender):
    customer = CustomerFactory(credit_limit=Decimal("150.00"))
    first = make_order(clerk=clerk, customer=customer, lines=[(ProductFactory(), 1)])
    second = make_order(clerk=other, customer=customer, lines=[(ProductFactory(), 1)])
    method = tender("on_account")
    results, errors = run_together(
        lambda: pay(first, clerk, method, "120.00"), lambda: pay(second, other, method, "120.00")
    )
    assert sum(r is not None for r in results) == 1
    assert sum(isinstance(e, PaymentError) for e in errors) == 1


def test_cancel_racing_a_payment_leaves_nothing_captured_on_a_cancelled_order(
    order, clerk, other, tender
):
    cash = tender("cash")
    run_together(lambda: pay(order, clerk, cash, "120.00"), lambda: cancel(order, other))
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.CANCELLED
    assert not order.payments.filter(status__in=Payment.GOOD_STATUSES).exists()
