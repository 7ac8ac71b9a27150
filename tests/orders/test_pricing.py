from decimal import Decimal

import pytest

from orders.pricing import ChargeInput, LineInput, PricingError, price_order

D = Decimal


def test_seed_order_one_81327_by_99_standard_comes_to_120():
    totals = price_order(
        lines=[LineInput(key=1, unit_price=D("100.00"), quantity=1)],
        charges=[ChargeInput(code="shipping", description="99 Standard", amount=D("10.00"))],
        tax_rate=D("10"),
    )
    assert totals.subtotal == D("100.00")
    assert totals.charges_total == D("10.00")
    assert totals.discount_total == D("0.00")
    assert totals.tax_total == D("10.00")
    assert totals.total == D("120.00")


def test_line_gross_is_unit_price_times_quantity():
    totals = price_order(lines=[LineInput(key="a", unit_price=D("19.99"), quantity=3)])
    assert totals.line("a").gross == D("59.97")
    assert totals.subtotal == D("59.97")


def test_percentage_discount_is_rounded_half_up_per_line_and_explained():
    totals = price_order(
        lines=[
            LineInput(
                key=1,
                unit_price=D("0.05"),
                quantity=1,
                discount_percent=D("10"),
                discount_reason="Source code X",
            )
        ]
    )
    line = totals.line(1)
    # 10 % of 0.05 is 0.005, which rounds half up to 0.01
    assert line.discount == D("0.01")
    assert line.net == D("0.04")
    assert line.discount_reason == "Source code X"


def test_no_discount_means_no_discount_reason():
    totals = price_order(
        lines=[LineInput(key=1, unit_price=D("10"), quantity=1, discount_reason="Source code X")]
    )
    assert totals.line(1).discount_reason == ""


def test_tax_is_charged_on_merchandise_after_discounts_not_on_charges():
    totals = price_order(
        lines=[LineInput(key=1, unit_price=D("200.00"), quantity=1, discount_percent=D("25"))],
        charges=[ChargeInput(code="shipping", description="S&H", amount=D("15.00"))],
        tax_rate=D("8.25"),
    )
    assert totals.taxable_amount == D("150.00")
    assert totals.tax_total == D("12.38")  # 12.375 rounds half up
    assert totals.total == D("200.00") - D("50.00") + D("15.00") + D("12.38")


def test_totals_add_up_over_many_lines_without_drift():
    lines = [LineInput(key=i, unit_price=D("0.10"), quantity=1) for i in range(1000)]
    totals = price_order(lines=lines, tax_rate=D("0"))
    assert totals.subtotal == D("100.00")
    assert totals.total == D("100.00")


def test_an_empty_order_costs_only_its_charges():
    totals = price_order(
        lines=[], charges=[ChargeInput(code="shipping", description="S&H", amount=D("7.50"))]
    )
    assert totals.subtotal == D("0.00")
    assert totals.total == D("7.50")


def test_amounts_are_quantized_to_cents():
    totals = price_order(lines=[LineInput(key=1, unit_price=D("10.005"), quantity=1)])
    assert totals.line(1).unit_price == D("10.01")
    assert totals.total.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (LineInput(key=1, unit_price=D("1"), quantity=0), "Quantity"),
        (LineInput(key=1, unit_price=D("-1"), quantity=1), "Unit price"),
        (LineInput(key=1, unit_price=D("1"), quantity=1, discount_percent=D("101")), "Discount"),
    ],
)
def test_impossible_inputs_are_refused(line, message):
    with pytest.raises(PricingError, match=message):
        price_order(lines=[line])


def test_a_negative_tax_rate_is_refused():
    with pytest.raises(PricingError):
        price_order(lines=[], tax_rate=D("-1"))


def test_a_negative_charge_is_refused():
    with pytest.raises(PricingError):
        price_order(lines=[], charges=[ChargeInput(code="x", description="x", amount=D("-1"))])
