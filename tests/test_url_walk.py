"""Every URL of the application, walked by users who must not get through.

The list of URLs is read from the URL configuration, so a new page is walked as
soon as it exists. Object ids come from another company's call center: its
customer, its order. Nobody outside that center may read or change them.
"""

from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from callcenter.models import ChannelUser
from orders.models import OrderEvent, SalesOrder
from payments.models import Payment
from tests.factories import (
    CallCenterFactory,
    ChannelUserFactory,
    CustomerFactory,
    ProductFactory,
    UserFactory,
    make_order,
)

pytestmark = pytest.mark.django_db

#: not the application's own pages: Django's admin (its own permission checks), the
#: login and logout pages, the language switch
SKIPPED_PREFIXES = ("admin", "i18n")
SKIPPED_NAMES = {"login", "logout", "set_language"}


def application_urls():
    """(name, route parameters) of every named URL of the application."""

    def walk(resolver, prefix="", namespace=""):
        for entry in resolver.url_patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                if route.startswith(SKIPPED_PREFIXES):
                    continue
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry, prefix + route, inner)
            elif isinstance(entry, URLPattern) and entry.name and entry.name not in SKIPPED_NAMES:
                yield namespace + entry.name, sorted(entry.pattern.converters)

    return sorted(set((name, tuple(params)) for name, params in walk(get_resolver())))


URLS = application_urls()
URLS_WITH_IDS = [(name, params) for name, params in URLS if params]


@pytest.fixture
def elsewhere(db):
    """Another company's call center, with a customer and an order of its own."""
    center = CallCenterFactory(code="FABR-CC", company="FABR")
    their_clerk = ChannelUserFactory(call_center=center).user
    customer = CustomerFactory(company="FABR", credit_limit=Decimal("500.00"))
    order = make_order(
        clerk=their_clerk, customer=customer, lines=[(ProductFactory(), 1)], call_center=center
    )
    return {"customer": customer, "order": order}


def url_for(name, params, elsewhere):
    values = {
        "pk": elsewhere["customer"].pk,
        "customer_pk": elsewhere["customer"].pk,
        "number": elsewhere["order"].number,
    }
    kwargs = {param: values.get(param, 1) for param in params}
    return reverse(name, kwargs=kwargs)


def test_the_walk_covers_the_order_taking_pages():
    names = {name for name, _ in URLS}
    assert {"customers:detail", "orders:detail", "orders:add_line", "payments:submit"} <= names
    assert len(URLS_WITH_IDS) >= 15


@pytest.mark.parametrize(("name", "params"), URLS)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, elsewhere, name, params):
    url = url_for(name, params, elsewhere)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (302, 405), (method, url, response.status_code)
        if response.status_code == 302:
            assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("name", "params"), URLS_WITH_IDS)
def test_a_clerk_of_another_company_reaches_none_of_its_records(
    client, clerk, elsewhere, name, params
):
    client.force_login(clerk)
    client.raise_request_exception = False
    order = elsewhere["order"]
    events_before = order.events.count()
    url = url_for(name, params, elsewhere)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (403, 404, 405), (method, url, response.status_code)
    assert order.events.count() == events_before
    assert not Payment.objects.filter(order=order).exists()
    assert SalesOrder.objects.get(pk=order.pk).status == SalesOrder.Status.DRAFT


@pytest.mark.parametrize(("name", "params"), URLS)
def test_a_user_who_is_no_channel_user_gets_nothing(client, elsewhere, name, params):
    client.force_login(UserFactory())
    client.raise_request_exception = False
    url = url_for(name, params, elsewhere)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (403, 404, 405), (method, url, response.status_code)
    assert not OrderEvent.objects.filter(user__channel_memberships=None).exists()


@pytest.fixture
def our_order(clerk):
    return make_order(clerk=clerk, lines=[(ProductFactory(), 1)])


ORDER_URLS = [(name, params) for name, params in URLS if "number" in params]


@pytest.mark.parametrize("role", [role for role, _ in ChannelUser.Role.choices])
@pytest.mark.parametrize(("name", "params"), ORDER_URLS)
def test_no_role_of_another_call_center_of_the_company_reaches_its_orders(
    client, our_order, role, name, params
):
    # same company, so the customers are shared; the orders belong to their call center
    other_center = CallCenterFactory(company=our_order.call_center.company)
    client.force_login(ChannelUserFactory(call_center=other_center, role=role).user)
    client.raise_request_exception = False
    url = reverse(
        name, kwargs={param: our_order.number if param == "number" else 1 for param in params}
    )
    events_before = our_order.events.count()
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (403, 404, 405), (role, method, url, response.status_code)
    assert our_order.events.count() == events_before
