"""Gift cards that predate companies: the migration gives them the company only when the
database knows exactly one; with several, a card pays nothing until its company is set."""

import importlib

import pytest
from django.apps import apps

from payments.errors import PaymentError
from payments.models import GiftCard
from tests.factories import CallCenterFactory, CustomerFactory, GiftCardFactory
from tests.payments.conftest import pay

pytestmark = pytest.mark.django_db

migration = importlib.import_module("payments.migrations.0007_gift_card_company")


def migrate_existing_cards():
    migration.companies_for_existing_gift_cards(apps, None)


def test_with_one_company_every_card_without_one_becomes_its():
    CallCenterFactory(company="USRT")
    CustomerFactory(company="USRT")
    cards = [GiftCardFactory(company=""), GiftCardFactory(company="")]
    migrate_existing_cards()
    assert {GiftCard.objects.get(pk=c.pk).company for c in cards} == {"USRT"}


@pytest.mark.parametrize("second", ["call center", "customer"])
def test_with_two_companies_the_cards_are_left_for_an_administrator(second):
    CallCenterFactory(company="USRT")
    if second == "call center":
        CallCenterFactory(company="FABR")
    else:
        CustomerFactory(company="FABR")
    card = GiftCardFactory(company="")
    kept = GiftCardFactory(company="USRT")
    migrate_existing_cards()
    assert GiftCard.objects.get(pk=card.pk).company == ""
    assert GiftCard.objects.get(pk=kept.pk).company == "USRT"


def test_a_card_without_a_company_pays_nothing(clerk, order, tender):
    card = GiftCardFactory(company="")
    with pytest.raises(PaymentError, match="No active gift card"):
        pay(order, clerk, tender("gift_card"), "10.00", gift_card_number=card.number)
