"""Faults in the middle of taking money: each leaves the order and its payments fully
applied or not at all, and a retry with the same idempotency key finishes the job once."""

import uuid
from unittest import mock

import pytest
from django.db import OperationalError

from orders import services as order_services
from orders.models import SalesOrder
from payments.errors import GatewayUnavailable
from payments.gateways import GatewayTimeout, TestGateway, get_gateway
from payments.models import Payment, PaymentEvent
from tests.payments.conftest import card, pay, submit

pytestmark = pytest.mark.django_db


class AuthorizesThenTimesOut(TestGateway):
    """The bank authorized the card, but the answer never came back (once)."""

    def __init__(self):
        super().__init__()
        self.lost_answers = 1

    def authorize(self, **kwargs):
        result = super().authorize(**kwargs)
        if self.lost_answers:
            self.lost_answers -= 1
            raise GatewayTimeout("no answer")
        return result


def test_a_card_authorized_while_the_answer_was_lost_is_authorized_once_on_retry(
    order, clerk, tender
):
    gateway = AuthorizesThenTimesOut()
    key, method = uuid.uuid4(), tender("card")
    with mock.patch("payments.services.get_gateway", return_value=gateway):
        with pytest.raises(GatewayUnavailable):
            pay(order, clerk, method, "120.00", key, card=card())
        pending = Payment.objects.get(idempotency_key=key)
        assert pending.status == Payment.Status.PENDING
        order.refresh_from_db()
        assert order.amount_paid == 0  # nothing counted while the bank's answer is unknown
        payment = pay(order, clerk, method, "120.00", key, card=card())
    assert payment.pk == pending.pk
    assert payment.status == Payment.Status.AUTHORIZED
    assert list(gateway.charges) == [payment.card_token]  # one authorization at the bank
    assert payment.events.filter(type=PaymentEvent.Type.AUTHORIZED).count() == 1
    assert Payment.objects.filter(order=order).count() == 1


def test_the_database_failing_mid_submit_leaves_the_order_unsubmitted_then_a_retry_submits(
    order, clerk, tender
):
    payment = pay(order, clerk, tender("card"), "120.00", card=card())
    key = uuid.uuid4()
    with (
        mock.patch.object(
            order_services, "mark_submitted", side_effect=OperationalError("connection lost")
        ),
        pytest.raises(OperationalError),
    ):
        submit(order, clerk, key)
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == SalesOrder.Status.DRAFT
    assert order.submit_key is None
    assert payment.status == Payment.Status.AUTHORIZED  # the capture was rolled back with it
    assert not payment.events.filter(type=PaymentEvent.Type.CAPTURED).exists()

    submitted = submit(order, clerk, key)
    again = submit(order, clerk, key)
    payment.refresh_from_db()
    assert submitted.status == again.status == SalesOrder.Status.SUBMITTED
    assert payment.status == Payment.Status.CAPTURED
    assert payment.events.filter(type=PaymentEvent.Type.CAPTURED).count() == 1
    assert get_gateway().charges[payment.card_token]["captured"]
    assert order.events.filter(type="submitted").count() == 1


def test_a_request_killed_after_the_payment_row_is_written_leaves_no_payment(order, clerk, tender):
    key = uuid.uuid4()
    with (
        mock.patch("payments.events.payment_created", side_effect=SystemExit("worker killed")),
        pytest.raises(SystemExit),
    ):
        pay(order, clerk, tender("cash"), "120.00", key)
    assert not Payment.objects.filter(idempotency_key=key).exists()
    order.refresh_from_db()
    assert order.amount_paid == 0
    payment = pay(order, clerk, tender("cash"), "120.00", key)
    assert payment.status == Payment.Status.CAPTURED
    assert Payment.objects.filter(order=order).count() == 1
