"""What orders adds to the customer: the price group on their page, their orders' personal data."""

import json
import re
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from catalog.models import PriceGroup
from customers.privacy import erase_customer, export_customer
from orders.models import CustomerPriceGroup, SalesOrder
from tests.factories import (
    ChannelUserFactory,
    CustomerFactory,
    ProductFactory,
    UserFactory,
    make_order,
)
from tests.html import section

pytestmark = pytest.mark.django_db


def test_the_customer_page_shows_the_customer_s_price_group(client, clerk):
    customer = CustomerFactory()
    group = PriceGroup.objects.create(code="TRADE", name="Trade customers")
    CustomerPriceGroup.objects.create(customer=customer, price_group=group)
    client.force_login(clerk)
    content = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert 'id="customer-price-group">TRADE Trade customers<' in content


def test_without_a_price_group_the_page_says_the_call_center_s_prices_apply(client, clerk):
    customer = CustomerFactory()
    client.force_login(clerk)
    content = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert 'id="customer-price-group">The call center\'s prices<' in content


def test_the_export_includes_the_customer_s_orders(clerk):
    customer = CustomerFactory(address__street="12 Elm Street")
    order = make_order(clerk=clerk, customer=customer, lines=[(ProductFactory(), 1)])
    data = export_customer(customer=customer, by=clerk)
    assert [o["number"] for o in data["orders"]] == [order.number]
    assert "12 Elm Street" in data["orders"][0]["delivery_address"]
    json.dumps(data)  # ready for the JSON download


def test_erasure_blanks_the_orders_addresses_and_keeps_their_amounts(clerk):
    customer = CustomerFactory(address__street="12 Elm Street")
    order = make_order(
        clerk=clerk, customer=customer, lines=[(ProductFactory(price=Decimal("100.00")), 1)]
    )
    erase_customer(customer=customer, by=clerk)
    erased = SalesOrder.objects.get(pk=order.pk)
    assert "Elm" not in erased.delivery_address
    assert (erased.number, erased.total) == (order.number, Decimal("120.00"))


def test_the_admin_export_downloads_the_orders_too(client, clerk):
    customer = CustomerFactory()
    order = make_order(clerk=clerk, customer=customer, lines=[(ProductFactory(), 1)])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:customers_customer_changelist"),
        {"action": "export_personal_data", ACTION_CHECKBOX_NAME: [customer.pk]},
    )
    [data] = json.loads(response.content)
    assert data["orders"][0]["number"] == order.number


def test_the_customer_page_shows_the_latest_activity_of_their_orders(client, clerk):
    customer = CustomerFactory()
    order = make_order(clerk=clerk, customer=customer, lines=[(ProductFactory(), 1)])
    other = make_order(clerk=clerk, lines=[(ProductFactory(), 1)])
    client.force_login(clerk)
    activity = section(
        client.get(reverse("customers:detail", args=[customer.pk])), "order-activity"
    )
    assert order.number in activity
    assert "Line added" in activity and clerk.get_username() in activity
    assert other.number not in activity


def test_the_latest_activity_is_the_newest_events_of_any_of_the_customer_s_orders(client, clerk):
    """An old order's new event comes first; events of other customers and of call
    centers the clerk is not in are not shown, whatever the number of orders."""
    from orders import services

    customer = CustomerFactory()
    old = make_order(clerk=clerk, customer=customer, lines=[(ProductFactory(), 1)])
    for _ in range(20):
        make_order(clerk=clerk, customer=customer, lines=[(ProductFactory(), 1)])
    elsewhere = ChannelUserFactory().user  # a clerk of another call center, same company
    hidden = make_order(clerk=elsewhere, customer=customer, lines=[(ProductFactory(), 1)])
    make_order(clerk=clerk, lines=[(ProductFactory(), 1)])  # another customer's
    services.complete_order(order=old, by=clerk)
    services.complete_order(order=hidden, by=elsewhere)
    client.force_login(clerk)
    activity = section(
        client.get(reverse("customers:detail", args=[customer.pk])), "order-activity"
    )
    rows = re.findall(r"<li[^>]*>(.*?)</li>", activity, re.S)
    assert len(rows) == 15
    assert old.number in rows[0] and "Totals calculated" in rows[0]
    assert hidden.number not in activity


def test_the_activity_outside_a_request_s_memberships_keeps_to_the_user_s_call_centers(rf, clerk):
    """Read for a user whose call centers were not read with a request (a command, a
    test): the same events, the other center's left out."""
    from orders.contributions import _activity_context

    customer = CustomerFactory()
    mine = make_order(clerk=clerk, customer=customer, lines=[(ProductFactory(), 1)])
    elsewhere = ChannelUserFactory().user
    make_order(clerk=elsewhere, customer=customer, lines=[(ProductFactory(), 1)])
    request = rf.get("/")
    request.user = clerk
    activity = _activity_context(request, customer=customer)["activity"]
    assert {event.order_id for event, _words in activity} == {mine.pk}
    assert len(activity) == mine.events.count()


def test_a_header_change_reads_with_the_field_s_name_in_the_history(client, clerk):
    from orders.history import describe
    from orders.models import OrderEvent

    order = make_order(clerk=clerk, lines=[(ProductFactory(), 1)])
    event = order.events.filter(type=OrderEvent.Type.HEADER_CHANGED).first()
    assert describe(event).startswith("Mode of delivery: ")
