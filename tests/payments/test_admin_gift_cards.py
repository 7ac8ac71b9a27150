"""Gift cards in the admin: each belongs to a company, shown and filtered in the list; a
manager given the gift card pages sees and sells only their companies' cards."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from payments.models import GiftCard
from tests.factories import CallCenterFactory, GiftCardFactory
from tests.payments.conftest import pay

pytestmark = pytest.mark.django_db

LIST = reverse("admin:payments_giftcard_changelist")
ADD = reverse("admin:payments_giftcard_add")


def card_data(company, number="6006491000000042"):
    return {
        "company": company,
        "number": number,
        "balance": "25.00",
        "currency": "USD",
        "is_active": "on",
    }


def change_url(card):
    return reverse("admin:payments_giftcard_change", args=[card.pk])


@pytest.fixture
def cards():
    CallCenterFactory(code="FABR-CC", company="FABR")
    return GiftCardFactory(company="USRT"), GiftCardFactory(company="FABR")


@pytest.fixture
def gift_card_manager(manager_client, manager):
    """The manager, given the gift card pages by an administrator."""
    for action in ("view", "add", "change"):
        manager.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="payments", codename=f"{action}_giftcard"
            )
        )
    return manager_client


def test_the_list_shows_and_filters_the_cards_company(superuser_client, cards):
    ours, theirs = cards
    page = superuser_client.get(LIST).content.decode()
    assert 'class="field-company">USRT<' in page and 'class="field-company">FABR<' in page
    assert "?company=FABR" in page
    filtered = superuser_client.get(LIST, {"company": "FABR"}).content.decode()
    assert change_url(theirs) in filtered and change_url(ours) not in filtered


def test_a_card_of_a_company_with_no_call_center_is_refused(superuser_client, call_center):
    response = superuser_client.post(ADD, card_data("USTR"))
    assert response.status_code == 200
    assert "No call center belongs to company USTR" in str(
        response.context["adminform"].form.errors["company"]
    )
    assert not GiftCard.objects.exists()
    assert superuser_client.post(ADD, card_data("USRT")).status_code == 302
    assert GiftCard.objects.get().company == "USRT"


def test_a_manager_sees_only_their_companies_cards(gift_card_manager, cards):
    ours, theirs = cards
    page = gift_card_manager.get(LIST).content.decode()
    assert change_url(ours) in page and change_url(theirs) not in page
    assert "?company=FABR" not in page
    assert gift_card_manager.get(change_url(theirs)).status_code == 302  # "doesn't exist"
    assert gift_card_manager.get(change_url(ours)).status_code == 200


def test_a_manager_sells_cards_of_their_companies_only(gift_card_manager, cards):
    response = gift_card_manager.post(ADD, card_data("FABR"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["company"] == [
        "Choose the company of a call center you manage."
    ]
    assert not GiftCard.objects.filter(number="6006491000000042").exists()
    assert gift_card_manager.post(ADD, card_data("USRT")).status_code == 302
    assert GiftCard.objects.get(number="6006491000000042").company == "USRT"


def test_a_number_typed_with_spaces_is_stored_as_a_payment_looks_it_up(
    superuser_client, call_center
):
    response = superuser_client.post(ADD, card_data("USRT", number="6006 4910 0000 0042"))
    assert response.status_code == 302
    assert GiftCard.objects.get().number == "6006491000000042"
    # the same card typed again, with dashes: the number is taken
    again = superuser_client.post(ADD, card_data("USRT", number="6006-4910-0000-0042"))
    assert again.status_code == 200
    assert again.context["adminform"].form.errors["number"]
    assert GiftCard.objects.count() == 1


def test_saving_a_card_opened_before_a_payment_keeps_what_was_spent(
    superuser_client, call_center, order, clerk, tender
):
    card = GiftCardFactory(company="USRT", balance=Decimal("50.00"))
    page = superuser_client.get(change_url(card))  # the administrator opens the card
    assert "adjustment" in page.context["adminform"].form.fields
    pay(order, clerk, tender("gift_card"), "30.00", gift_card_number=card.number)
    # then deactivates it with the page they loaded, balance 50.00 on it
    data = {**card_data("USRT", number=card.number), "balance": "50.00", "is_active": ""}
    assert superuser_client.post(change_url(card), data).status_code == 302
    card.refresh_from_db()
    assert (card.balance, card.is_active) == (Decimal("20.00"), False)


def test_an_adjustment_is_added_to_the_balance_as_it_is_when_saved(
    superuser_client, call_center, order, clerk, tender
):
    card = GiftCardFactory(company="USRT", balance=Decimal("50.00"))
    pay(order, clerk, tender("gift_card"), "30.00", gift_card_number=card.number)
    data = {**card_data("USRT", number=card.number), "adjustment": "25.00"}
    assert superuser_client.post(change_url(card), data).status_code == 302
    card.refresh_from_db()
    assert card.balance == Decimal("45.00")


def test_an_adjustment_below_zero_is_refused_and_nothing_changes(superuser_client, call_center):
    card = GiftCardFactory(company="USRT", balance=Decimal("20.00"))
    data = {**card_data("USRT", number=card.number), "adjustment": "-20.01", "is_active": ""}
    response = superuser_client.post(change_url(card), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["adjustment"] == [
        "The card's balance is 20.00: enter an adjustment that leaves between 0 and "
        "9,999,999,999.99 on it."
    ]
    card.refresh_from_db()
    assert (card.balance, card.is_active) == (Decimal("20.00"), True)
