"""The clerk's edit of a customer: a stale page never overwrites a newer change, and a
phone left as it is never changes."""

import pytest
from django.test import Client
from django.urls import reverse

from customers.forms import CustomerForm
from customers.models import Customer, CustomerEvent
from tests.customers.test_admin_edit import save as admin_save
from tests.factories import AddressFactory, ChannelUserFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def edit_page(customer) -> dict:
    """What the customer's edit page posts when nothing is changed on it."""
    data = CustomerForm.initial_for(Customer.objects.get(pk=customer.pk))
    return {key: "" if value is None else value for key, value in data.items()}


def edit(client, customer, data):
    return client.post(reverse("customers:edit", args=[customer.pk]), data)


@pytest.fixture
def karen():
    return CustomerFactory(name="Karen Berg", phone="+15550102001", email="k@example.com")


def test_a_stale_edit_page_is_refused_and_the_newer_change_kept(client, clerk, karen, call_center):
    stale = edit_page(karen)  # clerk A opens the edit page
    client.force_login(ChannelUserFactory(call_center=call_center).user)
    assert edit(client, karen, {**stale, "phone": "+1 555 010 9999"}).status_code == 302
    client.force_login(clerk)
    response = edit(client, karen, {**stale, "email": "new@example.com"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "was changed by someone else while you were editing them" in page
    karen.refresh_from_db()
    assert (karen.phone, karen.email, karen.version) == ("+15550109999", "k@example.com", 2)
    assert karen.events.filter(type=CustomerEvent.Type.CHANGED).count() == 1
    # the page now shows the customer as they are, with their version: saving it works
    again = {**edit_page(karen), "email": "new@example.com"}
    assert response.context["form"].initial == CustomerForm.initial_for(karen)
    assert edit(client, karen, again).status_code == 302
    karen.refresh_from_db()
    assert (karen.phone, karen.email, karen.version) == ("+15550109999", "new@example.com", 3)


def test_the_same_edit_sent_twice_is_saved_once(logged_in, karen):
    data = {**edit_page(karen), "name": "Karen Berg-Olsen"}
    assert edit(logged_in, karen, data).status_code == 302
    assert edit(logged_in, karen, data).status_code == 302
    assert karen.events.filter(type=CustomerEvent.Type.CHANGED).count() == 1


def test_an_edit_without_its_version_is_a_form_error(logged_in, karen):
    data = {**edit_page(karen), "name": "Karen Berg-Olsen"}
    del data["version"]
    response = edit(logged_in, karen, data)
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()
    assert Customer.objects.get(pk=karen.pk).name == "Karen Berg"


def test_an_admin_edit_refuses_a_clerks_page_opened_before_it(clerk, superuser_client, karen):
    logged_in = Client()
    logged_in.force_login(clerk)
    stale = edit_page(karen)
    admin_save(superuser_client, karen, name="Karen Berg-Olsen")
    assert edit(logged_in, karen, {**stale, "email": "new@example.com"}).status_code == 409
    karen.refresh_from_db()
    stale = edit_page(karen)
    admin_save(superuser_client, karen, address={"city": "Portland"})
    karen.refresh_from_db()
    assert karen.version == 3
    assert edit(logged_in, karen, {**stale, "email": "new@example.com"}).status_code == 409
    assert Customer.objects.get(pk=karen.pk).name == "Karen Berg-Olsen"


def test_another_address_changed_in_the_admin_bumps_the_version(superuser_client, karen):
    from customers import services

    services.record_changes(customer=karen, by=None, changes={"address[invoice].city": {}})
    assert Customer.objects.get(pk=karen.pk).version == 2


@pytest.mark.parametrize(
    "country, street, postal_code",
    [("GB", "1 High St", "SW1A 1AA"), ("FR", "1 rue de la Paix", "75001")],
)
def test_a_phone_of_another_country_than_the_address_is_kept(
    logged_in, country, street, postal_code
):
    customer = CustomerFactory(name="Karen Berg", phone="+12066543100", address=None)
    AddressFactory(
        customer=customer,
        street=street,
        city="X",
        state="",
        postal_code=postal_code,
        country=country,
    )
    data = edit_page(customer)
    assert data["phone"] == "+1 206-654-3100"
    response = edit(logged_in, customer, {**data, "email": "new@example.com"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.phone, customer.email) == ("+12066543100", "new@example.com")
    changes = customer.events.get(type=CustomerEvent.Type.CHANGED).parameters["changes"]
    assert "phone" not in changes


def test_a_phone_typed_anew_is_read_with_the_address_country(logged_in):
    customer = CustomerFactory(name="Karen Berg", phone="+12066543100", address=None)
    AddressFactory(customer=customer, state="", postal_code="75001", country="FR")
    response = edit(logged_in, customer, {**edit_page(customer), "phone": "01 23 45 67 89"})
    assert response.status_code == 302
    assert Customer.objects.get(pk=customer.pk).phone == "+33123456789"
