"""The order's delivery address and its tax jurisdiction change together: one of the
customer's delivery addresses chosen on the header, or an address typed with its state
and country; the tax follows."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import TaxRate
from customers.models import Address
from orders import services
from orders.errors import InvalidOrderData
from orders.history import describe
from orders.models import OrderEvent, SalesOrder
from payments import services as payment_services
from payments.selectors import order_summary
from tests.factories import (
    AddressFactory,
    CustomerFactory,
    PaymentMethodFactory,
    ProductFactory,
    make_order,
    offer,
)
from tests.html import alert_text
from tests.test_query_counts import count_queries

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PORTLAND = "1 Pine St, Portland, OR 97201, US"


@pytest.fixture(autouse=True)
def oregon_pays_no_tax():
    TaxRate.objects.create(country="US", state="OR", rate=Decimal("0"))


@pytest.fixture
def customer():
    """Delivered to Seattle (WA, 10 % tax, the call center's rate) unless told otherwise;
    a second delivery address in Portland (OR, no tax)."""
    customer = CustomerFactory()
    AddressFactory(
        customer=customer,
        is_primary=False,
        street="1 Pine St",
        city="Portland",
        state="OR",
        postal_code="97201",
    )
    return customer


@pytest.fixture
def portland(customer):
    return customer.addresses.get(city="Portland")


@pytest.fixture
def order(clerk, customer):
    """One unit at 100.00, 99 Standard (10.00), delivered to Seattle: 10.00 tax."""
    order = make_order(
        clerk=clerk, customer=customer, lines=[(ProductFactory(price=Decimal("100.00")), 1)]
    )
    assert (order.delivery_state, order.tax_total) == ("WA", Decimal("10.00"))
    return order


def header(order, **fields):
    """The header form as the order page posts it, with ``fields`` changed."""
    return {
        "delivery_mode": order.delivery_mode_id,
        "delivery_address": order.delivery_address,
        "delivery_state": order.delivery_state,
        "delivery_country": order.delivery_country,
        "address": order.customer.addresses.get(is_primary=True).pk,
        "version": order.version,
        **fields,
    }


def post(client, order, data, **extra):
    return client.post(reverse("orders:header", args=[order.number]), data, **extra)


# the reviewer's case: the tax follows the new address


def test_an_address_typed_in_another_state_changes_the_tax(clerk, order):
    services.update_header(
        order=order,
        by=clerk,
        version=order.version,
        delivery_mode=order.delivery_mode,
        delivery_address=PORTLAND,
    )
    order.refresh_from_db()
    assert (order.delivery_address, order.delivery_country, order.delivery_state) == (
        PORTLAND,
        "US",
        "OR",
    )
    assert order.tax_total == Decimal("0.00")
    assert order.total == Decimal("110.00")


def test_choosing_another_of_the_customers_addresses_copies_it_and_the_tax_follows(
    logged_in, order, portland
):
    response = post(logged_in, order, header(order, address=portland.pk), **HTMX)
    assert response.status_code == 200, alert_text(response)
    order.refresh_from_db()
    assert (order.delivery_address, order.delivery_country, order.delivery_state) == (
        portland.one_line(),
        "US",
        "OR",
    )
    assert order.tax_total == Decimal("0.00")
    # the header shows it chosen, and the typed address with its state and country
    content = response.content.decode()
    assert f'<option value="{portland.pk}" selected>{portland.one_line()}</option>' in content
    assert 'name="delivery_state" id="header_delivery_state" value="OR"' in content


def test_the_order_page_offers_the_customers_delivery_addresses_only(logged_in, order):
    AddressFactory(customer=order.customer, purpose=Address.Purpose.INVOICE, city="Tacoma")
    response = logged_in.get(reverse("orders:detail", args=[order.number]))
    content = response.content.decode()
    start = content.index('name="address"')
    select = content[start : content.index("</select>", start)]
    assert "Seattle" in select and "Portland" in select and "Tacoma" not in select
    assert "(the address typed below)" in select
    assert '<label for="header_delivery_state"' in content
    assert '<label for="header_delivery_country"' in content


def test_a_typed_address_takes_the_state_and_country_given_with_it(logged_in, order):
    data = header(
        order,
        delivery_address="1 New Street, Springfield",
        delivery_state="OR",
        delivery_country="US",
    )
    assert post(logged_in, order, data).status_code == 302
    order.refresh_from_db()
    assert (order.delivery_address, order.delivery_state) == ("1 New Street, Springfield", "OR")
    assert order.tax_total == Decimal("0.00")


def test_a_typed_address_whose_end_names_its_state_takes_it_when_the_state_is_left(
    logged_in, order
):
    """The clerk types the Portland address and leaves State or region (WA) as it was."""
    assert post(logged_in, order, header(order, delivery_address=PORTLAND)).status_code == 302
    order.refresh_from_db()
    assert (order.delivery_country, order.delivery_state) == ("US", "OR")
    assert order.tax_total == Decimal("0.00")


def test_a_typed_address_whose_end_names_another_state_than_the_one_given_is_refused(
    logged_in, order
):
    before = order.version
    response = post(logged_in, order, header(order, delivery_address=PORTLAND, delivery_state="CA"))
    assert response.status_code == 400
    assert "This address is in OR, US" in alert_text(response)
    order.refresh_from_db()
    assert (order.version, order.delivery_state) == (before, "WA")
    assert order.delivery_address.startswith("1 Main Street")


def test_a_country_that_is_not_two_letters_is_refused(logged_in, order):
    data = header(order, delivery_address="1 New Street, Springfield", delivery_country="USA")
    response = post(logged_in, order, data)
    assert response.status_code == 400
    assert "Enter the two-letter country code" in alert_text(response)
    order.refresh_from_db()
    assert order.delivery_address.startswith("1 Main Street")


def test_an_address_chosen_and_one_typed_at_once_are_refused(logged_in, order, portland):
    data = header(order, address=portland.pk, delivery_address="2 Other Road, Springfield")
    response = post(logged_in, order, data)
    assert response.status_code == 400
    assert "not both" in alert_text(response)
    order.refresh_from_db()
    assert order.delivery_state == "WA"


def test_a_post_of_the_mode_of_delivery_alone_leaves_the_address(logged_in, order):
    before = (order.delivery_address, order.delivery_country, order.delivery_state)
    response = post(
        logged_in, order, {"delivery_mode": order.delivery_mode_id, "version": order.version}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.delivery_address, order.delivery_country, order.delivery_state) == before


# another customer's address


def test_another_customers_address_is_refused_and_nothing_changes(logged_in, order):
    elsewhere = AddressFactory(customer=CustomerFactory(address=None), state="OR", city="Bend")
    before, events = order.version, order.events.count()
    response = post(logged_in, order, header(order, address=elsewhere.pk), **HTMX)
    assert response.status_code == 400
    assert "Choose one of the customer's addresses." in alert_text(response)
    order.refresh_from_db()
    assert (order.version, order.delivery_state, order.tax_total) == (
        before,
        "WA",
        Decimal("10.00"),
    )
    assert "Bend" not in order.delivery_address
    assert order.events.count() == events


def test_the_service_refuses_another_customers_address(clerk, order):
    elsewhere = AddressFactory(customer=CustomerFactory(address=None), state="OR")
    with pytest.raises(InvalidOrderData) as refused:
        services.update_header(
            order=order,
            by=clerk,
            version=order.version,
            delivery_mode=order.delivery_mode,
            address=elsewhere,
        )
    assert refused.value.field == "address"
    order.refresh_from_db()
    assert order.delivery_state == "WA"


# the event


def test_the_header_change_event_records_the_jurisdiction(clerk, order, portland):
    old = order.delivery_address
    services.update_header(
        order=order,
        by=clerk,
        version=order.version,
        delivery_mode=order.delivery_mode,
        address=portland,
    )
    event = order.events.filter(type=OrderEvent.Type.HEADER_CHANGED).latest("pk")
    assert event.parameters["changes"] == {
        "delivery_address": {"from": old, "to": portland.one_line()},
        "delivery_state": {"from": "WA", "to": "OR"},
    }
    assert "Delivery state: WA → OR" in describe(event)


# a submitted order


def test_a_submitted_order_moved_to_another_state_is_repriced_and_owes_a_refund(
    clerk, call_center, order, portland
):
    cash = offer(call_center, PaymentMethodFactory())
    payment_services.add_payment(
        order=order, by=clerk, method=cash, amount=order.total, idempotency_key=uuid.uuid4()
    )
    payment_services.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.SUBMITTED
    services.update_header(
        order=order,
        by=clerk,
        version=order.version,
        delivery_mode=order.delivery_mode,
        address=portland,
    )
    order.refresh_from_db()
    assert (order.delivery_state, order.tax_total, order.total) == (
        "OR",
        Decimal("0.00"),
        Decimal("110.00"),
    )
    assert order_summary(order=order).refund_due == Decimal("10.00")


# queries


def test_the_order_page_makes_as_many_queries_for_10_addresses_as_for_1(
    counted_client, clerk, django_assert_num_queries
):
    few = make_order(clerk=clerk, customer=CustomerFactory())
    many_customer = CustomerFactory()
    for number in range(9):
        AddressFactory(customer=many_customer, is_primary=False, street=f"{number} Elm St")
    many = make_order(clerk=clerk, customer=many_customer)
    expected = count_queries(counted_client, reverse("orders:detail", args=[few.number]))
    with django_assert_num_queries(expected):
        response = counted_client.get(reverse("orders:detail", args=[many.number]))
    assert response.status_code == 200
    assert response.content.decode().count(" Elm St, Seattle, WA 98101, US</option>") == 9
