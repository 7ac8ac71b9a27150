"""Refunds of single payments and cancel, which releases every payment of the order."""

import uuid
from decimal import Decimal

import pytest
from django.utils import translation

from orders import services as order_services
from orders.models import OrderEvent, SalesOrder
from payments.errors import PaymentError, SubmitRefused
from payments.gateways import get_gateway
from payments.models import Payment, PaymentEvent
from payments.selectors import order_summary
from tests.factories import GiftCardFactory, ProductFactory
from tests.payments.conftest import cancel, card, pay, refund, submit

pytestmark = pytest.mark.django_db


class TestRefund:
    def test_refunding_a_captured_payment_gives_the_balance_back(self, order, clerk, tender):
        payment = pay(order, clerk, tender("cash"), "120.00")
        refund(order, clerk, payment)
        payment.refresh_from_db()
        order.refresh_from_db()
        assert payment.status == Payment.Status.REFUNDED
        assert order.amount_paid == 0
        assert order.payment_status == SalesOrder.PaymentStatus.NONE
        assert payment.events.filter(type=PaymentEvent.Type.REFUNDED).count() == 1

    def test_an_authorized_card_is_voided_at_the_gateway(self, order, clerk, tender):
        payment = pay(order, clerk, tender("card"), "120.00", card=card())
        refund(order, clerk, payment)
        payment.refresh_from_db()
        assert payment.status == Payment.Status.VOIDED
        assert get_gateway().charges[payment.card_token]["voided"]

    def test_a_replayed_refund_does_one_thing(self, order, clerk, tender):
        payment = pay(order, clerk, tender("cash"), "120.00")
        key = uuid.uuid4()
        refund(order, clerk, payment, key)
        refund(order, clerk, payment, key)
        assert payment.events.filter(type=PaymentEvent.Type.REFUNDED).count() == 1

    def test_a_refunded_payment_cannot_be_refunded_again(self, order, clerk, tender):
        payment = pay(order, clerk, tender("cash"), "120.00")
        refund(order, clerk, payment)
        with pytest.raises(PaymentError, match="nothing to refund"):
            refund(order, clerk, payment)

    def test_refunding_a_gift_card_payment_restores_its_balance(self, order, clerk, tender):
        gift_card = GiftCardFactory(balance=Decimal("50.00"))
        payment = pay(order, clerk, tender("gift_card"), "50.00", gift_card_number=gift_card.number)
        refund(order, clerk, payment)
        gift_card.refresh_from_db()
        assert gift_card.balance == Decimal("50.00")


class TestTotalChangedAfterPayment:
    def test_a_line_added_after_payment_leaves_more_to_collect(self, order, clerk, tender):
        pay(order, clerk, tender("cash"), "120.00")
        order_services.add_line(
            order=order, by=clerk, product=ProductFactory(price=Decimal("50.00")), quantity=1
        )
        order.refresh_from_db()
        summary = order_summary(order=order)
        assert (summary.balance, summary.refund_due) == (Decimal("55.00"), 0)

    def test_a_line_removed_after_payment_shows_a_refund_due_and_blocks_submit(self, clerk, tender):
        from tests.factories import make_order

        cheap, dear = (
            ProductFactory(price=Decimal("10.00")),
            ProductFactory(price=Decimal("100.00")),
        )
        order = make_order(clerk=clerk, lines=[(dear, 1), (cheap, 1)])
        cash = tender("cash")
        payment = pay(order, clerk, cash, str(order.total))
        line = order.lines.get(product=cheap)
        order_services.remove_line(order=order, by=clerk, line_id=line.pk)
        order.refresh_from_db()
        assert order_summary(order=order).refund_due == Decimal("11.00")
        with pytest.raises(SubmitRefused, match=r"11\.00 more than the total"):
            submit(order, clerk)
        with (
            translation.override("fr"),
            pytest.raises(SubmitRefused, match="11,00 ont été payés en trop"),
        ):
            submit(order, clerk)
        # the clerk refunds the payment and takes the new balance
        refund(order, clerk, payment)
        pay(order, clerk, cash, "120.00")
        assert submit(order, clerk).status == SalesOrder.Status.SUBMITTED


class TestCancel:
    def test_cancel_voids_refunds_and_restores_each_payment(self, order, clerk, tender):
        gift_card = GiftCardFactory(balance=Decimal("50.00"))
        gift = pay(order, clerk, tender("gift_card"), "30.00", gift_card_number=gift_card.number)
        authorized = pay(order, clerk, tender("card"), "40.00", card=card())
        cash = pay(order, clerk, tender("cash"), "50.00")
        cancelled = cancel(order, clerk, reason="Duplicate order")
        assert cancelled.status == SalesOrder.Status.CANCELLED
        statuses = dict(order.payments.values_list("pk", "status"))
        assert statuses == {
            gift.pk: Payment.Status.REFUNDED,
            authorized.pk: Payment.Status.VOIDED,
            cash.pk: Payment.Status.REFUNDED,
        }
        gift_card.refresh_from_db()
        assert gift_card.balance == Decimal("50.00")
        assert get_gateway().charges[authorized.card_token]["voided"]
        event = order.events.get(type=OrderEvent.Type.CANCELLED)
        assert event.parameters["reason"] == "Duplicate order"
        order.refresh_from_db()
        assert order.amount_paid == 0

    def test_cancelling_a_submitted_order_refunds_its_captured_card(self, order, clerk, tender):
        payment = pay(order, clerk, tender("card"), "120.00", card=card())
        submit(order, clerk)
        cancel(order, clerk)
        payment.refresh_from_db()
        assert payment.status == Payment.Status.REFUNDED
        assert get_gateway().charges[payment.card_token]["refunded"]

    def test_a_replayed_cancel_does_one_thing(self, order, clerk, tender):
        pay(order, clerk, tender("cash"), "120.00")
        key = uuid.uuid4()
        cancel(order, clerk, key=key)
        cancel(order, clerk, key=key)
        assert order.events.filter(type=OrderEvent.Type.CANCELLED).count() == 1
        assert PaymentEvent.objects.filter(type=PaymentEvent.Type.REFUNDED).count() == 1

    def test_a_cancelled_order_cannot_be_cancelled_again_or_paid(self, order, clerk, tender):
        cancel(order, clerk)
        with pytest.raises(PaymentError, match="cannot be cancelled"):
            cancel(order, clerk)
        with pytest.raises(PaymentError):
            pay(order, clerk, tender("cash"), "1.00")

    def test_a_cancel_needs_a_reason(self, order, clerk):
        with pytest.raises(PaymentError, match="reason"):
            cancel(order, clerk, reason="  ")
        order.refresh_from_db()
        assert order.status == SalesOrder.Status.DRAFT
