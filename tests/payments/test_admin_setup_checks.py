"""Payment set-up in the admin refuses what clerks could not tell apart or use: a second
payment method named like another, a gift card currency that is no ISO code."""

import re

import pytest
from django.urls import reverse

from payments.models import GiftCard, PaymentMethod
from tests.factories import CallCenterFactory, GiftCardFactory, PaymentMethodFactory

pytestmark = pytest.mark.django_db


def post(client, url: str, data: dict):
    """Post an admin form, with the management form of every inline the page shows (empty)."""
    page = client.get(url).content.decode()
    for prefix in re.findall(r'name="([^"]+)-TOTAL_FORMS"', page):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return client.post(url, data)


def method(code, name):
    return {"code": code, "name": name, "name_fr": "", "tender_type": "cash", "is_active": "on"}


@pytest.mark.parametrize("name", ["Cash", "cash", "CASH", " cash "])
def test_a_second_payment_method_named_like_another_is_refused(superuser_client, name):
    PaymentMethodFactory(code="CASH", name="Cash")
    response = post(
        superuser_client, reverse("admin:payments_paymentmethod_add"), method("CASH2", name)
    )
    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["name"]
    assert "CASH" in message
    assert not PaymentMethod.objects.filter(code="CASH2").exists()


def test_a_payment_method_keeps_its_own_name(superuser_client):
    cash = PaymentMethodFactory(code="CASH", name="Cash")
    url = reverse("admin:payments_paymentmethod_change", args=[cash.pk])
    assert post(superuser_client, url, method("CASH", "CASH")).status_code == 302
    cash.refresh_from_db()
    assert cash.name == "CASH"


def test_a_payment_method_with_a_name_of_its_own_is_saved(superuser_client):
    PaymentMethodFactory(code="CASH", name="Cash")
    url = reverse("admin:payments_paymentmethod_add")
    assert post(superuser_client, url, method("PETTY", "Petty cash")).status_code == 302


@pytest.mark.parametrize("currency", ["usd", "Usd", "US1", "U$D", "US"])
def test_a_gift_card_currency_that_is_not_three_capital_letters_is_refused(
    superuser_client, currency
):
    url = reverse("admin:payments_giftcard_add")
    data = {
        "company": "USRT",
        "number": "6006491000000001",
        "balance": "50.00",
        "currency": currency,
        "is_active": "on",
    }
    response = post(superuser_client, url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["currency"]
    assert not GiftCard.objects.filter(number="6006491000000001").exists()


def test_a_gift_card_in_euros_is_saved(superuser_client):
    CallCenterFactory(company="USRT")
    card = GiftCardFactory(company="USRT", currency="USD")
    url = reverse("admin:payments_giftcard_change", args=[card.pk])
    data = {
        "company": "USRT",
        "number": card.number,
        "balance": "50.00",
        "currency": "EUR",
        "is_active": "on",
    }
    assert post(superuser_client, url, data).status_code == 302
    card.refresh_from_db()
    assert card.currency == "EUR"


def test_methods_named_alike_before_the_check_are_still_saved_unrenamed(superuser_client):
    """The name is checked when it is given or changed: a method saved before the check
    can still be changed (deactivated, here) without being renamed first."""
    PaymentMethodFactory(code="CASH", name="Cash")
    twin = PaymentMethodFactory(code="CASH2", name="Cash")
    url = reverse("admin:payments_paymentmethod_change", args=[twin.pk])
    data = method("CASH2", "Cash") | {"is_active": ""}
    assert post(superuser_client, url, data).status_code == 302
    twin.refresh_from_db()
    assert twin.is_active is False
    response = post(superuser_client, url, method("CASH2", "CASH"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"]


def test_a_payment_method_code_differing_only_in_capitals_is_refused(superuser_client):
    PaymentMethodFactory(code="CASH", name="Cash")
    response = post(
        superuser_client, reverse("admin:payments_paymentmethod_add"), method("cash", "Coins")
    )
    assert response.status_code == 200
    assert "differs only in capitals" in response.context["adminform"].form.errors["code"][0]
    assert not PaymentMethod.objects.filter(code="cash").exists()
