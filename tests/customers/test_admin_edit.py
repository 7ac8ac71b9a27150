"""A customer changed in the admin is recorded as the clerk's edit is: one "changed"
customer event with who and what changed, the primary delivery address included."""

import pytest
from django.urls import reverse

from customers.models import CustomerEvent
from tests.callcenter.test_admin import inline
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def karen():
    return CustomerFactory(
        name="Karen Berg", account_number="2001", phone="+15550102001", email="k@example.com"
    )


def save(client, customer, address=None, **values):
    """Post the customer's admin page as it is, but for ``values`` and, on the primary
    delivery address, ``address``."""
    primary = customer.addresses.get()
    row = {
        "id": primary.pk,
        "customer": customer.pk,
        "purpose": primary.purpose,
        "is_primary": "on",
        "street": primary.street,
        "city": primary.city,
        "state": primary.state,
        "postal_code": primary.postal_code,
        "country": primary.country,
        **(address or {}),
    }
    data = {
        "company": customer.company,
        "account_number": customer.account_number,
        "name": customer.name,
        "phone": customer.phone,
        "email": customer.email,
        "customer_group": "",
        "credit_limit": "",
        "erased_at_0": "",
        "erased_at_1": "",
        **inline("addresses", [row], initial=1),
        **values,
    }
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_an_admin_edit_of_a_customer_is_recorded_as_a_customer_event(superuser_client, karen):
    save(superuser_client, karen, name="Karen Berg-Olsen", address={"city": "Portland"})
    karen.refresh_from_db()
    assert karen.name == "Karen Berg-Olsen"
    assert karen.addresses.get().city == "Portland"
    event = karen.events.get(type=CustomerEvent.Type.CHANGED)
    assert event.user.username == "root"
    assert event.parameters["changes"] == {
        "name": {"from": "Karen Berg", "to": "Karen Berg-Olsen"},
        "address.city": {"from": "Seattle", "to": "Portland"},
    }


def test_an_admin_save_that_changes_nothing_records_nothing(superuser_client, karen):
    save(superuser_client, karen)
    assert not karen.events.filter(type=CustomerEvent.Type.CHANGED).exists()


def test_a_manager_s_admin_edit_is_recorded_with_their_name(manager_client, manager, karen):
    save(manager_client, karen, email="karen.berg@example.com")
    event = karen.events.get(type=CustomerEvent.Type.CHANGED)
    assert event.user == manager
    assert event.parameters["changes"] == {
        "email": {"from": "k@example.com", "to": "karen.berg@example.com"}
    }
