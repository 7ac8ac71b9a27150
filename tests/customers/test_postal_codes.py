"""Canadian and UK postal codes are stored and compared with their space, however typed."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from customers.models import Address
from customers.normalize import canonical_postal_code, check_postal_code
from customers.selectors import customer_search, possible_duplicates
from tests.factories import AddressFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed, country, stored",
    [
        ("K1A0B1", "CA", "K1A 0B1"),
        ("k1a 0b1", "CA", "K1A 0B1"),
        ("SW1A1AA", "GB", "SW1A 1AA"),
        ("m11ae", "GB", "M1 1AE"),
        ("98101", "US", "98101"),
        ("75001", "FR", "75001"),
    ],
)
def test_postal_codes_are_stored_with_their_space(typed, country, stored):
    assert check_postal_code(typed, country) == stored
    assert canonical_postal_code(typed, country) == stored


@pytest.fixture
def karen():
    customer = CustomerFactory(name="Karen Berg", phone="", email="", address=None)
    AddressFactory(customer=customer, postal_code="K1A 0B1", country="CA")
    return customer


@pytest.mark.parametrize("typed", ["K1A0B1", "K1A 0B1", "k1a0b1"])
def test_the_duplicates_check_compares_postal_codes_canonically(karen, typed):
    duplicates = possible_duplicates(
        company="USRT", name="Karen Berg", phone="", email="", postal_code=typed
    )
    assert list(duplicates) == [karen]


@pytest.mark.parametrize("typed", ["K1A0B1", "K1A 0B1", "k1a 0b1"])
def test_the_search_finds_a_postal_code_with_or_without_its_space(karen, typed):
    assert list(customer_search(query=typed, companies=["USRT"])) == [karen]


def test_the_results_filter_compares_postal_codes_canonically(logged_in, karen):
    CustomerFactory(name="Karen Other")
    response = logged_in.get(reverse("customers:service"), {"q": "karen", "postal_code": "k1a0b1"})
    page = response.content.decode()
    assert karen.account_number in page
    assert "Karen Other" not in page


def test_an_address_saved_anywhere_is_stored_canonically(karen):
    address = AddressFactory(customer=karen, postal_code="sw1a1aa", country="GB")
    assert Address.objects.get(pk=address.pk).postal_code == "SW1A 1AA"


def test_the_migration_adds_the_space_to_stored_codes(karen):
    ca = AddressFactory(customer=karen, country="CA")
    gb = AddressFactory(customer=karen, country="GB")
    us = AddressFactory(customer=karen, country="US")
    Address.objects.filter(pk=ca.pk).update(postal_code="k1a0b1")
    Address.objects.filter(pk=gb.pk).update(postal_code="SW1A1AA")
    Address.objects.filter(pk=us.pk).update(postal_code="98101")
    migration = importlib.import_module("customers.migrations.0011_canonical_postal_codes")
    migration.add_the_space(apps, None)
    codes = dict(
        Address.objects.filter(pk__in=[ca.pk, gb.pk, us.pk]).values_list("pk", "postal_code")
    )
    assert codes == {ca.pk: "K1A 0B1", gb.pk: "SW1A 1AA", us.pk: "98101"}
