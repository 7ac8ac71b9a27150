"""An erased customer stays erased: neither the clerk's edit, a note, nor the admin writes
personal data back."""

import pytest
from django.urls import reverse

from customers.errors import CustomerErased
from customers.models import Address, Customer, CustomerEvent, CustomerNote
from customers.privacy import erase_customer
from customers.services import add_note, update_customer
from tests.customers.test_admin_edit import change_form
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

EDIT = {
    "name": "Karen Berg",
    "street": "1 Main",
    "city": "Seattle",
    "state": "WA",
    "postal_code": "98101",
    "country": "US",
    "phone": "555-010-2001",
    "email": "k@example.com",
    "version": "1",
}


@pytest.fixture
def erased(clerk):
    karen = CustomerFactory(name="Karen Berg", phone="+15550102001", email="k@example.com")
    return erase_customer(customer=karen, by=clerk)


def as_erased(customer):
    customer.refresh_from_db()
    return (customer.name, customer.phone, customer.email, customer.addresses.count())


def test_the_edit_of_an_erased_customer_is_refused_and_changes_nothing(logged_in, erased):
    before = as_erased(erased)
    events = erased.events.count()
    url = reverse("customers:edit", args=[erased.pk])
    response = logged_in.post(url, EDIT)
    assert response.status_code == 409
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "were erased: they cannot be edited" in page
    assert as_erased(erased) == before
    assert "Karen Berg" not in before[0]
    assert erased.events.count() == events
    assert logged_in.get(url).status_code == 409


def test_a_note_on_an_erased_customer_is_refused(logged_in, erased):
    notes = CustomerNote.objects.count()
    url = reverse("customers:add_note", args=[erased.pk])
    response = logged_in.post(url, {"text": "Karen Berg, 1 Main Street"})
    assert response.status_code == 409
    assert "were erased: no note can be added" in response.content.decode()
    assert CustomerNote.objects.count() == notes
    assert not erased.events.filter(type=CustomerEvent.Type.NOTE_ADDED).exists()


def test_the_services_refuse_an_erased_customer(clerk, erased):
    with pytest.raises(CustomerErased):
        update_customer(customer=erased, by=clerk, values={"name": "Karen Berg"}, address={})
    with pytest.raises(CustomerErased):
        add_note(customer=erased, by=clerk, text="Karen Berg")
    assert "Karen" not in Customer.objects.get(pk=erased.pk).name


def test_an_erased_customers_page_has_no_edit_or_note(logged_in, erased):
    page = logged_in.get(reverse("customers:detail", args=[erased.pk])).content.decode()
    assert reverse("customers:edit", args=[erased.pk]) not in page
    assert reverse("customers:add_note", args=[erased.pk]) not in page
    assert "Personal data erased" in page


def test_the_admin_shows_an_erased_customer_read_only(superuser_client, erased):
    url = reverse("admin:customers_customer_change", args=[erased.pk])
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    row = {"customer": erased.pk, "purpose": "delivery", "is_primary": "on"}
    row |= {"street": "1 Main Street", "city": "Seattle", "state": "WA"}
    row |= {"postal_code": "98101", "country": "US"}
    data = change_form(erased, [row]) | {"name": "Karen Berg", "phone": "+15550102001"}
    assert superuser_client.post(url, data).status_code == 403
    assert "Karen" not in Customer.objects.get(pk=erased.pk).name
    assert not Address.objects.filter(customer=erased).exists()


def test_the_admin_cannot_clear_the_erasure(superuser_client):
    karen = CustomerFactory(name="Karen Berg")
    url = reverse("admin:customers_customer_change", args=[karen.pk])
    assert "erased_at" not in superuser_client.get(url).context["adminform"].form.fields
