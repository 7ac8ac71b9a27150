"""The fraud score, a pure function: one row per rule kind, matched or not."""

from decimal import Decimal

import pytest

from orders.fraud import OrderFacts, RuleInput, score

FACTS = OrderFacts(
    total=Decimal("600.00"),
    phone="+15550102001",
    email="karen@mailinator.com",
    postal_code="97201",
    delivery_address="1 Main St, Portland, OR 97201, US",
    invoice_address="1 Main St, Portland, OR 97201, US",
    name="Karen Berg",
    is_first_order=True,
    orders_today_from_phone=3,
)


@pytest.mark.parametrize(
    ("rule", "matches"),
    [
        (RuleInput("phone", "phone", 50, values=("555 010 2001",)), True),
        (RuleInput("phone other", "phone", 50, values=("5550109999",)), False),
        (RuleInput("e-mail", "email", 50, values=("KAREN@mailinator.com",)), True),
        (RuleInput("domain", "email", 50, values=("@mailinator.com",)), True),
        (RuleInput("other domain", "email", 50, values=("@example.com",)), False),
        (RuleInput("postal code", "postal_code", 50, values=("97201",)), True),
        (RuleInput("postal other", "postal_code", 50, values=("10001",)), False),
        (RuleInput("address", "address", 50, values=("1 main st",)), True),
        (RuleInput("address other", "address", 50, values=("PO Box",)), False),
        (RuleInput("name", "name", 50, values=("karen  berg",)), True),
        (RuleInput("name other", "name", 50, values=("Karen",)), False),
        (RuleInput("total", "total_above", 50, amount=Decimal("500")), True),
        (RuleInput("total not", "total_above", 50, amount=Decimal("600")), False),
        (RuleInput("first", "first_order_above", 50, amount=Decimal("500")), True),
        (RuleInput("first not", "first_order_above", 50, amount=Decimal("700")), False),
        (RuleInput("differs", "address_differs", 50), False),
        (RuleInput("per phone", "orders_per_phone", 50, count=2), True),
        (RuleInput("per phone not", "orders_per_phone", 50, count=3), False),
    ],
    ids=lambda value: value.name if isinstance(value, RuleInput) else str(value),
)
def test_each_rule_kind_matches_or_not(rule, matches):
    result = score(FACTS, [rule])
    assert result.matched == ((rule.name,) if matches else ())
    assert result.score == (50 if matches else 0)


def test_a_delivery_address_other_than_the_invoice_address_matches():
    facts = OrderFacts(total=Decimal("1"), delivery_address="a", invoice_address="b")
    assert score(facts, [RuleInput("differs", "address_differs", 30)]).matched == ("differs",)


def test_the_first_order_rule_ignores_a_returning_customer():
    facts = OrderFacts(total=Decimal("900"), is_first_order=False)
    rule = RuleInput("first", "first_order_above", 50, amount=Decimal("500"))
    assert score(facts, [rule]).score == 0


def test_scores_of_every_matched_rule_add_up():
    rules = [
        RuleInput("domain", "email", 40, values=("@mailinator.com",)),
        RuleInput("total", "total_above", 70, amount=Decimal("100")),
        RuleInput("nope", "name", 500, values=("Someone Else",)),
    ]
    result = score(FACTS, rules)
    assert result.score == 110
    assert result.matched == ("domain", "total")


def test_empty_facts_match_no_list():
    facts = OrderFacts(total=Decimal("0"))
    rules = [
        RuleInput(kind, kind, 10, values=("",))
        for kind in ["phone", "email", "postal_code", "address"]
    ]
    assert score(facts, rules).score == 0
