"""The large data set generator (``generate_large_data``), at a small size."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from callcenter.models import CallCenter
from customers.generator import generated_customers
from orders import services as order_services
from orders.models import Enrolment, OrderEvent, OrderHold, SalesLine, SalesOrder
from payments.consistency import find_problems
from payments.large_data import generated_products
from payments.models import Payment, PaymentEvent

SMALL = {"customers": 300, "products": 50, "orders": 600}


def generate(**sizes) -> str:
    out = StringIO()
    call_command("generate_large_data", **(SMALL | sizes), stdout=out)
    return out.getvalue()


@pytest.mark.sqlite
@pytest.mark.django_db
def test_the_generator_refuses_sqlite_politely():
    with pytest.raises(CommandError, match="PostgreSQL"):
        generate()


@pytest.mark.postgres
@pytest.mark.django_db
def test_without_the_demo_data_and_debug_off_it_says_to_load_it():
    with pytest.raises(CommandError, match="load_demo"):
        generate()


@pytest.fixture
def generated(db):
    call_command("load_demo", force=True, stdout=StringIO())
    output = generate()
    return CallCenter.objects.get(code="USRT-CC"), output


@pytest.mark.postgres
def test_it_makes_the_rows_asked_for_with_lines_payments_holds_and_events(generated):
    center, output = generated
    assert generated_customers().count() == 300
    assert generated_products().count() == 50
    orders = SalesOrder.objects.filter(call_center=center)
    assert orders.count() == 600
    assert 600 <= SalesLine.objects.filter(order__in=orders).count() <= 600 * 6
    statuses = set(orders.values_list("status", flat=True))
    assert statuses == set(SalesOrder.Status.values)
    assert Payment.objects.filter(order__in=orders).count() >= 500
    assert OrderHold.objects.open().filter(order__in=orders).exists()
    assert Enrolment.objects.exists()
    events = set(OrderEvent.objects.filter(order__in=orders).values_list("type", flat=True))
    assert {"created", "line_added", "payment_added", "submitted", "hold_placed"} <= events
    assert {"created", "captured"} <= set(PaymentEvent.objects.values_list("type", flat=True))
    assert "rows/s" in output


@pytest.mark.postgres
def test_the_generated_orders_break_no_business_rule(generated):
    assert list(find_problems()) == []


@pytest.mark.postgres
def test_the_demo_users_see_the_generated_orders_customers_and_holds(generated, client):
    center, _output = generated
    held = OrderHold.objects.open().select_related("order").first().order
    client.force_login(center.channel_users.get(user__username="clerk").user)
    assert client.get(reverse("orders:detail", args=[held.number])).status_code == 200
    page = client.get(reverse("customers:detail", args=[held.customer_id]))
    assert page.status_code == 200
    assert held.number in page.content.decode()
    client.force_login(center.channel_users.get(user__username="supervisor").user)
    queue = client.get(reverse("holds:queue"), {"sort": "newest"})
    assert queue.status_code == 200
    assert "USRT-" in queue.content.decode()


@pytest.mark.postgres
def test_new_orders_are_numbered_after_the_generated_ones(generated):
    center, _output = generated
    clerk = center.channel_users.get(user__username="clerk").user
    assert SalesOrder.objects.order_by("-pk").first().number == "USRT-000600"
    order = order_services.create_order(
        call_center=center, customer=generated_customers().first(), by=clerk
    )
    assert order.number == "USRT-000601"


@pytest.mark.postgres
def test_a_second_run_tops_the_set_up_or_says_it_is_there(generated):
    assert "already there" in generate()
    generate(orders=650)
    assert SalesOrder.objects.count() == 650
    assert list(find_problems()) == []
