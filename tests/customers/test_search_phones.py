"""Phones typed as callers and clerks type them: the national way, with a trunk prefix
("01 23 45 67 89"), or in full-width digits ("２００１")."""

import pytest
from django.urls import reverse

from customers.normalize import digits_only, phone_suffixes
from customers.selectors import customer_search
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def found(query):
    return [c.name for c in customer_search(query=query, companies=["USRT"])]


@pytest.fixture
def jean():
    return CustomerFactory(name="Jean Dupont", phone="+33123456789")


@pytest.mark.parametrize(
    "typed",
    ["01 23 45 67 89", "0123456789", "01.23.45.67.89", "+33 1 23 45 67 89", "0033123456789"],
)
def test_a_french_number_typed_the_national_way_finds_the_caller(client, clerk, jean, typed):
    CustomerFactory(name="Someone Else", phone="+15550102001")
    assert found(typed) == ["Jean Dupont"]
    client.force_login(clerk)
    response = client.get(reverse("customers:lookup"), {"phone": typed})
    assert response["Location"] == reverse("customers:detail", args=[jean.pk])


def test_last_digits_with_a_leading_zero_are_not_cut(jean):
    assert phone_suffixes("0789") == ["0789"]
    assert found("0789") == []
    assert found("6789") == ["Jean Dupont"]


@pytest.mark.parametrize("typed", ["２００１", "５５５-０１０-２００１", "٢٠٠١"])
def test_unicode_digits_are_digits(client, clerk, typed):
    karen = CustomerFactory(name="Karen Berg", phone="+15550102001")
    assert digits_only("２００１") == "2001"
    assert found(typed) == ["Karen Berg"]
    client.force_login(clerk)
    response = client.get(reverse("customers:lookup"), {"phone": typed})
    assert response["Location"] == reverse("customers:detail", args=[karen.pk])
    page = client.get(reverse("customers:service"), {"q": typed})
    assert page.status_code == 200
    assert "Karen Berg" in page.content.decode()
