import uuid
from decimal import Decimal

import pytest

from orders.models import OrderEvent, SalesOrder
from payments import services
from payments.errors import PaymentError, SubmitRefused
from payments.models import Payment, PaymentEvent
from tests.concurrency import run_together
from tests.factories import (
    ChannelUserFactory,
    PaymentMethodFactory,
    ProductFactory,
    make_order,
    offer,
)


@pytest.fixture
def cash(call_center):
    return offer(call_center, PaymentMethodFactory())


@pytest.fixture
def order(clerk):
    """One 100.00 item by 99 Standard: 120.00 with charges and tax."""
    return make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])


def pay(order, by, method, amount, key=None):
    return services.add_payment(
        order=order,
        by=by,
        method=method,
        amount=Decimal(amount),
        idempotency_key=key or uuid.uuid4(),
    )


def submit(order, by, key=None):
    return services.submit_order(order=order, by=by, idempotency_key=key or uuid.uuid4())


@pytest.mark.django_db
class TestPayments:
    def test_cash_is_captured_and_recorded_on_the_order_and_the_payment(self, order, clerk, cash):
        payment = pay(order, clerk, cash, "120.00")
        order.refresh_from_db()
        assert payment.status == Payment.Status.CAPTURED
        assert order.amount_paid == Decimal("120.00")
        assert order.payment_status == SalesOrder.PaymentStatus.COVERED
        assert list(payment.events.values_list("type", flat=True)) == [
            PaymentEvent.Type.CREATED,
            PaymentEvent.Type.CAPTURED,
        ]
        assert order.events.filter(type=OrderEvent.Type.PAYMENT_ADDED).count() == 1

    def test_a_replayed_payment_is_taken_once(self, order, clerk, cash):
        key = uuid.uuid4()
        first = pay(order, clerk, cash, "50.00", key)
        again = pay(order, clerk, cash, "50.00", key)
        assert again.pk == first.pk
        assert order.payments.count() == 1
        order.refresh_from_db()
        assert order.amount_paid == Decimal("50.00")
        assert order.payment_status == SalesOrder.PaymentStatus.PARTIAL

    def test_a_key_used_on_another_order_is_refused(self, order, clerk, cash):
        key = uuid.uuid4()
        pay(order, clerk, cash, "10.00", key)
        other = make_order(clerk=clerk, lines=[(ProductFactory(), 1)])
        with pytest.raises(PaymentError):
            pay(other, clerk, cash, "10.00", key)
        assert not other.payments.exists()

    @pytest.mark.parametrize("amount", ["0", "-5", "120.01"])
    def test_amounts_that_are_not_due_are_refused(self, order, clerk, cash, amount):
        with pytest.raises(PaymentError):
            pay(order, clerk, cash, amount)
        assert not order.payments.exists()

    def test_a_method_the_call_center_does_not_offer_is_refused(self, order, clerk):
        card = PaymentMethodFactory(code="CARD", name="Card", tender_type="card")
        with pytest.raises(PaymentError, match="not accepted"):
            pay(order, clerk, card, "10.00")

    def test_nothing_more_is_taken_once_the_balance_is_covered(self, order, clerk, cash):
        pay(order, clerk, cash, "120.00")
        with pytest.raises(PaymentError, match="Nothing is due"):
            pay(order, clerk, cash, "1.00")


@pytest.mark.django_db
class TestSubmitGate:
    def test_submit_is_refused_while_nothing_is_paid(self, order, clerk, cash):
        with pytest.raises(SubmitRefused, match=r"120\.00"):
            submit(order, clerk)
        order.refresh_from_db()
        assert order.status == SalesOrder.Status.DRAFT
        assert order.events.filter(type=OrderEvent.Type.SUBMIT_REFUSED).count() == 1

    def test_submit_is_refused_while_a_balance_is_due(self, order, clerk, cash):
        pay(order, clerk, cash, "100.00")
        with pytest.raises(SubmitRefused, match=r"20\.00"):
            submit(order, clerk)
        order.refresh_from_db()
        assert order.status == SalesOrder.Status.DRAFT

    def test_submit_succeeds_when_payments_cover_the_balance(self, order, clerk, cash):
        pay(order, clerk, cash, "70.00")
        pay(order, clerk, cash, "50.00")
        submitted = submit(order, clerk)
        assert submitted.status == SalesOrder.Status.SUBMITTED
        assert submitted.submitted_at is not None
        assert submitted.events.filter(type=OrderEvent.Type.SUBMITTED).count() == 1

    def test_the_gate_reprices_instead_of_trusting_stored_totals(self, order, clerk, cash):
        pay(order, clerk, cash, "120.00")
        # someone raised the shipping charge after the summary was shown
        order.delivery_mode.charge = Decimal("25.00")
        order.delivery_mode.save()
        with pytest.raises(SubmitRefused, match=r"15\.00"):
            submit(order, clerk)
        order.refresh_from_db()
        assert order.total == Decimal("135.00")
        assert order.payment_status == SalesOrder.PaymentStatus.PARTIAL

    def test_an_order_without_lines_cannot_be_submitted(self, clerk, cash):
        empty = make_order(clerk=clerk)
        with pytest.raises(SubmitRefused, match="at least one line"):
            submit(empty, clerk)

    def test_an_order_without_lines_takes_no_payment(self, clerk, cash):
        empty = make_order(clerk=clerk)  # its shipping charge alone is due
        with pytest.raises(PaymentError, match="Add at least one line before you take a payment"):
            pay(empty, clerk, cash, "10.00")
        assert not Payment.objects.filter(order=empty).exists()
        assert not empty.events.filter(type=OrderEvent.Type.PAYMENT_ADDED).exists()

    def test_an_order_without_lines_cannot_be_completed(self, clerk):
        from orders.errors import InvalidTransition
        from orders.services import complete_order

        empty = make_order(clerk=clerk)
        with pytest.raises(InvalidTransition, match="before you complete the order"):
            complete_order(order=empty, by=clerk)
        assert not empty.events.filter(type=OrderEvent.Type.COMPLETED).exists()

    def test_a_replayed_submit_does_one_thing(self, order, clerk, cash):
        pay(order, clerk, cash, "120.00")
        key = uuid.uuid4()
        submit(order, clerk, key)
        again = submit(order, clerk, key)
        assert again.status == SalesOrder.Status.SUBMITTED
        assert order.events.filter(type=OrderEvent.Type.SUBMITTED).count() == 1

    def test_a_second_submit_of_a_submitted_order_is_refused(self, order, clerk, cash):
        pay(order, clerk, cash, "120.00")
        submit(order, clerk)
        with pytest.raises(SubmitRefused, match="already submitted"):
            submit(order, clerk)

    def test_without_order_completion_an_order_is_submitted_without_payment(
        self, order, clerk, call_center
    ):
        call_center.order_completion_enabled = False
        call_center.save()
        assert submit(order, clerk).status == SalesOrder.Status.SUBMITTED


@pytest.mark.django_db(transaction=True)
class TestConcurrency:
    """Two clerks, or one double click, at the same instant."""

    def test_two_submits_at_once_submit_the_order_once(self, order, clerk, cash):
        pay(order, clerk, cash, "120.00")
        supervisor = ChannelUserFactory(call_center=order.call_center).user
        results, errors = run_together(
            lambda: submit(order, clerk), lambda: submit(order, supervisor)
        )
        assert sum(r is not None for r in results) == 1
        assert sum(isinstance(e, SubmitRefused) for e in errors) == 1
        assert order.events.filter(type=OrderEvent.Type.SUBMITTED).count() == 1

    def test_a_double_clicked_payment_is_taken_once(self, order, clerk, cash):
        key = uuid.uuid4()
        results, errors = run_together(
            lambda: pay(order, clerk, cash, "120.00", key),
            lambda: pay(order, clerk, cash, "120.00", key),
        )
        assert errors == [None, None]
        assert results[0].pk == results[1].pk
        assert order.payments.count() == 1

    def test_two_clerks_paying_the_whole_balance_at_once_cannot_overpay(self, order, clerk, cash):
        other = ChannelUserFactory(call_center=order.call_center).user
        results, errors = run_together(
            lambda: pay(order, clerk, cash, "120.00"), lambda: pay(order, other, cash, "120.00")
        )
        assert sum(r is not None for r in results) == 1
        assert sum(isinstance(e, PaymentError) for e in errors) == 1
        order.refresh_from_db()
        assert order.amount_paid == Decimal("120.00")

    def test_submit_racing_a_line_added_after_payment_never_submits_unpaid(
        self, order, clerk, cash
    ):
        from orders import services as order_services

        pay(order, clerk, cash, "120.00")
        product = ProductFactory(price=Decimal("50.00"))
        _, errors = run_together(
            lambda: order_services.add_line(order=order, by=clerk, product=product, quantity=1),
            lambda: submit(order, clerk),
        )
        order.refresh_from_db()
        assert order.lines.count() == 2
        if order.status == SalesOrder.Status.SUBMITTED:
            # submit went first, as paid; the line then edited the submitted order, whose
            # balance is now due (release refuses it until it is collected)
            assert errors == [None, None]
            assert order.total - order.amount_paid == Decimal("55.00")
        else:
            # the line went first: the gate saw the new balance and refused
            assert isinstance(errors[1], SubmitRefused)
