"""The fraud score of an order: pure, plain inputs in, the score and the matched rules out.

``orders.holds`` gathers the facts and the active rules from the database and
puts the order on FRAUD hold when the score reaches the call center's threshold.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class OrderFacts:
    total: Decimal
    phone: str = ""
    email: str = ""
    postal_code: str = ""
    delivery_address: str = ""
    invoice_address: str = ""
    name: str = ""
    is_first_order: bool = False
    orders_today_from_phone: int = 0  # this order included


@dataclass(frozen=True)
class RuleInput:
    name: str
    kind: str  # one of ``FraudRule.Kind``
    score: int
    values: tuple[str, ...] = ()
    amount: Decimal | None = None
    count: int | None = None


@dataclass(frozen=True)
class FraudResult:
    score: int
    matched: tuple[str, ...]


def _norm(value: str) -> str:
    return " ".join(value.casefold().split())


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _in_list(kind: str, facts: OrderFacts, values: tuple[str, ...]) -> bool:
    entries = [_norm(v) for v in values if v.strip()]
    if kind == "phone":
        phone = _digits(facts.phone)
        # a listed number matches with or without its country code
        return bool(phone) and any(
            _digits(e) and (phone.endswith(_digits(e)) or _digits(e).endswith(phone))
            for e in entries
        )
    if kind == "email":
        email = _norm(facts.email)
        domain = email.partition("@")[2]
        return bool(email) and any(
            e == email or (e.startswith("@") and e[1:] == domain) for e in entries
        )
    if kind == "postal_code":
        code = _norm(facts.postal_code).replace(" ", "")
        return bool(code) and code in {e.replace(" ", "") for e in entries}
    if kind == "address":
        address = _norm(facts.delivery_address)
        return bool(address) and any(e in address for e in entries)
    if kind == "name":
        return _norm(facts.name) in entries
    raise ValueError(kind)


def _matches(rule: RuleInput, facts: OrderFacts) -> bool:
    kind = rule.kind
    if kind in {"phone", "email", "postal_code", "address", "name"}:
        return _in_list(kind, facts, rule.values)
    if kind == "total_above":
        return rule.amount is not None and facts.total > rule.amount
    if kind == "first_order_above":
        return facts.is_first_order and rule.amount is not None and facts.total > rule.amount
    if kind == "address_differs":
        return bool(facts.invoice_address) and _norm(facts.delivery_address) != _norm(
            facts.invoice_address
        )
    if kind == "orders_per_phone":
        return (
            rule.count is not None
            and bool(_digits(facts.phone))
            and facts.orders_today_from_phone > rule.count
        )
    raise ValueError(kind)


def score(facts: OrderFacts, rules: list[RuleInput]) -> FraudResult:
    """Add up the score of every rule the order matches."""
    matched = [rule for rule in rules if _matches(rule, facts)]
    return FraudResult(
        score=sum(rule.score for rule in matched), matched=tuple(rule.name for rule in matched)
    )
