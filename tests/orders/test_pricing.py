"""The pricing engine: a table of cases (each rule alone, then combined) and properties."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orders.pricing import (
    AMOUNT,
    BY_VALUE,
    BY_WEIGHT,
    HANDLING,
    LINE_SCOPE,
    ORDER_SCOPE,
    PER_LINE,
    PER_UNIT,
    PERCENT,
    ChargeRuleInput,
    CouponInput,
    LineInput,
    PricingError,
    ShippingEffect,
    SourceCodeEffect,
    TaxRateInput,
    TradeAgreementInput,
    override_percent_below,
    price_order,
    tax_rate_for,
)

D = Decimal
TODAY = datetime.date(2026, 6, 1)
SHIPPING_10 = ChargeRuleInput(code="shipping", description="99 Standard", amount=D("10.00"))


def steps(line):
    return [(step.kind, step.amount, step.reference) for step in line.explanation]


def test_seed_order_one_81327_by_99_standard_comes_to_120():
    totals = price_order(
        lines=[LineInput(key=1, unit_price=D("100.00"), quantity=1)],
        charge_rules=[SHIPPING_10],
        tax_rate=D("10"),
    )
    assert totals.subtotal == D("100.00")
    assert totals.charges_total == D("10.00")
    assert totals.discount_total == D("0.00")
    assert totals.tax_total == D("10.00")
    assert totals.total == D("120.00")
    assert steps(totals.line(1)) == [("base", D("100.00"), "")]


# -- each rule of a line's unit price, alone and combined -------------------------------

GROUP = TradeAgreementInput(price_group="TRADE", price=D("90.00"))
BREAK = TradeAgreementInput(price_group="TRADE", price=D("80.00"), min_quantity=10)
CUSTOMER = TradeAgreementInput(price_group="GOLD", price=D("95.00"), is_customer_group=True)
EXPIRED = TradeAgreementInput(
    price_group="OLD", price=D("1.00"), valid_to=TODAY - datetime.timedelta(days=1)
)
VIP = SourceCodeEffect(code="VIP", discount_percent=D("10"))
FIVE_OFF = SourceCodeEffect(code="FIVE", discount_amount=D("5.00"))
SPECIAL = SourceCodeEffect(code="SPECIAL", special_price=D("70.00"))
LINE_COUPON = CouponInput(code="LINE10", kind=PERCENT, scope=LINE_SCOPE, value=D("10"))

LINE_CASES = [
    # id, line keyword arguments, coupon, expected unit price, expected step kinds
    ("base only", {}, None, "100.00", ["base"]),
    ("price group", {"agreements": [GROUP]}, None, "90.00", ["base", "price_group"]),
    ("quantity below the break", {"agreements": [GROUP, BREAK], "quantity": 9}, None, "90.00",
     ["base", "price_group"]),
    ("quantity break", {"agreements": [GROUP, BREAK], "quantity": 10}, None, "80.00",
     ["base", "price_group"]),
    ("customer group wins over the call center's", {"agreements": [GROUP, CUSTOMER]}, None,
     "95.00", ["base", "price_group"]),
    ("expired agreement ignored", {"agreements": [EXPIRED]}, None, "100.00", ["base"]),
    ("source code percent", {"source_code": VIP}, None, "90.00", ["base", "source_code"]),
    ("source code amount", {"source_code": FIVE_OFF}, None, "95.00", ["base", "source_code"]),
    ("source code special price", {"source_code": SPECIAL}, None, "70.00",
     ["base", "source_code"]),
    ("attribution-only source code", {"source_code": SourceCodeEffect(code="FAB26")}, None,
     "100.00", ["base"]),
    ("line coupon", {}, LINE_COUPON, "90.00", ["base", "coupon"]),
    ("override", {"override_price": D("85.00"), "override_reason": "MATCH"}, None, "85.00",
     ["base", "override"]),
    ("group then source code", {"agreements": [GROUP], "source_code": VIP}, None, "81.00",
     ["base", "price_group", "source_code"]),
    ("group, source code, coupon", {"agreements": [GROUP], "source_code": VIP}, LINE_COUPON,
     "72.90", ["base", "price_group", "source_code", "coupon"]),
    ("everything, the override last", {"agreements": [GROUP], "source_code": VIP,
     "override_price": D("60.00"), "override_reason": "MATCH"}, LINE_COUPON, "60.00",
     ["base", "price_group", "source_code", "coupon", "override"]),
    ("fixed price: no price group, customer group, break or source code",
     {"fixed_price": True, "agreements": [GROUP, BREAK, CUSTOMER], "quantity": 10,
      "source_code": SPECIAL}, None, "100.00", ["fixed"]),
    ("fixed price, then a line coupon", {"fixed_price": True, "agreements": [GROUP],
     "source_code": VIP}, LINE_COUPON, "90.00", ["fixed", "coupon"]),
    ("fixed price, then the override", {"fixed_price": True, "agreements": [GROUP],
     "override_price": D("85.00"), "override_reason": "MATCH"}, None, "85.00",
     ["fixed", "override"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "coupon", "unit_price", "kinds"),
    [case[1:] for case in LINE_CASES],
    ids=[case[0] for case in LINE_CASES],
)
def test_unit_price_steps(kwargs, coupon, unit_price, kinds):
    kwargs = {"quantity": 1} | kwargs
    totals = price_order(
        lines=[LineInput(key=1, unit_price=D("100.00"), **kwargs)], coupon=coupon, today=TODAY
    )
    line = totals.line(1)
    assert line.unit_price == D(unit_price)
    assert [step.kind for step in line.explanation] == kinds
    assert line.explanation[-1].amount == line.unit_price
    assert line.net == line.unit_price * line.quantity
    assert line.gross - line.discount == line.net


def test_a_fixed_price_is_kept_whatever_the_price_groups_and_says_so():
    """A continuity renewal's line: 0.00 for a program paid up front, even where a price
    group sells the item at 20.00; its charges and tax are the order's as usual."""
    group = TradeAgreementInput(price_group="RETAIL", price=D("20.00"))
    totals = price_order(
        lines=[
            LineInput(
                key=1,
                unit_price=D("0"),
                quantity=1,
                agreements=[group, CUSTOMER],
                source_code=SPECIAL,
                fixed_price=True,
            )
        ],
        charge_rules=[SHIPPING_10],
        tax_rate=D("10"),
        today=TODAY,
    )
    line = totals.line(1)
    assert steps(line) == [("fixed", D("0.00"), "")]
    assert line.explanation[0].label == "Continuity program price"
    assert (line.base_price, line.list_price, line.computed_price) == (D("0.00"),) * 3
    assert (line.gross, line.discount, line.net, line.tax) == (D("0.00"),) * 4
    assert totals.total == D("10.00")  # the mode of delivery's charge only


def test_the_same_line_without_a_fixed_price_takes_the_price_group_price():
    group = TradeAgreementInput(price_group="RETAIL", price=D("40.00"))
    line = LineInput(key=1, unit_price=D("25.00"), quantity=1, agreements=[group])
    assert price_order(lines=[line], today=TODAY).line(1).unit_price == D("40.00")
    fixed = LineInput(
        key=1, unit_price=D("25.00"), quantity=1, agreements=[group], fixed_price=True
    )
    assert price_order(lines=[fixed], today=TODAY).line(1).unit_price == D("25.00")


def test_discounts_are_measured_from_the_price_group_price():
    totals = price_order(
        lines=[
            LineInput(key=1, unit_price=D("100"), quantity=2, agreements=[GROUP], source_code=VIP)
        ],
        today=TODAY,
    )
    line = totals.line(1)
    assert (line.list_price, line.gross, line.discount, line.net) == (
        D("90.00"),
        D("180.00"),
        D("18.00"),
        D("162.00"),
    )


def test_an_override_above_the_list_price_is_in_the_subtotal_not_a_negative_discount():
    totals = price_order(
        lines=[LineInput(key=1, unit_price=D("10"), quantity=3, override_price=D("12"))]
    )
    line = totals.line(1)
    assert (line.gross, line.discount, line.net) == (D("36.00"), D("0.00"), D("36.00"))
    assert line.overridden


def test_the_computed_price_is_the_price_before_the_override():
    totals = price_order(
        lines=[
            LineInput(
                key=1, unit_price=D("100"), quantity=1, source_code=VIP, override_price=D("50")
            )
        ]
    )
    assert totals.line(1).computed_price == D("90.00")


def test_a_percentage_discount_is_taken_off_the_unit_price_rounded_half_up():
    totals = price_order(
        lines=[LineInput(key=1, unit_price=D("0.05"), quantity=1000, source_code=VIP)]
    )
    # 10 % of 0.05 is 0.005, a discount that rounds half up to 0.01 per unit
    assert totals.line(1).unit_price == D("0.04")
    assert totals.line(1).net == D("40.00")


def test_an_amount_off_never_makes_a_price_negative():
    effect = SourceCodeEffect(code="BIG", discount_amount=D("500"))
    totals = price_order(
        lines=[LineInput(key=1, unit_price=D("10"), quantity=1, source_code=effect)]
    )
    assert totals.line(1).unit_price == D("0.00")


# -- coupons ---------------------------------------------------------------------------

SAVE5 = CouponInput(code="SAVE5", kind=AMOUNT, value=D("5.00"), min_order_amount=D("50.00"))


def test_an_order_coupon_is_its_own_discount_row_and_lowers_the_tax():
    totals = price_order(
        lines=[LineInput(key=1, unit_price=D("100"), quantity=1)],
        charge_rules=[SHIPPING_10],
        tax_rate=D("10"),
        coupon=SAVE5,
    )
    assert totals.coupon_code == "SAVE5"
    assert totals.coupon_discount == D("5.00")
    assert totals.discount_total == D("5.00")
    assert totals.tax_total == D("9.50")
    assert totals.total == D("100.00") - D("5.00") + D("10.00") + D("9.50")


def test_an_order_coupon_under_its_minimum_is_not_applied_and_says_why():
    totals = price_order(lines=[LineInput(key=1, unit_price=D("49.99"), quantity=1)], coupon=SAVE5)
    assert totals.coupon_discount == D("0.00")
    assert totals.coupon_code == ""
    assert "at least 50.00" in totals.coupon_refusal


def test_an_order_coupon_is_allocated_over_the_lines_to_the_cent():
    coupon = CouponInput(code="TEN", kind=AMOUNT, value=D("10.00"))
    lines = [LineInput(key=i, unit_price=D("3.33"), quantity=1) for i in range(3)]
    totals = price_order(lines=lines, coupon=coupon)
    assert totals.coupon_discount == D("9.99")  # never more than the merchandise
    assert sum(line.coupon_share for line in totals.lines) == D("9.99")


def test_a_percentage_order_coupon():
    coupon = CouponInput(code="P", kind=PERCENT, scope=ORDER_SCOPE, value=D("15"))
    totals = price_order(lines=[LineInput(key=1, unit_price=D("19.99"), quantity=1)], coupon=coupon)
    assert totals.coupon_discount == D("3.00")  # 2.9985


# -- charges ---------------------------------------------------------------------------


def charge(rule, *, lines=None, shipping=None):
    lines = lines or [LineInput(key=1, unit_price=D("20"), quantity=3, weight=D("1.5"))]
    totals = price_order(lines=lines, charge_rules=[rule], shipping=shipping)
    return totals.charges[0] if totals.charges else None


CHARGE_CASES = [
    ("flat per order", {}, None, "4.00", ["rule"]),
    ("per line", {"basis": PER_LINE}, None, "4.00", ["rule"]),
    ("per unit", {"basis": PER_UNIT}, None, "12.00", ["rule"]),
    ("free from an order value", {"free_from": D("50")}, None, "0.00", ["rule", "free"]),
    ("not yet free", {"free_from": D("61")}, None, "4.00", ["rule"]),
    ("waived by the source code", {}, ShippingEffect(code="FREESHIP", waived=True), "0.00",
     ["rule", "waived"]),
    ("reduced by the source code", {}, ShippingEffect(code="HALF", discount_percent=D("50")),
     "2.00", ["rule", "reduced"]),
    ("handling is not waived with shipping", {"category": HANDLING},
     ShippingEffect(code="FREESHIP", waived=True), "4.00", ["rule"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "shipping", "amount", "kinds"),
    [case[1:] for case in CHARGE_CASES],
    ids=[case[0] for case in CHARGE_CASES],
)
def test_charge_rules(kwargs, shipping, amount, kinds):
    rule = ChargeRuleInput(code="c", description="Charge", amount=D("4.00"), **kwargs)
    priced = charge(rule, shipping=shipping)
    assert priced.amount == D(amount)
    assert [step.kind for step in priced.explanation] == kinds


@pytest.mark.parametrize(
    ("tier", "applies"),
    [
        ({"tier_basis": BY_VALUE, "tier_from": D("0"), "tier_to": D("60")}, False),
        ({"tier_basis": BY_VALUE, "tier_from": D("60"), "tier_to": D("100")}, True),
        ({"tier_basis": BY_WEIGHT, "tier_from": D("4.5")}, True),
        ({"tier_basis": BY_WEIGHT, "tier_to": D("4.5")}, False),
    ],
)
def test_charge_tiers_by_order_value_and_weight_from_inclusive_to_exclusive(tier, applies):
    rule = ChargeRuleInput(code="c", description="Tier", amount=D("7"), **tier)
    assert (charge(rule) is not None) == applies


def test_a_taxed_charge_is_taxed_at_the_charges_rate():
    rule = ChargeRuleInput(code="c", description="S&H", amount=D("10"), taxable=True)
    totals = price_order(
        lines=[LineInput(key=1, unit_price=D("100"), quantity=1)],
        charge_rules=[rule],
        tax_rate=D("10"),
        charge_tax_rate=D("5"),
    )
    assert totals.charges[0].tax == D("0.50")
    assert totals.tax_total == D("10.50")


# -- tax -------------------------------------------------------------------------------

RATES = [
    TaxRateInput(rate=D("6.5"), country="US"),
    TaxRateInput(rate=D("10.1"), country="US", state="WA"),
    TaxRateInput(rate=D("0"), tax_group="FOOD", country="US", state="WA"),
    TaxRateInput(rate=D("2"), tax_group="FOOD"),
]


@pytest.mark.parametrize(
    ("tax_group", "country", "state", "rate"),
    [
        ("", "US", "WA", "10.1"),
        ("", "US", "OR", "6.5"),
        ("FOOD", "US", "WA", "0"),
        ("FOOD", "US", "OR", "2"),
        ("", "FR", "", "20"),  # no rate: the call center's
        ("", "us", " wa ", "10.1"),  # typed in lower case, with spaces
    ],
)
def test_tax_rate_by_tax_group_and_jurisdiction(tax_group, country, state, rate):
    assert tax_rate_for(
        RATES, tax_group=tax_group, country=country, state=state, default=D("20")
    ) == D(rate)


def test_each_line_is_taxed_at_its_own_rate_rounded_per_line():
    totals = price_order(
        lines=[
            LineInput(key=1, unit_price=D("10.05"), quantity=1, tax_rate=D("10")),
            LineInput(key=2, unit_price=D("10.05"), quantity=1, tax_rate=D("0")),
            LineInput(key=3, unit_price=D("10.05"), quantity=1),
        ],
        tax_rate=D("5"),
    )
    assert [line.tax for line in totals.lines] == [D("1.01"), D("0.00"), D("0.50")]
    assert totals.tax_total == D("1.51")


def test_override_percent_below():
    assert override_percent_below(computed=D("100"), price=D("89")) == D("11")
    assert override_percent_below(computed=D("100"), price=D("120")) == D("0")


# -- impossible inputs -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (LineInput(key=1, unit_price=D("1"), quantity=0), "Quantity"),
        (LineInput(key=1, unit_price=D("-1"), quantity=1), "Unit price"),
        (LineInput(key=1, unit_price=D("1"), quantity=1, override_price=D("-1")), "override"),
        (
            LineInput(
                key=1,
                unit_price=D("1"),
                quantity=1,
                source_code=SourceCodeEffect(code="X", discount_percent=D("101")),
            ),
            "Discount",
        ),
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
        price_order(
            lines=[], charge_rules=[ChargeRuleInput(code="x", description="x", amount=D("-1"))]
        )


# -- properties ------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False)
percents = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)
source_codes = st.one_of(
    st.none(),
    st.builds(SourceCodeEffect, code=st.just("S"), discount_percent=percents),
    st.builds(SourceCodeEffect, code=st.just("S"), discount_amount=amounts),
    st.builds(SourceCodeEffect, code=st.just("S"), special_price=amounts),
)
line_inputs = st.builds(
    LineInput,
    key=st.uuids(),
    unit_price=amounts,
    quantity=st.integers(min_value=1, max_value=500),
    agreements=st.lists(
        st.builds(
            TradeAgreementInput,
            price_group=st.sampled_from(["A", "B"]),
            price=amounts,
            min_quantity=st.integers(min_value=1, max_value=20),
            is_customer_group=st.booleans(),
        ),
        max_size=3,
    ),
    source_code=source_codes,
    override_price=st.one_of(st.none(), amounts),
    tax_rate=st.one_of(st.none(), percents),
    weight=st.decimals(min_value=0, max_value=50, places=3, allow_nan=False),
    fixed_price=st.booleans(),
)
coupons = st.one_of(
    st.none(),
    st.builds(
        CouponInput,
        code=st.just("C"),
        kind=st.just(PERCENT),
        scope=st.sampled_from([ORDER_SCOPE, LINE_SCOPE]),
        value=percents,
        min_order_amount=amounts,
    ),
    st.builds(
        CouponInput,
        code=st.just("C"),
        kind=st.just(AMOUNT),
        scope=st.sampled_from([ORDER_SCOPE, LINE_SCOPE]),
        value=amounts,
        min_order_amount=amounts,
    ),
)
charge_rules = st.lists(
    st.builds(
        ChargeRuleInput,
        code=st.just("r"),
        description=st.just("rule"),
        amount=amounts,
        category=st.sampled_from(["shipping", "handling"]),
        basis=st.sampled_from(["order", "line", "unit"]),
        free_from=st.one_of(st.none(), amounts),
        taxable=st.booleans(),
    ),
    max_size=3,
)
orders = st.fixed_dictionaries(
    {
        "lines": st.lists(line_inputs, max_size=8),
        "charge_rules": charge_rules,
        "tax_rate": percents,
        "coupon": coupons,
        "shipping": st.one_of(
            st.none(),
            st.builds(
                ShippingEffect, code=st.just("S"), waived=st.booleans(), discount_percent=percents
            ),
        ),
    }
)


@settings(max_examples=300, deadline=None)
@given(orders)
def test_totals_always_equal_the_sum_of_their_parts(order):
    totals = price_order(**order, today=TODAY)
    lines = totals.lines
    assert totals.subtotal == sum((line.gross for line in lines), D("0"))
    assert (
        totals.discount_total
        == sum((line.discount for line in lines), D("0")) + totals.coupon_discount
    )
    assert totals.coupon_discount == sum((line.coupon_share for line in lines), D("0"))
    assert totals.charges_total == sum((c.amount for c in totals.charges), D("0"))
    assert totals.tax_total == sum((line.tax for line in lines), D("0")) + sum(
        (c.tax for c in totals.charges), D("0")
    )
    assert totals.total == (
        totals.subtotal - totals.discount_total + totals.charges_total + totals.tax_total
    )
    for line in lines:
        assert line.net == line.unit_price * line.quantity
        assert line.explanation[-1].amount == line.unit_price


@settings(max_examples=300, deadline=None)
@given(orders)
def test_no_amount_is_ever_negative_and_every_amount_is_in_cents(order):
    totals = price_order(**order, today=TODAY)
    amounts_ = [
        totals.subtotal,
        totals.discount_total,
        totals.coupon_discount,
        totals.charges_total,
        totals.tax_total,
        totals.total,
        totals.merchandise,
    ]
    for line in totals.lines:
        amounts_ += [line.unit_price, line.gross, line.discount, line.net, line.tax]
        amounts_ += [line.net - line.coupon_share]
    amounts_ += [c.amount for c in totals.charges]
    for amount in amounts_:
        assert amount >= 0
        assert amount == amount.quantize(D("0.01"))
