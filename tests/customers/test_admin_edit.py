"""A customer changed in the admin is recorded as the clerk's edit is: one "changed"
customer event with who and what changed, the primary delivery address included."""

import pytest
from django.urls import reverse

from customers.models import CustomerEvent
from tests.callcenter.test_admin import inline
from tests.callcenter.test_admin_manager_records import customer_form
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def karen():
    return CustomerFactory(
        name="Karen Berg", account_number="2001", phone="+15550102001", email="k@example.com"
    )


def change_form(customer, rows):
    """The customer's admin page as posted, its address rows ``rows`` (the saved first)."""
    return customer_form(
        company=customer.company,
        account_number=customer.account_number,
        name=customer.name,
        phone=customer.phone,
        email=customer.email,
        **inline("addresses", rows, initial=1),
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
    data = change_form(customer, [row]) | values
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


def test_another_address_added_on_the_customer_s_page_is_recorded_with_its_purpose(
    superuser_client, karen
):
    primary = karen.addresses.get()
    rows = [
        {
            "id": primary.pk,
            "customer": karen.pk,
            "purpose": primary.purpose,
            "is_primary": "on",
            **{f: getattr(primary, f) for f in ["street", "city", "state", "postal_code"]},
            "country": primary.country,
        },
        {
            "customer": karen.pk,
            "purpose": "invoice",
            "is_primary": "on",
            "street": "9 Pay Street",
            "city": "Tacoma",
            "state": "WA",
            "postal_code": "98402",
            "country": "US",
        },
    ]
    data = change_form(karen, rows)
    url = reverse("admin:customers_customer_change", args=[karen.pk])
    assert superuser_client.post(url, data).status_code == 302
    event = karen.events.get(type=CustomerEvent.Type.CHANGED)
    assert event.parameters["changes"]["address[invoice].city"] == {"from": "", "to": "Tacoma"}
    assert ("City (Invoice)", "", "Tacoma") in event.changed_fields()


def test_an_address_changed_or_deleted_on_the_addresses_page_is_recorded(superuser_client, karen):
    address = karen.addresses.get()
    url = reverse("admin:customers_address_change", args=[address.pk])
    data = {
        "customer": karen.pk,
        "purpose": address.purpose,
        "is_primary": "on",
        "street": address.street,
        "city": "Bellevue",
        "state": address.state,
        "postal_code": address.postal_code,
        "country": address.country,
    }
    assert superuser_client.post(url, data).status_code == 302
    changed = karen.events.get(type=CustomerEvent.Type.CHANGED)
    assert changed.parameters["changes"] == {"address.city": {"from": "Seattle", "to": "Bellevue"}}

    delete = reverse("admin:customers_address_delete", args=[address.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 302
    deleted = karen.events.filter(type=CustomerEvent.Type.CHANGED).latest("pk")
    assert deleted.parameters["changes"]["address.city"] == {"from": "Bellevue", "to": ""}
    assert deleted.user.username == "root"


def test_a_customer_added_in_the_admin_is_recorded_as_created(superuser_client):
    from customers.models import Customer

    data = customer_form(account_number="7007", name="Ada Admin")
    response = superuser_client.post(reverse("admin:customers_customer_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Customer.objects.get(account_number="7007")
    event = created.events.get()
    assert (event.type, event.user.username) == (CustomerEvent.Type.CREATED, "root")
