"""A manager sees in the admin the customers of the companies of the call centers they
manage, and the orders, payments and their records of those centers, and no others:
another company's customer or another center's order is missing to them, as in the
clerk's pages. Superusers see everything."""

import json
import uuid
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db.models import ForeignKey
from django.test import RequestFactory
from django.urls import reverse

from callcenter.admin import ManagedCallCenterMixin
from callcenter.models import ChannelUser
from customers.models import Customer, CustomerEvent
from customers.services import update_customer
from orders import holds
from orders.models import HoldCode, SalesOrder
from payments import services as payments
from payments.models import Payment
from tests.callcenter.test_admin import inline
from tests.factories import (
    CallCenterFactory,
    CatalogRequestFactory,
    ChannelUserFactory,
    CustomerFactory,
    PaymentMethodFactory,
    ProductFactory,
    UserFactory,
    make_order,
    offer,
)
from tests.test_query_counts import count_queries

pytestmark = pytest.mark.django_db

CUSTOMERS = reverse("admin:customers_customer_changelist")


@pytest.fixture
def other_clerk(elsewhere):
    return ChannelUser.objects.get(call_center=elsewhere).user


@pytest.fixture
def ours():
    return CustomerFactory(company="USRT", name="Karen Berg", account_number="U-1")


@pytest.fixture
def theirs():
    return CustomerFactory(company="CONTOSO", name="Fabian Fabrikam", account_number="F-1")


def paid_order(clerk, customer):
    """An order of the clerk's center with a line and a cash payment."""
    order = make_order(clerk=clerk, customer=customer, lines=[(ProductFactory(), 1)])
    cash = offer(order.call_center, PaymentMethodFactory())
    payments.add_payment(
        order=order, by=clerk, method=cash, amount=Decimal("10.00"), idempotency_key=uuid.uuid4()
    )
    return order


def grant(user, app_label, codename):
    """A permission an administrator may give the managers' role group beyond its own."""
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def is_missing(response):
    """Django's answer for an object that does not exist: back to the admin's index, saying so."""
    said = [str(m) for m in get_messages(response.wsgi_request)]
    return (
        response.status_code == 302
        and response.url == reverse("admin:index")
        and any("doesn’t exist" in message for message in said)
    )


def act(client, action, customers, **extra):
    return client.post(
        CUSTOMERS, {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in customers], **extra}
    )


# customers


def test_a_manager_lists_and_finds_only_their_companies_customers(manager_client, ours, theirs):
    page = manager_client.get(CUSTOMERS).content.decode()
    assert change_url(ours) in page and change_url(theirs) not in page
    for term in ("Fabian", "F-1", theirs.email):
        page = manager_client.get(CUSTOMERS, {"q": term}).content.decode()
        assert change_url(theirs) not in page and "0 customers" in page, term
    assert change_url(ours) in manager_client.get(CUSTOMERS, {"q": "berg"}).content.decode()


def test_another_company_s_customer_is_missing_to_a_manager(manager_client, ours, theirs):
    for view in ("change", "history"):
        url = reverse(f"admin:customers_customer_{view}", args=[theirs.pk])
        assert is_missing(manager_client.get(url)), view
    response = manager_client.post(change_url(theirs), {"name": "Changed"})
    assert is_missing(response)
    theirs.refresh_from_db()
    assert theirs.name == "Fabian Fabrikam"
    assert manager_client.get(change_url(ours)).status_code == 200


def test_a_manager_neither_exports_nor_erases_another_company_s_customer(manager_client, theirs):
    response = act(manager_client, "export_personal_data", [theirs])
    assert json.loads(response.content) == []
    act(manager_client, "erase_personal_data", [theirs], confirm="yes")
    theirs.refresh_from_db()
    assert theirs.erased_at is None and theirs.name == "Fabian Fabrikam"
    assert not theirs.events.filter(
        type__in=[CustomerEvent.Type.EXPORTED, CustomerEvent.Type.ERASED]
    ).exists()


def test_a_manager_exports_and_erases_their_own_company_s_customer(
    manager_client, manager, ours, theirs
):
    response = act(manager_client, "export_personal_data", [ours, theirs])
    assert [data["account_number"] for data in json.loads(response.content)] == ["U-1"]
    act(manager_client, "erase_personal_data", [ours, theirs], confirm="yes")
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.erased_at is not None and theirs.erased_at is None
    assert ours.events.get(type=CustomerEvent.Type.ERASED).user == manager


def customer_form(**values):
    data = {
        "company": "USRT",
        "account_number": "U-2",
        "name": "New Customer",
        "phone": "",
        "email": "",
        "customer_group": "",
        "credit_limit": "",
        "erased_at_0": "",
        "erased_at_1": "",
        **inline("addresses", []),
    }
    return data | values


def test_a_manager_adds_customers_to_their_companies_only(manager_client, elsewhere):
    add = reverse("admin:customers_customer_add")
    form = manager_client.get(add).context["adminform"].form
    assert [value for value, _label in form.fields["company"].choices] == ["USRT"]
    response = manager_client.post(add, customer_form(company="CONTOSO"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["company"]
    assert not Customer.objects.filter(account_number="U-2").exists()
    assert manager_client.post(add, customer_form()).status_code == 302
    assert Customer.objects.get(account_number="U-2").company == "USRT"


def test_a_manager_sees_only_their_companies_addresses_and_customers_to_choose(
    manager_client, ours, theirs
):
    page = manager_client.get(reverse("admin:customers_address_changelist")).content.decode()
    assert "Karen Berg" in page and "Fabian" not in page
    assert is_missing(manager_client.get(change_url(theirs.addresses.get())))
    found = manager_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "customers",
            "model_name": "address",
            "field_name": "customer",
            "term": "Fabian",
        },
    ).json()
    assert found["results"] == []
    response = manager_client.post(
        reverse("admin:customers_address_add"),
        {
            "customer": theirs.pk,
            "purpose": "delivery",
            "street": "2 Side Street",
            "city": "Seattle",
            "postal_code": "98101",
            "country": "US",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["customer"]
    assert theirs.addresses.count() == 1


# orders and payments


def test_a_manager_sees_only_their_centers_orders_and_payments(
    manager_client, clerk, other_clerk, ours, theirs, elsewhere
):
    mine, other = paid_order(clerk, ours), paid_order(other_clerk, theirs)
    orders = manager_client.get(reverse("admin:orders_salesorder_changelist")).content.decode()
    assert mine.number in orders and other.number not in orders
    assert f"call_center__id__exact={elsewhere.pk}" not in orders  # nor the center filter
    assert manager_client.get(change_url(mine)).status_code == 200
    assert is_missing(manager_client.get(change_url(other)))
    listed = manager_client.get(reverse("admin:payments_payment_changelist")).content.decode()
    assert mine.number in listed and other.number not in listed
    assert manager_client.get(change_url(mine.payments.get())).status_code == 200
    assert is_missing(manager_client.get(change_url(other.payments.get())))


def test_the_call_center_filters_offer_a_manager_only_the_centers_they_manage(
    manager_client, manager, call_center, elsewhere
):
    second = CallCenterFactory(code="USRT-2")
    ChannelUserFactory(call_center=second, user=manager, role=ChannelUser.Role.MANAGER)
    grant(manager, "orders", "view_catalogrequest")
    for name in ("orders_salesorder", "orders_catalogrequest"):
        page = manager_client.get(reverse(f"admin:{name}_changelist")).content.decode()
        for center in (call_center, second):
            assert f"call_center__id__exact={center.pk}" in page, name
        assert f"call_center__id__exact={elsewhere.pk}" not in page, name


def test_a_superuser_sees_every_company_s_customers_orders_and_payments(
    superuser_client, clerk, other_clerk, ours, theirs, elsewhere
):
    mine, other = paid_order(clerk, ours), paid_order(other_clerk, theirs)
    page = superuser_client.get(CUSTOMERS).content.decode()
    assert "Karen Berg" in page and "Fabian" in page
    for name in ("orders_salesorder", "payments_payment"):
        page = superuser_client.get(reverse(f"admin:{name}_changelist")).content.decode()
        assert mine.number in page and other.number in page, name
    orders = superuser_client.get(reverse("admin:orders_salesorder_changelist")).content.decode()
    assert f"call_center__id__exact={elsewhere.pk}" in orders
    for obj in (theirs, other, other.payments.get()):
        assert superuser_client.get(change_url(obj)).status_code == 200


# every admin of customers, orders and payments


def refers_to_customers_or_orders(model) -> bool:
    if model in (Customer, SalesOrder):
        return True
    return any(
        isinstance(field, ForeignKey) and field.related_model in (Customer, SalesOrder, Payment)
        for field in model._meta.get_fields()
    )


RECORD_ADMINS = [
    model_admin
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label in ("customers", "orders", "payments")
    and refers_to_customers_or_orders(model)
]


def test_every_admin_of_customers_orders_and_their_records_keeps_managers_to_theirs():
    assert len(RECORD_ADMINS) >= 14
    unscoped = [
        type(a).__name__ for a in RECORD_ADMINS if not isinstance(a, ManagedCallCenterMixin)
    ]
    assert unscoped == []
    # the records shown inline on the page of something else (a coupon's uses) are scoped
    # too: a manager may see the page (a coupon of every company), not every use on it
    inlines = [
        inline_class
        for model, model_admin in admin.site._registry.items()
        if not refers_to_customers_or_orders(model)
        for inline_class in model_admin.inlines
        if refers_to_customers_or_orders(inline_class.model)
    ]
    assert inlines and all(issubclass(i, ManagedCallCenterMixin) for i in inlines)


def test_no_record_admin_shows_a_manager_another_company_s_records(
    manager, other_clerk, theirs, elsewhere
):
    other = paid_order(other_clerk, theirs)
    holds.place_hold(
        order=other,
        code=HoldCode.objects.create(code="CHK", name="Check"),
        by=other_clerk,
        note="Call back",
    )
    CatalogRequestFactory(customer=theirs, call_center=elsewhere)
    update_customer(customer=theirs, by=other_clerk, values={"name": "Fabian F."}, address={})
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)

    def rows(model_admin, user):
        request = RequestFactory().get("/admin/")
        request.user = user
        return model_admin.get_queryset(request)

    seen_by_superuser = 0
    for model_admin in RECORD_ADMINS:
        assert not rows(model_admin, manager).exists(), type(model_admin).__name__
        seen_by_superuser += rows(model_admin, superuser).exists()
    # customers, addresses, their events, orders, lines, order events, holds, catalog
    # requests, payments, payment events
    assert seen_by_superuser >= 10


@pytest.mark.parametrize(
    "model_admin", RECORD_ADMINS, ids=lambda model_admin: type(model_admin).__name__
)
def test_a_manager_s_change_list_makes_as_many_queries_for_many_rows_as_for_one(
    manager_client, manager, clerk, model_admin
):
    """Each list, for a manager their role group was given the permission to see it."""
    opts = model_admin.model._meta
    grant(manager, opts.app_label, f"view_{opts.model_name}")
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    paid_order(clerk, CustomerFactory())
    one = count_queries(manager_client, url)
    for _ in range(3):
        paid_order(clerk, CustomerFactory())
    assert count_queries(manager_client, url) == one
