"""Personal data: the audit trail of views, export and erasure from the admin."""

import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from customers.models import Customer, CustomerEvent, CustomerNote
from customers.services import add_note, update_customer
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def karen(clerk):
    customer = CustomerFactory(name="Karen Berg", phone="+15550102001", email="karen@example.com")
    add_note(customer=customer, by=clerk, text="Prefers morning calls.")
    update_customer(
        customer=customer,
        by=clerk,
        values={"name": "Karen Berg-Olsen"},
        address={"city": "Portland"},
    )
    customer.refresh_from_db()
    return customer


def act(client, action, customers, **extra):
    return client.post(
        reverse("admin:customers_customer_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in customers], **extra},
    )


def test_opening_a_customer_page_is_recorded_but_not_shown_as_a_change(client, clerk, karen):
    client.force_login(clerk)
    content = client.get(reverse("customers:detail", args=[karen.pk])).content.decode()
    viewed = karen.events.get(type=CustomerEvent.Type.VIEWED)
    assert viewed.user == clerk
    assert "Customer page viewed" not in content


def test_the_admin_exports_everything_held_about_a_customer(admin_client, karen):
    response = act(admin_client, "export_personal_data", [karen])
    assert response["Content-Disposition"] == 'attachment; filename="personal-data.json"'
    [data] = json.loads(response.content)
    assert data["name"] == "Karen Berg-Olsen"
    assert data["email"] == "karen@example.com"
    assert data["addresses"][0]["city"] == "Portland"
    assert [note["text"] for note in data["notes"]] == ["Prefers morning calls."]
    assert karen.events.filter(type=CustomerEvent.Type.EXPORTED).count() == 1


def test_erasure_asks_for_confirmation_first(admin_client, karen):
    response = act(admin_client, "erase_personal_data", [karen])
    assert response.status_code == 200
    assert "This cannot be undone." in response.content.decode()
    karen.refresh_from_db()
    assert karen.name == "Karen Berg-Olsen"
    assert karen.erased_at is None


def test_erasure_anonymises_the_customer_their_notes_and_their_change_history(admin_client, karen):
    response = act(admin_client, "erase_personal_data", [karen], confirm="yes")
    assert response.status_code == 302
    erased = Customer.objects.get(pk=karen.pk)
    assert erased.name == f"Erased customer {karen.account_number}"
    assert (erased.phone, erased.email, erased.phone_digits) == ("", "", "")
    assert erased.is_blocked and erased.erased_at is not None
    assert not erased.addresses.exists()
    assert list(CustomerNote.objects.filter(customer=erased).values_list("text", flat=True)) == [
        "—"
    ]
    dumped = json.dumps([event.parameters for event in erased.events.all()])
    assert "Karen" not in dumped and "Portland" not in dumped
    assert erased.events.filter(type=CustomerEvent.Type.ERASED).count() == 1


def test_an_erased_customer_is_no_longer_found_by_their_old_name_or_phone(clerk, client, karen):
    from customers.privacy import erase_customer

    erase_customer(customer=karen, by=clerk)
    client.force_login(clerk)
    for query in ["Karen", "555 010 2001", "karen@example.com"]:
        content = client.get(reverse("customers:service"), {"q": query}).content.decode()
        assert karen.account_number not in content, query


def test_an_erased_customers_order_takes_no_new_delivery_address(clerk, karen):
    from customers.privacy import erase_customer
    from orders import services
    from orders.errors import InvalidOrderData
    from tests.factories import make_order

    order = make_order(clerk=clerk, customer=karen)
    erase_customer(customer=karen, by=clerk)
    order.refresh_from_db()
    with pytest.raises(InvalidOrderData, match="personal data was erased"):
        services.update_header(
            order=order,
            by=clerk,
            version=order.version,
            delivery_mode=order.delivery_mode,
            delivery_address="7 Secret Lane, Portland, OR 97201, US",
        )
    order.refresh_from_db()
    assert "Secret Lane" not in order.delivery_address
    # the mode of delivery is changed as ever
    services.update_header(
        order=order, by=clerk, version=order.version, delivery_mode=order.delivery_mode
    )
