"""What a customer may buy on account is a supervisor's to set (``set_credit_limit``):
a clerk's customer form has no credit limit, and one posted anyway changes nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from callcenter.models import ChannelUser
from customers.models import Customer
from tests.customers.test_customer_pages import new_customer
from tests.factories import ChannelUserFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor_client(client, call_center):
    supervisor = ChannelUserFactory(call_center=call_center, role=ChannelUser.Role.SUPERVISOR)
    client.force_login(supervisor.user)
    return client


def test_a_clerks_new_customer_has_no_credit_whatever_is_posted(logged_in):
    page = logged_in.get(reverse("customers:create"))
    assert "credit_limit" not in page.context["form"].fields
    assert 'name="credit_limit"' not in page.content.decode()
    logged_in.post(reverse("customers:create"), new_customer(credit_limit="5000"))
    assert Customer.objects.get(name="Zoë Martin").credit_limit is None


def test_a_clerks_edit_keeps_the_customers_credit_limit(logged_in):
    customer = CustomerFactory(credit_limit=Decimal("100.00"))
    data = new_customer(credit_limit="5000")
    assert logged_in.post(reverse("customers:edit", args=[customer.pk]), data).status_code == 302
    customer.refresh_from_db()
    assert (customer.name, customer.credit_limit) == ("Zoë Martin", Decimal("100.00"))


def test_a_supervisor_sets_a_credit_limit(supervisor_client):
    customer = CustomerFactory(credit_limit=None)
    page = supervisor_client.get(reverse("customers:edit", args=[customer.pk]))
    assert 'name="credit_limit"' in page.content.decode()
    data = new_customer(credit_limit="500.00")
    supervisor_client.post(reverse("customers:edit", args=[customer.pk]), data)
    customer.refresh_from_db()
    assert customer.credit_limit == Decimal("500.00")
    changes = customer.events.latest("pk").parameters["changes"]
    assert changes["credit_limit"] == {"from": "", "to": "500.00"}


def test_the_credit_limit_is_read_only_in_the_admin_without_the_permission(
    manager_client, superuser_client, manager
):
    from django.contrib.auth.models import Group

    customer = CustomerFactory(company="USRT")
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    # a manager's role gives credit (it carries the supervisor's permissions)
    assert "credit_limit" not in manager_client.get(url).context["adminform"].readonly_fields
    group = Group.objects.get(name="Call center managers")
    group.permissions.remove(*group.permissions.filter(codename="set_credit_limit"))
    manager = type(manager).objects.get(pk=manager.pk)  # permissions read again
    manager_client.force_login(manager)
    assert "credit_limit" in manager_client.get(url).context["adminform"].readonly_fields
