"""A submitted order stays paid: stale pages, refunds, cards taken after the submit, and
submit keys of another order."""

import uuid
from decimal import Decimal

import pytest

from orders import guided_selling
from orders import services as order_services
from orders.errors import ConcurrentEdit, InvalidOrderData
from orders.models import OrderEvent, SalesOrder, UpsellOffer
from payments import services
from payments.errors import PaymentError, SubmitRefused
from payments.models import Payment
from tests.factories import ProductFactory, UpsellRuleFactory, make_order
from tests.payments.conftest import card, pay, refund, submit

pytestmark = pytest.mark.django_db


def submitted(order, clerk, tender):
    pay(order, clerk, tender("cash"), "120.00")
    return submit(order, clerk)


def test_a_page_opened_before_the_submit_cannot_add_a_line_after_it(order, clerk, tender):
    seen = order.version  # the clerk's page
    submitted(order, clerk, tender)
    with pytest.raises(ConcurrentEdit):
        order_services.add_line(
            order=order,
            by=clerk,
            item_number=ProductFactory().item_number,
            quantity=1,
            version=seen,
        )
    order.refresh_from_db()
    assert order.total == Decimal("120.00") and order.lines.count() == 1


def test_a_suggestion_cannot_be_accepted_once_the_order_is_submitted(order, clerk, tender):
    offered = UpsellOffer.objects.create(
        order=order, product=ProductFactory(), rule=UpsellRuleFactory(), offered_by=clerk
    )
    submitted(order, clerk, tender)
    with pytest.raises(InvalidOrderData, match="no longer offered"):
        guided_selling.accept_upsell(order=order, by=clerk, offer_id=offered.pk)
    assert order.lines.count() == 1


def test_a_paid_submitted_order_gives_nothing_back_by_refund(order, clerk, tender):
    payment = Payment.objects.get(pk=pay(order, clerk, tender("cash"), "120.00").pk)
    submit(order, clerk)
    with pytest.raises(PaymentError, match="nothing is due back"):
        refund(order, clerk, payment)
    order.refresh_from_db()
    assert order.amount_paid == Decimal("120.00")
    assert order.payment_status == SalesOrder.PaymentStatus.COVERED


def test_a_refund_on_a_submitted_order_gives_back_what_was_paid_beyond_its_total(clerk, tender):
    cheap, dear = ProductFactory(price=Decimal("10.00")), ProductFactory(price=Decimal("100.00"))
    order = make_order(clerk=clerk, lines=[(dear, 1), (cheap, 1)])
    payment = pay(order, clerk, tender("cash"), str(order.total))
    submit(order, clerk)
    order_services.remove_line(order=order, by=clerk, line_id=order.lines.get(product=cheap).pk)
    with pytest.raises(PaymentError, match=r"Only 11\.00 is due back"):
        services.refund_payment(
            order=order,
            by=clerk,
            payment_id=payment.pk,
            idempotency_key=uuid.uuid4(),
            amount=Decimal("50.00"),
        )
    refund(order, clerk, payment)  # the whole payment asked: what is due back is given
    order.refresh_from_db()
    assert order.amount_paid == order.total == Decimal("120.00")
    # the order's history says what went back, from which payment
    given = order.events.get(type=OrderEvent.Type.PAYMENT_REFUNDED)
    assert given.parameters == {
        "payment": payment.pk,
        "method": payment.method.name,
        "amount": "11.00",
    }


def test_a_card_taken_on_a_submitted_order_is_captured_at_once(order, clerk, tender):
    submitted(order, clerk, tender)
    order_services.add_line(
        order=order,
        by=clerk,
        item_number=ProductFactory(price=Decimal("100.00")).item_number,
        quantity=1,
    )
    order.refresh_from_db()
    payment = pay(order, clerk, tender("card"), str(order.total - order.amount_paid), card=card())
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CAPTURED


def test_a_submit_key_of_another_order_is_refused_not_a_server_error(order, clerk, tender):
    key = uuid.uuid4()
    pay(order, clerk, tender("cash"), "120.00")
    submit(order, clerk, key)
    other = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])
    pay(other, clerk, tender("cash"), "120.00")
    with pytest.raises(SubmitRefused, match="already used for another order"):
        submit(other, clerk, key)
    other.refresh_from_db()
    assert other.status == SalesOrder.Status.DRAFT


def test_an_order_without_a_mode_of_delivery_is_neither_completed_nor_submitted(clerk, tender):
    order = make_order(
        clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)], delivery_mode=None
    )
    with pytest.raises(InvalidOrderData, match="Choose a mode of delivery"):
        order_services.complete_order(order=order, by=clerk)
    pay(order, clerk, tender("cash"), str(order.total))
    with pytest.raises(SubmitRefused, match="Choose a mode of delivery"):
        submit(order, clerk)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.DRAFT


def test_a_mode_of_delivery_no_longer_used_must_be_changed_before_submit(order, clerk, tender):
    pay(order, clerk, tender("cash"), "120.00")
    order.delivery_mode.is_active = False
    order.delivery_mode.save()
    with pytest.raises(SubmitRefused, match="is no longer used: choose another"):
        submit(order, clerk)


def test_cancelling_notes_each_refund_and_void_in_the_order_history(clerk, tender):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])
    cash = pay(order, clerk, tender("cash"), "20.00")
    card_payment = pay(order, clerk, tender("card"), "100.00", card=card())
    services.cancel_order(
        order=order, by=clerk, reason="Customer changed their mind", idempotency_key=uuid.uuid4()
    )
    noted = {
        (event.type, event.parameters["payment"], event.parameters["amount"])
        for event in order.events.filter(
            type__in=[OrderEvent.Type.PAYMENT_REFUNDED, OrderEvent.Type.PAYMENT_VOIDED]
        )
    }
    assert noted == {
        (OrderEvent.Type.PAYMENT_REFUNDED, cash.pk, "20.00"),
        (OrderEvent.Type.PAYMENT_VOIDED, card_payment.pk, "100.00"),
    }


def test_a_cancelled_order_owes_nothing(order, clerk, tender):
    from orders.selectors import order_history
    from payments.selectors import order_summary

    pay(order, clerk, tender("cash"), "20.00")
    services.cancel_order(
        order=order, by=clerk, reason="Customer changed their mind", idempotency_key=uuid.uuid4()
    )
    order.refresh_from_db()
    summary = order_summary(order=order)
    assert summary.balance == summary.refund_due == 0
    assert order_history(customer=order.customer, user=clerk).get(pk=order.pk).balance == 0


def test_a_line_whose_product_is_gone_stops_the_draft_it_is_on(clerk, tender):
    gone = ProductFactory(price=Decimal("100.00"))
    order = make_order(clerk=clerk, lines=[(gone, 1)])
    pay(order, clerk, tender("cash"), str(order.total))
    gone.delete()  # as a database cleaned by hand leaves it: the line without its product
    order.refresh_from_db()
    with pytest.raises(SubmitRefused, match=rf"No longer sold: 1 \({gone.item_number}\)"):
        submit(order, clerk)
    from orders.errors import InvalidTransition

    with pytest.raises(InvalidTransition, match="No longer sold"):
        order_services.complete_order(order=order, by=clerk)


def test_a_product_no_longer_sold_stops_the_draft_it_is_on(clerk, tender):
    stopped = ProductFactory(price=Decimal("100.00"))
    order = make_order(clerk=clerk, lines=[(stopped, 1)])
    pay(order, clerk, tender("cash"), str(order.total))
    stopped.is_active = False
    stopped.save()
    with pytest.raises(SubmitRefused, match=rf"No longer sold: 1 \({stopped.item_number}\)"):
        submit(order, clerk)
    from orders.errors import InvalidTransition

    with pytest.raises(InvalidTransition, match="No longer sold"):
        order_services.complete_order(order=order, by=clerk)
