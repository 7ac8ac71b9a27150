"""Creating and editing customers during a call, notes, screen-pop, the order history."""

import datetime
import re

import pytest
from django.urls import reverse

from customers.models import Customer, CustomerEvent, CustomerNote
from customers.normalize import normalize_phone
from orders.models import SalesOrder
from tests.factories import CustomerFactory, make_order
from tests.html import section

pytestmark = pytest.mark.django_db


def new_customer(**overrides):
    return {
        "name": "Zoë Martin",
        "street": "12 Rue de la Paix",
        "city": "Seattle",
        "state": "WA",
        "postal_code": "98101",
        "country": "US",
        "phone": "(555) 777-1234",
        "email": "Zoe.Martin@Example.com",
        "credit_limit": "",
        "version": "1",  # an edit's (a new customer's form has none)
        **overrides,
    }


def test_a_customer_created_during_a_call_gets_the_next_account_number(logged_in, call_center):
    response = logged_in.post(reverse("customers:create"), new_customer())
    customer = Customer.objects.get(name="Zoë Martin")
    assert response.url == reverse("customers:detail", args=[customer.pk])
    assert customer.account_number == "C-000001"
    assert customer.company == call_center.company
    assert customer.phone == "+15557771234"
    assert customer.email == "zoe.martin@example.com"
    assert customer.primary_address.postal_code == "98101"
    assert customer.events.get().type == CustomerEvent.Type.CREATED
    logged_in.post(reverse("customers:create"), new_customer(name="Other", phone="", email=""))
    assert Customer.objects.get(name="Other").account_number == "C-000002"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12", "too few or too many digits"),
        ("phone", "call me", "Enter a phone number"),
        ("postal_code", "ABC", "Enter a postal code of US"),
        ("email", "not-an-email", "Enter a valid email address"),
        ("country", "USA", "two-letter country code"),
        ("name", "", "This field is required"),
    ],
)
def test_bad_customer_data_is_refused_with_a_message(logged_in, field, value, message):
    response = logged_in.post(reverse("customers:create"), new_customer(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not Customer.objects.filter(name="Zoë Martin").exists()


@pytest.mark.parametrize(
    "same",
    [
        {"phone": "+1 555 777 1234"},
        {"email": "zoe.martin@example.com"},
        {"name": "ZOE MARTIN"},  # and the same postal code
    ],
)
def test_possible_duplicates_are_shown_before_saving(logged_in, same):
    existing = CustomerFactory(
        name="Zoë Martin",
        phone=normalize_phone("555-777-1234") if "phone" in same else "",
        email="zoe.martin@example.com" if "email" in same else "",
    )
    data = new_customer(**{"phone": "", "email": "", **same})
    response = logged_in.post(reverse("customers:create"), data)
    assert response.status_code == 200
    assert existing.account_number in response.content.decode()
    assert "Is the caller one of these customers?" in response.content.decode()
    assert Customer.objects.count() == 1
    confirmed = logged_in.post(reverse("customers:create"), {**data, "confirm_new": "on"})
    assert confirmed.status_code == 302
    assert Customer.objects.count() == 2


def test_every_edit_is_recorded_with_what_changed(logged_in, clerk):
    customer = CustomerFactory(name="Karen Berg", address__city="Seattle")
    data = new_customer(name="Karen Berg-Olsen", city="Portland", postal_code="97201")
    response = logged_in.post(reverse("customers:edit", args=[customer.pk]), data)
    assert response.status_code == 302
    event = customer.events.get(type=CustomerEvent.Type.CHANGED)
    changes = event.parameters["changes"]
    assert changes["name"] == {"from": "Karen Berg", "to": "Karen Berg-Olsen"}
    assert changes["address.city"] == {"from": "Seattle", "to": "Portland"}
    assert event.user == clerk


def test_the_customer_page_shows_who_changed_what(logged_in, clerk):
    customer = CustomerFactory(name="Karen Berg", address__city="Seattle")
    data = new_customer(name="Karen Berg-Olsen", city="Portland", postal_code="97201")
    logged_in.post(reverse("customers:edit", args=[customer.pk]), data)
    response = logged_in.get(reverse("customers:detail", args=[customer.pk]))
    page = response.content.decode()
    history = section(response, "customer-history")
    assert clerk.get_username() in history
    assert "Name “Karen Berg” → “Karen Berg-Olsen”" in history
    assert "City “Seattle” → “Portland”" in history
    assert page.count('id="customer-history"') == 1


def test_in_french_the_page_puts_a_space_before_each_colon_and_semicolon(logged_in, clerk):
    customer = CustomerFactory(name="Karen Berg", address__city="Seattle")
    data = new_customer(name="Karen Berg-Olsen", city="Portland", postal_code="97201")
    logged_in.post(reverse("customers:edit", args=[customer.pk]), data)
    response = logged_in.get(
        reverse("customers:detail", args=[customer.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    page = response.content.decode()
    assert re.search(r"\(principale\)\u00a0: 12 Rue de la Paix", page)
    history = section(response, "customer-history")
    assert re.search(r"Client modifié\u00a0: <span", history), history
    assert "</span>\u00a0; <span" in history
    assert "</span>; <span" not in history


def test_notes_are_added_and_shown_newest_first(logged_in, clerk):
    customer = CustomerFactory()
    url = reverse("customers:add_note", args=[customer.pk])
    logged_in.post(url, {"text": "Asked about delivery times."})
    logged_in.post(url, {"text": "Called back, wants gift wrap."})
    page = logged_in.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert page.index("Called back") < page.index("Asked about")
    assert CustomerNote.objects.filter(customer=customer, author=clerk).count() == 2


def test_an_empty_note_is_refused(logged_in):
    customer = CustomerFactory()
    response = logged_in.post(reverse("customers:add_note", args=[customer.pk]), {"text": "  "})
    assert response.status_code == 400
    assert "Write the note before adding it." in response.content.decode()
    assert not CustomerNote.objects.exists()


def test_a_note_too_long_is_refused_and_kept_in_the_box_to_shorten(logged_in):
    customer = CustomerFactory()
    text = "Long call. " * 200
    response = logged_in.post(reverse("customers:add_note", args=[customer.pk]), {"text": text})
    content = response.content.decode()
    assert response.status_code == 400
    assert re.search(
        r'role="alert"[^>]*>The note was not added: Ensure this value has at most 2000', content
    )
    assert "Long call. Long call." in content
    assert not CustomerNote.objects.exists()


def test_screen_pop_opens_the_one_customer_with_that_number(logged_in):
    customer = CustomerFactory(phone=normalize_phone("555-010-2001"))
    response = logged_in.get(reverse("customers:lookup"), {"phone": "+15550102001"})
    assert response.url == reverse("customers:detail", args=[customer.pk])


def test_screen_pop_shows_the_results_when_several_share_the_number(logged_in):
    CustomerFactory(phone=normalize_phone("555-010-2001"))
    CustomerFactory(phone=normalize_phone("555-010-2001"))
    response = logged_in.get(reverse("customers:lookup"), {"phone": "5550102001"})
    assert response.url == reverse("customers:service") + "?q=5550102001"


def test_screen_pop_offers_a_new_customer_prefilled_with_an_unknown_number(logged_in):
    response = logged_in.get(reverse("customers:lookup"), {"phone": "555-999-0000"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("customers:create"))
    assert 'value="555-999-0000"' in response.content.decode()


def test_screen_pop_does_not_open_another_company_s_customer(logged_in):
    CustomerFactory(company="FABR", phone=normalize_phone("555-010-2001"))
    response = logged_in.get(reverse("customers:lookup"), {"phone": "5550102001"})
    assert response.url.startswith(reverse("customers:create"))


def test_the_order_history_filters_by_status_and_date(logged_in, clerk):
    customer = CustomerFactory()
    old = make_order(clerk=clerk, customer=customer)
    recent = make_order(clerk=clerk, customer=customer)
    SalesOrder.objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2025, 1, 15, 12, tzinfo=datetime.UTC),
        status=SalesOrder.Status.SUBMITTED,
    )
    url = reverse("customers:detail", args=[customer.pk])
    all_orders = section(logged_in.get(url), "order-history")
    assert old.number in all_orders and recent.number in all_orders
    submitted = section(logged_in.get(url, {"status": "submitted"}), "order-history")
    assert old.number in submitted and recent.number not in submitted
    january = section(
        logged_in.get(url, {"created_after": "2025-01-01", "created_before": "2025-01-31"}),
        "order-history",
    )
    assert old.number in january and recent.number not in january
    # newest first
    assert all_orders.index(recent.number) < all_orders.index(old.number)


def test_the_order_history_is_paginated(logged_in, clerk):
    customer = CustomerFactory()
    orders = [make_order(clerk=clerk, customer=customer, delivery_mode=None) for _ in range(12)]
    url = reverse("customers:detail", args=[customer.pk])
    first = section(logged_in.get(url), "order-history")
    second = section(logged_in.get(url, {"orders_page": 2}), "order-history")
    assert orders[-1].number in first and orders[0].number not in first
    assert orders[0].number in second


def test_a_bad_history_date_is_a_message_not_an_error(logged_in, clerk):
    customer = CustomerFactory()
    response = logged_in.get(
        reverse("customers:detail", args=[customer.pk]), {"created_after": "yesterday"}
    )
    assert response.status_code == 200
    assert "Enter dates as year-month-day." in response.content.decode()
