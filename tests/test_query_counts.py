"""Pages make exactly as many SQL queries for many rows as for one (no N+1).

Each test measures the page with one row, then requires the same count, not
merely "few", for the page with many rows, and checks the many rows are shown.
"""

import re
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.selectors import SUGGESTION_LIMIT
from orders import services as order_services
from orders.holds import mark_shipped, release_order
from orders.models import ReturnReason
from payments import services as payment_services
from tests.factories import (
    CatalogFactory,
    CustomerFactory,
    PaymentMethodFactory,
    ProductFactory,
    SourceCodeFactory,
    make_order,
    offer,
)
from tests.html import section

pytestmark = pytest.mark.django_db


def count_queries(client, url, params=None) -> int:
    """The queries of a GET once the app process has read the call center's setup data
    (callcenter/reference.py): the first request after a change reads it again."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def order_with_lines(clerk, count: int):
    """A draft with ``count`` lines of different products, each with its own source code."""
    catalog = CatalogFactory()
    source_code = SourceCodeFactory(catalog=catalog, discount_percent=Decimal("10"))
    order = make_order(clerk=clerk)
    for _ in range(count):
        product = ProductFactory(price=Decimal("10.00"))
        catalog.products.add(product)
        order_services.add_line(
            order=order, by=clerk, product=product, quantity=2, source_code=source_code
        )
    order.refresh_from_db()
    assert order.lines.count() == count
    return order


def test_the_order_page_makes_as_many_queries_for_30_lines_as_for_1(
    counted_client, clerk, django_assert_num_queries
):
    small, large = order_with_lines(clerk, 1), order_with_lines(clerk, 30)
    expected = count_queries(counted_client, reverse("orders:detail", args=[small.number]))
    with django_assert_num_queries(expected):
        response = counted_client.get(reverse("orders:detail", args=[large.number]))
    assert response.status_code == 200
    assert response.content.decode().count("Remove line ") == 30


def test_the_summary_page_makes_as_many_queries_for_30_lines_as_for_1(
    counted_client, clerk, call_center, django_assert_num_queries
):
    offer(call_center, PaymentMethodFactory())
    small, large = order_with_lines(clerk, 1), order_with_lines(clerk, 30)
    for order in (small, large):
        counted_client.post(reverse("payments:complete", args=[order.number]))
    expected = count_queries(counted_client, reverse("payments:summary", args=[small.number]))
    with django_assert_num_queries(expected):
        response = counted_client.get(reverse("payments:summary", args=[large.number]))
    assert response.status_code == 200
    # 30 lines of 2 x 10.00, less 10%, plus 10.00 shipping and 10% tax on 540.00
    assert 'id="summary-balance">604.00<' in response.content.decode()


def test_the_customer_search_makes_as_many_queries_for_30_matches_as_for_1(
    counted_client, django_assert_num_queries
):
    CustomerFactory(name="Karen Solo")
    for i in range(30):
        CustomerFactory(name=f"Karen Berg {i}")
    url = reverse("customers:service")
    expected = count_queries(counted_client, url, {"q": "Solo"})
    with django_assert_num_queries(expected):
        response = counted_client.get(url, {"q": "Berg"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "30 customers found" in content
    assert len(re.findall(r'<tr role="row"', content)) == 25  # one page of results


def test_the_customer_page_makes_as_many_queries_for_20_orders_as_for_1(
    counted_client, clerk, django_assert_num_queries
):
    quiet, busy = CustomerFactory(), CustomerFactory()
    make_order(clerk=clerk, customer=quiet)
    busy_orders = [make_order(clerk=clerk, customer=busy) for _ in range(20)]
    expected = count_queries(counted_client, reverse("customers:detail", args=[quiet.pk]))
    with django_assert_num_queries(expected):
        response = counted_client.get(reverse("customers:detail", args=[busy.pk]))
    assert response.status_code == 200
    history = section(response, "order-history")
    shown = [order for order in busy_orders if order.number in history]
    assert len(shown) == 10  # the first page of the history
    assert "Page 1 of 2" in history


def test_item_suggestions_make_as_many_queries_for_31_products_as_for_1(
    counted_client, django_assert_num_queries
):
    for i in range(30):
        ProductFactory(item_number=f"9{i:04d}")
    ProductFactory(item_number="81327")
    url = reverse("catalog:suggestions")
    expected = count_queries(counted_client, url, {"item_number": "81327"})
    with django_assert_num_queries(expected):
        response = counted_client.get(url, {"item_number": "9"})
    assert response.status_code == 200
    assert response.content.decode().count('role="option"') == SUGGESTION_LIMIT


def test_the_customer_page_makes_as_many_queries_for_5_enrolments_as_for_1(
    counted_client, clerk, django_assert_num_queries
):
    from tests.orders.test_continuity_views import enrol

    quiet, busy = CustomerFactory(), CustomerFactory()
    enrol(clerk, quiet)
    for _ in range(5):
        enrol(clerk, busy)
    expected = count_queries(counted_client, reverse("customers:detail", args=[quiet.pk]))
    with django_assert_num_queries(expected):
        response = counted_client.get(reverse("customers:detail", args=[busy.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("Cancel enrolment</button>") == 5


def test_an_order_page_with_many_returns_makes_as_many_queries_as_with_one(counted_client, clerk):
    method = offer(clerk.channel_memberships.get().call_center, PaymentMethodFactory())
    reason = ReturnReason.objects.create(code="LATE", description="Arrived too late")

    def shipped_with_returns(count):
        order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("10.00")), count)])
        payment_services.add_payment(
            order=order, by=clerk, method=method, amount=order.total, idempotency_key=uuid.uuid4()
        )
        payment_services.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())
        release_order(order=order, by=clerk)
        mark_shipped(number=order.number)
        for _ in range(count):
            payment_services.return_and_refund(
                order=order,
                by=clerk,
                reason=reason,
                quantities={order.lines.get().pk: 1},
                idempotency_key=uuid.uuid4(),
            )
        return reverse("orders:detail", args=[order.number])

    one, many = shipped_with_returns(1), shipped_with_returns(6)
    assert count_queries(counted_client, many) == count_queries(counted_client, one)
    assert counted_client.get(many).content.decode().count("-R") >= 6
