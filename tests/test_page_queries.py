"""A page makes as many SQL queries for 30 rows as for one."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders import services as order_services
from payments import services as payment_services
from tests.factories import (
    CustomerFactory,
    PaymentMethodFactory,
    ProductFactory,
    make_order,
    offer,
)

pytestmark = pytest.mark.django_db


def queries_for(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def order_with_lines(clerk, count):
    product = ProductFactory(price=Decimal("10.00"))
    return make_order(clerk=clerk, lines=[(product, 1)] * count)


@pytest.fixture
def logged_in(client, clerk):
    client.force_login(clerk)
    return client


def test_the_order_page_queries_do_not_grow_with_its_lines(logged_in, clerk):
    small, large = order_with_lines(clerk, 1), order_with_lines(clerk, 30)
    one = queries_for(logged_in, reverse("orders:detail", args=[small.number]))
    many = queries_for(logged_in, reverse("orders:detail", args=[large.number]))
    assert many == one


def test_the_summary_queries_do_not_grow_with_lines_or_payments(logged_in, clerk, call_center):
    cash = offer(call_center, PaymentMethodFactory())
    small, large = order_with_lines(clerk, 1), order_with_lines(clerk, 30)
    for order, payments in [(small, 1), (large, 30)]:
        for _ in range(payments):
            payment_services.add_payment(
                order=order,
                by=clerk,
                method=cash,
                amount=Decimal("1.00"),
                idempotency_key=uuid.uuid4(),
            )
    one = queries_for(logged_in, reverse("payments:summary", args=[small.number]))
    many = queries_for(logged_in, reverse("payments:summary", args=[large.number]))
    assert many == one


def test_customer_search_queries_do_not_grow_with_the_results(logged_in):
    CustomerFactory(name="Solo Unique")
    for i in range(30):
        CustomerFactory(name=f"Many Berg {i}")
    one = queries_for(logged_in, reverse("customers:service"), q="Solo")
    many = queries_for(logged_in, reverse("customers:service"), q="Berg")
    assert many == one


def test_the_customer_page_queries_do_not_grow_with_the_order_history(logged_in, clerk):
    quiet, busy = CustomerFactory(), CustomerFactory()
    make_order(clerk=clerk, customer=quiet)
    for _ in range(20):
        order_services.create_order(
            call_center=clerk.channel_memberships.get().call_center, customer=busy, by=clerk
        )
    one = queries_for(logged_in, reverse("customers:detail", args=[quiet.pk]))
    many = queries_for(logged_in, reverse("customers:detail", args=[busy.pk]))
    assert many == one


def test_item_suggestions_make_a_fixed_number_of_queries(logged_in):
    for i in range(30):
        ProductFactory(item_number=f"9{i:04d}")
    ProductFactory(item_number="81327")
    one = queries_for(logged_in, reverse("catalog:suggestions"), item_number="81327")
    many = queries_for(logged_in, reverse("catalog:suggestions"), item_number="9")
    assert many == one
