"""The admin's change lists of tables that grow with the business: a capped count and
exact, indexed searches."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from callcenter.admin_views import CappedCountPaginator
from orders.models import OrderEvent, UpsellOffer
from tests.factories import (
    CatalogRequestFactory,
    CustomerFactory,
    ProductFactory,
    UpsellRuleFactory,
    UserFactory,
    make_order,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_past_the_cap_the_list_says_more_than_and_counts_no_further(
    admin_user_client, clerk, monkeypatch
):
    make_order(clerk=clerk)
    events = OrderEvent.objects.count()
    monkeypatch.setattr(CappedCountPaginator, "cap", events)
    url = reverse("admin:orders_orderevent_changelist")
    page = admin_user_client.get(url).content.decode()
    assert f"{events} order events" in page and "More than" not in page
    make_order(clerk=clerk)
    with CaptureQueriesContext(connection) as captured:
        page = admin_user_client.get(url).content.decode()
    assert f"More than {events} order events: filter or search to find the others" in page
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    # cap + 1 rows at the most, never the whole table
    assert len(counts) == 1 and f"LIMIT {events + 1}" in counts[0]


def test_the_order_list_finds_an_order_by_its_number_or_its_customer_s_account(
    admin_user_client, clerk
):
    karen = CustomerFactory(account_number="K2001")
    first = make_order(clerk=clerk, customer=karen)
    second = make_order(clerk=clerk, customer=karen)
    other = make_order(clerk=clerk)
    url = reverse("admin:orders_salesorder_changelist")

    def listed(term):
        page = admin_user_client.get(url, {"q": term}).content.decode()
        return {n for n in (first.number, second.number, other.number) if n in page}

    assert listed(first.number) == {first.number}
    assert listed("K2001") == {first.number, second.number}
    assert listed(first.number[:-1]) == set()  # exact values only: an index finds them
    page = admin_user_client.get(url, {"q": "x"}).content.decode()
    assert "Exact sales order number or customer account number." in page


def test_the_event_list_finds_an_order_s_events_or_a_user_s(admin_user_client, clerk):
    order = make_order(clerk=clerk)
    make_order(clerk=clerk)
    url = reverse("admin:orders_orderevent_changelist")
    ours = OrderEvent.objects.filter(order=order).count()
    page = admin_user_client.get(url, {"q": order.number}).content.decode()
    assert re.search(rf"\b{ours} order events?\b", page)
    assert OrderEvent.objects.count() > ours
    page = admin_user_client.get(url, {"q": clerk.username}).content.decode()
    assert re.search(rf"\b{OrderEvent.objects.filter(user=clerk).count()} order events\b", page)


def test_a_value_a_field_cannot_hold_finds_nothing_rather_than_failing(admin_user_client):
    url = reverse("admin:payments_payment_changelist")
    response = admin_user_client.get(url, {"q": "not-a-uuid"})
    assert response.status_code == 200
    assert "0 payments" in response.content.decode()


def test_the_customer_list_searches_as_customer_service_does(admin_user_client):
    CustomerFactory(name="Karen Bérg", account_number="C1")
    CustomerFactory(name="Karl Berger", account_number="C2")
    url = reverse("admin:customers_customer_changelist")
    page = admin_user_client.get(url, {"q": "berg karen"}).content.decode()
    assert "Karen Bérg" in page and "Karl Berger" not in page


def counter(client, url, noun):
    """How many rows the change list at ``url`` says a search for a term found."""

    def count(term):
        page = client.get(url, {"q": term}).content.decode()
        return int(re.search(rf"\b(\d+) {noun}\b", page).group(1))

    return count


def test_the_upsell_offer_list_finds_an_order_s_offers_or_a_product_s(admin_user_client, clerk):
    rule = UpsellRuleFactory()
    first, second = ProductFactory(item_number="UP-1"), ProductFactory(item_number="UP-2")
    order, other = make_order(clerk=clerk), make_order(clerk=clerk)
    for on, product in ((order, first), (order, second), (other, second)):
        UpsellOffer.objects.create(order=on, rule=rule, product=product, offered_by=clerk)
    url = reverse("admin:orders_upselloffer_changelist")
    count = counter(admin_user_client, url, "upsell offers?")

    assert count(order.number) == 2
    assert count("UP-2") == 2
    assert count("UP-") == 0  # exact values only: an index finds them
    assert count(rule.name) == 0  # rules are chosen with the filter, not searched
    page = admin_user_client.get(url).content.decode()
    assert "Exact sales order number or item number." in page
    assert 'class="toplinks"' not in page  # its years would read every offer


def test_the_catalog_request_list_finds_a_customer_s_requests(admin_user_client):
    karen = CustomerFactory(account_number="K2001", name="Karen Berg")
    CatalogRequestFactory(customer=karen)
    CatalogRequestFactory(customer=karen)
    CatalogRequestFactory(customer=CustomerFactory(name="Karen Other"))
    url = reverse("admin:orders_catalogrequest_changelist")
    count = counter(admin_user_client, url, "catalog requests?")

    assert count("K2001") == 2
    assert count("Karen") == 0  # names are not searched: no index finds a part of one
    page = admin_user_client.get(url).content.decode()
    assert "Exact customer account number." in page
    assert 'class="toplinks"' not in page


def test_the_hold_list_finds_an_order_s_holds_by_its_exact_number(admin_user_client, clerk):
    from orders import holds
    from orders.models import HoldCode

    order, other = make_order(clerk=clerk), make_order(clerk=clerk)
    code = HoldCode.objects.create(code="CHK", name="Check")
    for on in (order, other):
        holds.place_hold(order=on, code=code, by=clerk, note="call back")
    url = reverse("admin:orders_orderhold_changelist")
    count = counter(admin_user_client, url, "order holds?")

    assert count(order.number) == 1
    assert count("call back") == 0
    assert count(order.number[:-1]) == 0
