"""What a caller may say, and whom the search finds (the same on SQLite and PostgreSQL)."""

import pytest

from customers import selectors
from customers.normalize import normalize_phone
from customers.selectors import customer_search
from tests.factories import AddressFactory, CustomerFactory, ProductFactory, make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def karen():
    customer = CustomerFactory(
        account_number="2001",
        name="Karen Berg",
        phone=normalize_phone("555-010-2001"),
        email="karen.berg@example.com",
        address=None,
    )
    AddressFactory(customer=customer, postal_code="98101")
    return customer


@pytest.fixture
def others():
    return [
        CustomerFactory(name=name, phone=normalize_phone(phone), address__postal_code="10001")
        for name, phone in [
            ("Karen Smith", "555-010-9999"),
            ("José Núñez", "555-020-1234"),
            ("Bob Stone", "555-030-2001"),
        ]
    ]


def found(query, companies=("USRT",)):
    return [c.name for c in customer_search(query=query, companies=list(companies))]


@pytest.mark.parametrize(
    "query",
    [
        "Karen Berg",
        "berg karen",
        "KAREN berg",
        "Bérg",
        "  karen   berg  ",
        "2001",
        "(555) 010-2001",
        "+1 555 010 2001",
        "555 010 2001",
        "5550102001",
        "Karen.Berg@Example.com",
        "98101",
    ],
)
def test_the_caller_is_found_from_what_they_say(karen, others, query):
    assert found(query)[0] == "Karen Berg"


def test_a_name_with_accents_is_found_without_them(others):
    assert found("jose nunez") == ["José Núñez"]
    assert found("NÚÑEZ") == ["José Núñez"]


def test_a_postal_code_finds_the_customers_living_there(karen, others):
    assert found("98101") == ["Karen Berg"]
    assert len(found("10001")) == 3


def test_every_word_must_match(karen, others):
    assert found("karen smith") == ["Karen Smith"]
    assert found("karen nobody") == []


def test_the_last_digits_of_a_phone_find_everyone_whose_number_ends_so(karen, others):
    assert sorted(found("2001")) == ["Bob Stone", "Karen Berg"]


def test_an_exact_account_number_comes_first(karen, others):
    # Bob's phone also ends in 2001; the account match ranks above it
    assert found("2001") == ["Karen Berg", "Bob Stone"]


def test_a_name_that_starts_with_the_query_ranks_above_one_that_contains_it():
    CustomerFactory(name="Anna Bergman")
    CustomerFactory(name="Berg Anders")
    assert found("berg") == ["Berg Anders", "Anna Bergman"]


def test_an_order_number_finds_its_customer(clerk, karen, others):
    order = make_order(clerk=clerk, customer=karen, lines=[(ProductFactory(), 1)])
    assert found(order.number) == ["Karen Berg"]
    assert found(order.number.lower()) == ["Karen Berg"]


def test_three_digits_are_not_a_phone_search(karen):
    assert found("201") == []


def test_only_the_given_companies_customers_are_searched(karen):
    CustomerFactory(name="Karen Berg", company="FABR")
    assert found("Karen Berg", companies=["FABR"]) == ["Karen Berg"]
    assert [c.company for c in customer_search(query="karen", companies=["FABR"])] == ["FABR"]


def test_an_empty_query_finds_nobody(karen):
    assert found("   ") == []


def test_search_results_can_be_narrowed_by_city_postal_code_group_and_blocked(client, clerk):
    from django.urls import reverse

    from customers.models import CustomerGroup

    vip = CustomerGroup.objects.create(code="VIP", name="Best customers")
    CustomerFactory(name="Karen One", address__city="Seattle", address__postal_code="98101")
    CustomerFactory(name="Karen Two", address__city="Denver", address__postal_code="80202")
    CustomerFactory(name="Karen Three", customer_group=vip, is_blocked=True)
    client.force_login(clerk)

    def names(**filters):
        response = client.get(reverse("customers:service"), {"q": "karen", **filters})
        assert response.status_code == 200
        return [c.name for c in response.context["page"].object_list]

    assert sorted(names()) == ["Karen One", "Karen Three", "Karen Two"]
    assert names(city="denver") == ["Karen Two"]
    assert names(postal_code="98101") == ["Karen One", "Karen Three"]
    assert names(customer_group=vip.pk) == ["Karen Three"]
    assert sorted(names(is_blocked="false")) == ["Karen One", "Karen Two"]


def test_another_companys_customers_do_not_crowd_out_this_ones(monkeypatch):
    """The identifiers' cap counts the searched companies' customers alone."""
    monkeypatch.setattr(selectors, "MAX_IDENTIFIED", 3)
    for _ in range(3):  # postal code 98101, phone ending 2001
        CustomerFactory(company="OTHER", name="Other", phone="+15550112001")
    mine = CustomerFactory(company="USRT", name="Mine", phone="+15550102001")
    for query in ["98101", "2001", "010-2001"]:
        assert found(query) == ["Mine"], query
    assert found("98101", companies=("OTHER",)) == ["Other"] * 3
    assert mine not in customer_search(query="98101", companies=["OTHER"])
