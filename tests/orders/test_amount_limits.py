"""Amounts too large for the money columns are refused before anything is stored: the
clerk reads why in an alert, the order stays as it was and its pages still open."""

from decimal import Decimal

import pytest
from django.urls import reverse

from callcenter.money import DECIMAL_PLACES, MAX_AMOUNT, MAX_DIGITS, fits_column
from orders import services
from orders.errors import InvalidOrderData
from orders.models import MAX_QUANTITY, OrderEvent, PriceOverrideReason, SalesLine, SalesOrder
from tests.factories import DeliveryModeFactory, ProductFactory, make_order
from tests.html import alert_text

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TOO_LARGE = "larger than the system can record (at most 9,999,999,999.99)"


@pytest.fixture
def order(clerk):
    """A draft with 99999 units of a 100.00 product (9,999,900.00), mode 99, 10% tax."""
    return make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), MAX_QUANTITY)])


def as_stored(order):
    """What the order's rows hold: its amounts and version, its lines' and its events."""
    order = SalesOrder.objects.get(pk=order.pk)
    lines = [
        (line.quantity, line.override_price, line.line_amount, line.tax_amount)
        for line in SalesLine.objects.filter(order=order).order_by("line_number")
    ]
    totals = (order.subtotal, order.charges_total, order.tax_total, order.total, order.version)
    return totals, lines, OrderEvent.objects.filter(order=order).count()


def assert_refused_and_unchanged(response, before, order, logged_in, said=TOO_LARGE):
    assert response.status_code == 400
    assert said in alert_text(response)
    assert as_stored(order) == before
    page = logged_in.get(reverse("orders:detail", args=[order.number]))
    assert page.status_code == 200


def test_the_largest_amount_is_the_money_column_s():
    assert Decimal("9999999999.99") == MAX_AMOUNT
    assert len(MAX_AMOUNT.as_tuple().digits) == MAX_DIGITS
    assert -MAX_AMOUNT.as_tuple().exponent == DECIMAL_PLACES
    assert fits_column(MAX_AMOUNT) and fits_column(-MAX_AMOUNT)
    assert not fits_column(MAX_AMOUNT + Decimal("0.01"))


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_new_line_of_a_huge_quantity_of_a_dear_product_is_refused(logged_in, order, htmx):
    dear = ProductFactory(price=Decimal("9999999999.99"))
    before = as_stored(order)
    response = logged_in.post(
        reverse("orders:add_line", args=[order.number]),
        {"item_number": dear.item_number, "quantity": MAX_QUANTITY},
        **(HTMX if htmx else {}),
    )
    assert_refused_and_unchanged(response, before, order, logged_in)
    assert "the amounts of line 2" in alert_text(response)


def test_a_line_that_fits_on_an_order_whose_total_would_not_is_refused(logged_in, clerk):
    """9,999,999,999.99 fits a line's amount; with its 10% tax the order's total does not."""
    order = make_order(clerk=clerk)
    dear = ProductFactory(price=Decimal("9999999999.99"))
    before = as_stored(order)
    response = logged_in.post(
        reverse("orders:add_line", args=[order.number]),
        {"item_number": dear.item_number, "quantity": 1},
        **HTMX,
    )
    assert_refused_and_unchanged(
        response,
        before,
        order,
        logged_in,
        said="This change would make the order's total " + TOO_LARGE,
    )


def test_a_price_override_that_makes_the_line_too_large_is_refused(logged_in, order):
    reason = PriceOverrideReason.objects.create(code="MATCH", description="Price match")
    line = order.lines.get()
    before = as_stored(order)
    response = logged_in.post(
        reverse("orders:override_price", args=[order.number]),
        {"line": line.pk, "price": "9999999999.99", "reason": reason.pk},
        **HTMX,
    )
    assert_refused_and_unchanged(response, before, order, logged_in)
    assert "the amounts of line 1" in alert_text(response)
    assert logged_in.get(reverse("orders:history", args=[order.number])).status_code == 200


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_quantity_change_that_makes_the_line_too_large_is_refused(logged_in, clerk, htmx):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("1000000000.00")), 1)])
    before = as_stored(order)
    response = logged_in.post(
        reverse("orders:line_quantity", args=[order.number]),
        {"line": order.lines.get().pk, "quantity": 11, "version": order.version},
        **(HTMX if htmx else {}),
    )
    assert_refused_and_unchanged(response, before, order, logged_in)


def test_a_mode_of_delivery_whose_charge_makes_the_total_too_large_is_refused(
    logged_in, clerk, call_center
):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("9000000000.00")), 1)])
    dear = DeliveryModeFactory(code="02", name="Freight", charge=Decimal("999999999.99"))
    call_center.delivery_modes.add(dear)
    before = as_stored(order)
    response = logged_in.post(
        reverse("orders:header", args=[order.number]),
        {"delivery_mode": dear.pk, "version": order.version},
        **HTMX,
    )
    assert_refused_and_unchanged(response, before, order, logged_in)


def test_many_lines_cannot_add_up_past_the_largest_total(clerk):
    half = ProductFactory(price=Decimal("4000000000.00"))
    order = make_order(clerk=clerk, lines=[(half, 1), (half, 1)])  # 8,800,000,010.00
    with pytest.raises(InvalidOrderData, match="the order's total"):
        services.add_line(order=order, by=clerk, product=half, quantity=1)
    order.refresh_from_db()
    assert order.lines.count() == 2
    assert order.total == Decimal("8800000010.00")
