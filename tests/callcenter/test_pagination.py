"""CountedPaginator: the same pages and count as Django's paginator, in one query."""

import pytest
from django.core.paginator import Paginator

from callcenter.pagination import CountedPaginator
from customers.models import Customer
from tests.factories import AddressFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers():
    return [CustomerFactory(name=f"Karen {i:02d}") for i in range(23)]


def pages(paginator_class, queryset, number):
    page = paginator_class(queryset, 10).get_page(number)
    return [c.pk for c in page.object_list], page.number, page.paginator.count


@pytest.mark.parametrize("number", [1, 2, 3, "2", None, "x", 0, -1, 99])
def test_every_page_and_count_are_the_same_as_djangos(customers, number):
    queryset = Customer.objects.order_by("name")
    assert pages(CountedPaginator, queryset, number) == pages(Paginator, queryset, number)


def test_a_page_and_its_count_are_one_query(customers, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = CountedPaginator(Customer.objects.order_by("name"), 10).get_page(3)
        assert page.paginator.count == 23 and page.paginator.num_pages == 3
        assert [c.name for c in page.object_list] == ["Karen 20", "Karen 21", "Karen 22"]
        assert not page.has_next()


def test_a_distinct_query_is_counted_without_its_duplicates(customers):
    for customer in customers[:5]:
        AddressFactory(customer=customer, city="Tacoma", is_primary=False)
        AddressFactory(customer=customer, city="Tacoma", is_primary=False)
    queryset = Customer.objects.filter(addresses__city="Tacoma").distinct().order_by("name")
    assert CountedPaginator(queryset, 10).get_page(1).paginator.count == 5
