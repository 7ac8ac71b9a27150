"""The CREDIT hold rule on a submitted order: a payment on account taken after the submit,
and the re-check of holds after a change, look at what the order puts on account as the
submit gate does."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.models import Customer
from orders import services as order_services
from orders.models import HoldSettings, OrderHold, SalesOrder
from tests.factories import CustomerFactory, ProductFactory, make_order
from tests.html import alert_text
from tests.orders.test_holds import open_codes
from tests.payments.conftest import pay, submit

pytestmark = pytest.mark.django_db

NOTE = "on account is above 80.00 % of the credit limit."


@pytest.fixture
def on_account(call_center, tender):
    HoldSettings.objects.create(call_center=call_center, credit_hold_percent=Decimal("80"))
    return tender("on_account")


def submitted_on_account(clerk, method, *, lines=1, payments=1, credit_limit="1000.00"):
    """A submitted order of ``lines`` lines paid on account in ``payments`` payments."""
    customer = CustomerFactory(credit_limit=Decimal(credit_limit))
    order = make_order(
        clerk=clerk,
        customer=customer,
        lines=[(ProductFactory(price=Decimal("100.00")), 1) for _ in range(lines)],
    )
    order = order_services.complete_order(order=order, by=clerk)
    for _ in range(payments - 1):
        pay(order, clerk, method, "1.00")
    order.refresh_from_db()
    pay(order, clerk, method, str(order.total - order.amount_paid))
    submit(order, clerk)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.SUBMITTED and open_codes(order) == []
    return order


def change_quantity(client, order, quantity):
    line = order.lines.order_by("line_number").first()
    return client.post(
        reverse("orders:line_quantity", args=[order.number]),
        {"line": line.pk, "quantity": quantity, "version": order.version},
    )


def pay_balance(client, order, method):
    order.refresh_from_db()
    return client.post(
        reverse("payments:payment_create", args=[order.number]),
        {
            "method": method.pk,
            "amount": str(order.total - order.amount_paid),
            "idempotency_key": uuid.uuid4(),
        },
    )


def test_a_balance_paid_on_account_after_the_submit_puts_the_order_on_credit_hold(
    logged_in, clerk, on_account
):
    """120.00 on account at submit is within 80 % of 1,000.00; 8 units, paid on account
    after the submit, are not: the order is held and is not released."""
    order = submitted_on_account(clerk, on_account)
    assert change_quantity(logged_in, order, 8).status_code == 302
    order.refresh_from_db()
    assert Decimal("800") < order.total <= Decimal("1000")
    assert open_codes(order) == []  # nothing more on account yet

    assert pay_balance(logged_in, order, on_account).status_code == 302
    order.refresh_from_db()
    assert order.amount_paid == order.total
    assert open_codes(order) == ["CREDIT"]
    hold = OrderHold.objects.get(order=order)
    assert hold.details["on_account"] == str(order.total)
    page = logged_in.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert 'id="order-hold-badge"' in page and NOTE in page
    refused = logged_in.post(reverse("holds:release", args=[order.number]))
    assert refused.status_code == 409
    assert "is on hold and cannot be released" in alert_text(refused)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.SUBMITTED


def test_a_change_of_a_submitted_order_applies_the_credit_rule_to_its_on_account_total(
    logged_in, clerk, on_account
):
    """The customer's credit limit lowered since the submit: 120.00 on account is now
    above 80 % of 140.00, and the next change of the order puts it on CREDIT hold."""
    order = submitted_on_account(clerk, on_account)
    Customer.objects.filter(pk=order.customer_id).update(credit_limit=Decimal("140.00"))
    response = logged_in.post(
        reverse("orders:header", args=[order.number]),
        {
            "delivery_mode": order.delivery_mode_id,
            "delivery_address": "1 New Street, Springfield",
            "version": order.version,
        },
    )
    assert response.status_code == 302
    assert open_codes(order) == ["CREDIT"]
    assert OrderHold.objects.get(order=order).details["on_account"] == "120.00"


def counted(request) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code == 302, alert_text(response)
    return len(captured)


def test_the_credit_rule_after_the_submit_reads_as_many_queries_for_many_payments(
    logged_in, clerk, on_account
):
    """A change of a submitted order and a payment on account after the submit: the same
    count for one line and one payment as for 30 lines and 4 payments on account."""

    def change_then_pay(order):
        customer = Customer.objects.filter(pk=order.customer_id)
        # the credit limit lowered since the submit: the change holds the order
        customer.update(credit_limit=order.total + 1)
        changed = counted(lambda: change_quantity(logged_in, order, 2))
        assert open_codes(order) == ["CREDIT"]
        OrderHold.objects.filter(order=order).delete()
        order.refresh_from_db()
        customer.update(credit_limit=order.total)  # the balance fits, above 80 % of it
        paid = counted(lambda: pay_balance(logged_in, order, on_account))
        assert open_codes(order) == ["CREDIT"]
        return changed, paid

    credit = "10000.00"
    change_then_pay(submitted_on_account(clerk, on_account, credit_limit=credit))  # warm up
    few = change_then_pay(submitted_on_account(clerk, on_account, credit_limit=credit))
    many = change_then_pay(
        submitted_on_account(clerk, on_account, lines=30, payments=4, credit_limit=credit)
    )
    assert few == many, (few, many)
