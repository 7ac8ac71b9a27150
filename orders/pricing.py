"""The pricing engine: plain inputs in, amounts and their explanation out.

Pure: no database, no clock (``today`` is passed in), no request. The order
page, the order summary, the submit gate and every re-price call
:func:`price_order` with inputs gathered by ``orders.services.price``, so a
clerk, the summary and the gate always read the same numbers.

**Unit price of a line**, one step after the other, each step recorded in the
line's ``explanation`` (base -> price group -> source code -> coupon -> override):

1. *base*: the product's price, copied on the line when it was added;
2. *price group*: the trade agreement price, when one is valid ``today`` for the
   quantity (quantity breaks: an agreement applies from its ``min_quantity``).
   The customer's price group wins over the call center's; within the winning
   group(s) the lowest applicable price is taken;
3. *source code* (only on the catalog's products): a special price replaces the
   price; otherwise the percentage, then the amount per unit, is taken off;
4. *coupon* with line scope: percentage or amount per unit off every line;
5. *override*: the clerk's price replaces whatever was computed.

A line with ``fixed_price`` (a continuity renewal's line, at the program's price)
keeps its unit price through steps 2 and 3: no price group (the customer's or the
call center's) nor source code changes it, and its explanation starts with a
*fixed* step instead of *base*. A coupon and an override still apply.

The *list price* of a line is its price after step 2. ``gross`` is the list
price (or the final price, if an override raised it) times the quantity;
``discount`` = gross - net is what steps 3 to 5 took off, never negative;
``net`` = final unit price x quantity.

**Order**: a coupon with order scope takes a percentage or an amount (at most
the merchandise) off the sum of the lines' net amounts; it is its own discount
row and is allocated over the lines in proportion to their net amounts (whole
cents, the remainder to the largest fractions) so each line is taxed on what
the customer pays for it. A coupon whose minimum order amount is not reached
is not applied, and ``coupon_refusal`` says why.

**Charges**: each rule of the mode of delivery gives a charge per order, per
line or per unit, optionally only inside a tier (order value or weight from/to),
free from an order value, and a shipping charge is waived or reduced by the
order's source code. Each charge is its own line with its explanation.

**Tax**: each line at its own rate (tax group x jurisdiction, see
:func:`tax_rate_for`, else the order's default rate) on its net amount less its
share of the order coupon; a charge is taxed only when its rule says so, at the
charges' rate.

**Rounding** (one rule): every amount is rounded half up to cents by
:func:`callcenter.money.quantize` as soon as it is computed - each unit price
step, each line's tax, each charge - and totals are sums of rounded parts. So
subtotal - discounts + charges + tax == total exactly, and the summary, submit
and history agree to the cent.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from callcenter.money import ZERO, format_money, money_sum, quantize

HUNDRED = Decimal(100)

# Kinds of explanation steps, in the order they are applied. FIXED takes the place of
# BASE (and of the price group and source code steps) on a line with a fixed price.
BASE, PRICE_GROUP, SOURCE_CODE, COUPON, OVERRIDE = (
    "base",
    "price_group",
    "source_code",
    "coupon",
    "override",
)
FIXED = "fixed"
PERCENT, AMOUNT = "percent", "amount"
ORDER_SCOPE, LINE_SCOPE = "order", "line"
SHIPPING, HANDLING = "shipping", "handling"
PER_ORDER, PER_LINE, PER_UNIT = "order", "line", "unit"
BY_VALUE, BY_WEIGHT = "value", "weight"


class PricingError(ValueError):
    pass


@dataclass(frozen=True)
class TradeAgreementInput:
    """A price of one product in one price group, from a quantity, between two dates."""

    price_group: str
    price: Decimal
    min_quantity: int = 1
    valid_from: date | None = None
    valid_to: date | None = None
    is_customer_group: bool = False

    def applies(self, quantity: int, today: date | None) -> bool:
        if quantity < self.min_quantity:
            return False
        if today is None:
            return True
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or today <= self.valid_to
        )


@dataclass(frozen=True)
class SourceCodeEffect:
    """What a source code does to the price of one of its catalog's products."""

    code: str
    discount_percent: Decimal = ZERO
    discount_amount: Decimal = ZERO
    special_price: Decimal | None = None


@dataclass(frozen=True)
class ShippingEffect:
    """What the order's source code does to shipping charges."""

    code: str
    waived: bool = False
    discount_percent: Decimal = ZERO


@dataclass(frozen=True)
class CouponInput:
    code: str
    kind: str = AMOUNT
    scope: str = ORDER_SCOPE
    value: Decimal = ZERO
    min_order_amount: Decimal = ZERO


@dataclass(frozen=True)
class LineInput:
    key: Hashable
    unit_price: Decimal
    quantity: int
    agreements: Sequence[TradeAgreementInput] = ()
    source_code: SourceCodeEffect | None = None
    override_price: Decimal | None = None
    override_reason: str = ""
    tax_rate: Decimal | None = None
    weight: Decimal = ZERO
    #: the day its trade agreements are read on, when not the order's ``today``
    priced_on: date | None = None
    #: the unit price is kept as it is (a continuity program's price): price groups and
    #: source codes do not change it
    fixed_price: bool = False


@dataclass(frozen=True)
class ChargeRuleInput:
    code: str
    description: str
    amount: Decimal
    category: str = SHIPPING
    basis: str = PER_ORDER
    tier_basis: str = ""
    tier_from: Decimal | None = None
    tier_to: Decimal | None = None
    free_from: Decimal | None = None
    taxable: bool = False


@dataclass(frozen=True)
class TaxRateInput:
    """A rate for a tax group ("" = every product) in a country and state ("" = any);
    the country and state are kept as ``jurisdiction`` compares them."""

    rate: Decimal
    tax_group: str = ""
    country: str = ""
    state: str = ""

    def __post_init__(self):
        object.__setattr__(self, "country", jurisdiction(self.country))
        object.__setattr__(self, "state", jurisdiction(self.state))


def jurisdiction(value: str) -> str:
    """A country or state as rates and addresses are matched: whatever its case and
    surrounding spaces ("or" typed on an address is Oregon's "OR")."""
    return value.strip().upper()


@dataclass(frozen=True)
class PriceStep:
    """One step of an explanation: what it was, the resulting amount, and its reference."""

    kind: str
    amount: Decimal
    reference: str = ""

    @property
    def label(self) -> str:
        labels = {
            BASE: _("Base price"),
            FIXED: _("Continuity program price"),
            PRICE_GROUP: _("Price group %(ref)s"),
            SOURCE_CODE: _("Source code %(ref)s"),
            COUPON: _("Coupon %(ref)s"),
            OVERRIDE: _("Override (%(ref)s)"),
            "free": _("Free from an order value of %(ref)s"),
            "waived": _("Waived by source code %(ref)s"),
            "reduced": _("Reduced by source code %(ref)s"),
        }
        if self.kind == "rule":
            return self.reference
        reference = self.reference
        if self.kind == "free":
            reference = format_money(Decimal(reference))
        return labels.get(self.kind, self.kind) % {"ref": reference}

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "amount": str(self.amount), "reference": self.reference}

    @classmethod
    def from_dict(cls, data: dict) -> "PriceStep":
        return cls(kind=data["kind"], amount=Decimal(data["amount"]), reference=data["reference"])


@dataclass(frozen=True)
class PricedLine:
    key: Hashable
    quantity: int
    base_price: Decimal
    list_price: Decimal
    computed_price: Decimal
    unit_price: Decimal
    gross: Decimal
    discount: Decimal
    net: Decimal
    coupon_share: Decimal
    tax_rate: Decimal
    tax: Decimal
    explanation: tuple[PriceStep, ...]
    overridden: bool


@dataclass(frozen=True)
class PricedCharge:
    code: str
    category: str
    description: str
    amount: Decimal
    tax: Decimal
    explanation: tuple[PriceStep, ...] = ()


@dataclass(frozen=True)
class OrderTotals:
    lines: tuple[PricedLine, ...]
    charges: tuple[PricedCharge, ...]
    subtotal: Decimal
    line_discount_total: Decimal
    coupon_code: str
    coupon_discount: Decimal
    coupon_refusal: str
    discount_total: Decimal
    charges_total: Decimal
    tax_rate: Decimal
    taxable_amount: Decimal
    tax_total: Decimal
    total: Decimal

    def line(self, key: Hashable) -> PricedLine:
        return next(line for line in self.lines if line.key == key)

    def charge(self, code: str) -> PricedCharge:
        return next(charge for charge in self.charges if charge.code == code)

    @property
    def merchandise(self) -> Decimal:
        """What the lines come to after every discount, the order coupon included."""
        return self.subtotal - self.discount_total


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return quantize(amount * percent / HUNDRED)


def agreement_price(
    agreements: Iterable[TradeAgreementInput], *, quantity: int, today: date | None
) -> TradeAgreementInput | None:
    """The trade agreement that sets the price, or None: the customer's group first."""
    applicable = [a for a in agreements if a.applies(quantity, today)]
    pool = [a for a in applicable if a.is_customer_group] or applicable
    return min(pool, key=lambda a: (a.price, -a.min_quantity, a.price_group), default=None)


def tax_rate_for(
    rates: Iterable[TaxRateInput],
    *,
    tax_group: str,
    country: str,
    state: str,
    default: Decimal,
) -> Decimal:
    """The most specific rate for the tax group in the jurisdiction, else ``default``.

    A rate for the product's own tax group beats one for every product; within
    those, one for the state beats one for the country, which beats one for
    anywhere. Countries and states match whatever their case and surrounding spaces
    (``jurisdiction``).
    """
    country, state = jurisdiction(country), jurisdiction(state)
    best, best_score = None, None
    for rate in rates:
        if rate.tax_group not in ("", tax_group):
            continue
        if rate.country and rate.country != country:
            continue
        if rate.state and (not rate.country or rate.state != state):
            continue
        score = (rate.tax_group != "", rate.state != "", rate.country != "")
        if best_score is None or score > best_score:
            best, best_score = rate, score
    return default if best is None else best.rate


def override_percent_below(*, computed: Decimal, price: Decimal) -> Decimal:
    """How far (in %) an override goes below the computed price; 0 at or above it."""
    if price >= computed or computed <= 0:
        return ZERO
    return (computed - price) * HUNDRED / computed


def computed_price_of(explanation: Iterable[PriceStep]) -> Decimal | None:
    """The unit price a line's ``explanation`` computed before the clerk's override (the
    last step that is not the override): what the override is measured against."""
    computed = [step.amount for step in explanation if step.kind != OVERRIDE]
    return computed[-1] if computed else None


def _validate_line(line: LineInput) -> None:
    if line.quantity < 1:
        raise PricingError(f"Quantity must be at least 1, got {line.quantity}")
    if line.unit_price < 0:
        raise PricingError(f"Unit price cannot be negative, got {line.unit_price}")
    if line.override_price is not None and line.override_price < 0:
        raise PricingError(f"An override price cannot be negative, got {line.override_price}")
    effect = line.source_code
    if effect and not ZERO <= effect.discount_percent <= HUNDRED:
        raise PricingError(f"Discount must be between 0 and 100 %, got {effect.discount_percent}")


def _before_coupon(line: LineInput, today: date | None) -> list[PriceStep]:
    """Steps 1 to 3: base, price group, source code; a fixed price only its own step."""
    price = quantize(line.unit_price)
    if line.fixed_price:
        return [PriceStep(FIXED, price)]
    steps = [PriceStep(BASE, price)]
    agreement = agreement_price(line.agreements, quantity=line.quantity, today=today)
    if agreement is not None:
        price = quantize(agreement.price)
        steps.append(PriceStep(PRICE_GROUP, price, agreement.price_group))
    effect = line.source_code
    if effect is not None:
        if effect.special_price is not None:
            new = quantize(effect.special_price)
        else:
            new = price - percent_of(price, effect.discount_percent)
            new = max(ZERO, quantize(new - effect.discount_amount))
        if new != price:
            price = new
            steps.append(PriceStep(SOURCE_CODE, price, effect.code))
    return steps


def _coupon_unit_price(price: Decimal, coupon: CouponInput) -> Decimal:
    if coupon.kind == PERCENT:
        return price - percent_of(price, coupon.value)
    return max(ZERO, quantize(price - coupon.value))


def _allocate(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split ``amount`` in whole cents in proportion to ``weights``; the parts sum to it."""
    total = sum(weights, ZERO)
    if total <= 0 or amount <= 0:
        return [ZERO for _ in weights]
    cents = int(amount * 100)
    exact = [Decimal(cents) * w / total for w in weights]
    parts = [int(e) for e in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[: cents - sum(parts)]:
        parts[i] += 1
    return [quantize(Decimal(p) / 100) for p in parts]


def _coupon_refusal(coupon: CouponInput, merchandise: Decimal) -> str:
    return _(
        "Coupon %(code)s needs an order of at least %(minimum)s; the items come to %(amount)s."
    ) % {
        "code": coupon.code,
        "minimum": format_money(coupon.min_order_amount),
        "amount": format_money(merchandise),
    }


def price_charges(
    rules: Iterable[ChargeRuleInput],
    *,
    order_value: Decimal,
    weight: Decimal,
    line_count: int,
    unit_count: int,
    shipping: ShippingEffect | None = None,
    tax_rate: Decimal = ZERO,
) -> tuple[PricedCharge, ...]:
    """The charges of the order's mode of delivery; rules outside their tier give none."""
    charges = []
    for rule in rules:
        if rule.amount < 0:
            raise PricingError("A charge cannot be negative")
        if rule.tier_basis:
            measured = order_value if rule.tier_basis == BY_VALUE else weight
            if rule.tier_from is not None and measured < rule.tier_from:
                continue
            if rule.tier_to is not None and measured >= rule.tier_to:
                continue
        count = {PER_ORDER: 1, PER_LINE: line_count, PER_UNIT: unit_count}[rule.basis]
        amount = quantize(rule.amount * count)
        steps = [PriceStep("rule", amount, rule.description)]
        if rule.free_from is not None and order_value >= rule.free_from:
            amount = ZERO
            steps.append(PriceStep("free", amount, str(quantize(rule.free_from))))
        if shipping is not None and rule.category == SHIPPING and amount:
            if shipping.waived:
                amount = ZERO
                steps.append(PriceStep("waived", amount, shipping.code))
            elif shipping.discount_percent:
                amount = max(ZERO, amount - percent_of(amount, shipping.discount_percent))
                steps.append(PriceStep("reduced", amount, shipping.code))
        tax = percent_of(amount, tax_rate) if rule.taxable else ZERO
        charges.append(
            PricedCharge(
                code=rule.code,
                category=rule.category,
                description=rule.description,
                amount=amount,
                tax=tax,
                explanation=tuple(steps),
            )
        )
    return tuple(charges)


def price_order(
    *,
    lines: Iterable[LineInput],
    charge_rules: Iterable[ChargeRuleInput] = (),
    tax_rate: Decimal = ZERO,
    charge_tax_rate: Decimal | None = None,
    coupon: CouponInput | None = None,
    shipping: ShippingEffect | None = None,
    today: date | None = None,
) -> OrderTotals:
    """Price every line, the coupon, the charges and the tax of one order.

    ``today``: the day the trade agreements are read on, for a line that has no
    ``priced_on`` of its own."""
    if tax_rate < 0 or (charge_tax_rate is not None and charge_tax_rate < 0):
        raise PricingError(f"Tax rate cannot be negative, got {tax_rate}")
    lines = list(lines)
    for line in lines:
        _validate_line(line)
        if line.tax_rate is not None and line.tax_rate < 0:
            raise PricingError(f"Tax rate cannot be negative, got {line.tax_rate}")
    if coupon is not None and coupon.value < 0:
        raise PricingError("A coupon cannot add to the price")

    steps_of = [_before_coupon(line, line.priced_on or today) for line in lines]
    coupon_refusal = ""
    line_coupon = coupon if coupon is not None and coupon.scope == LINE_SCOPE else None
    if line_coupon is not None:
        before = money_sum(
            s[-1].amount * ln.quantity for s, ln in zip(steps_of, lines, strict=True)
        )
        if before < line_coupon.min_order_amount:
            coupon_refusal = _coupon_refusal(line_coupon, before)
            line_coupon = None
    priced: list[dict] = []
    for line, steps in zip(lines, steps_of, strict=True):
        list_price = (
            steps[1].amount if len(steps) > 1 and steps[1].kind == PRICE_GROUP else steps[0].amount
        )
        price = steps[-1].amount
        if line_coupon is not None:
            new = _coupon_unit_price(price, line_coupon)
            if new != price:
                price = new
                steps.append(PriceStep(COUPON, price, line_coupon.code))
        computed = price
        if line.override_price is not None:
            price = quantize(line.override_price)
            steps.append(PriceStep(OVERRIDE, price, line.override_reason))
        gross = quantize(max(list_price, price) * line.quantity)
        net = quantize(price * line.quantity)
        priced.append(
            {
                "line": line,
                "list_price": list_price,
                "computed": computed,
                "price": price,
                "gross": gross,
                "net": net,
                "steps": tuple(steps),
            }
        )

    line_net = money_sum(p["net"] for p in priced)
    coupon_discount = ZERO
    order_coupon = coupon if coupon is not None and coupon.scope == ORDER_SCOPE else None
    if order_coupon is not None:
        if line_net < order_coupon.min_order_amount:
            coupon_refusal = _coupon_refusal(order_coupon, line_net)
        elif order_coupon.kind == PERCENT:
            coupon_discount = min(line_net, percent_of(line_net, order_coupon.value))
        else:
            coupon_discount = min(line_net, quantize(order_coupon.value))
    shares = _allocate(coupon_discount, [p["net"] for p in priced])

    priced_lines = []
    for p, share in zip(priced, shares, strict=True):
        line = p["line"]
        rate = tax_rate if line.tax_rate is None else line.tax_rate
        priced_lines.append(
            PricedLine(
                key=line.key,
                quantity=line.quantity,
                base_price=p["steps"][0].amount,
                list_price=p["list_price"],
                computed_price=p["computed"],
                unit_price=p["price"],
                gross=p["gross"],
                discount=p["gross"] - p["net"],
                net=p["net"],
                coupon_share=share,
                tax_rate=rate,
                tax=percent_of(p["net"] - share, rate),
                explanation=p["steps"],
                overridden=line.override_price is not None,
            )
        )
    priced_lines = tuple(priced_lines)

    merchandise = line_net - coupon_discount
    charges = price_charges(
        charge_rules,
        order_value=merchandise,
        weight=sum((ln.weight * ln.quantity for ln in lines), ZERO),
        line_count=len(lines),
        unit_count=sum(ln.quantity for ln in lines),
        shipping=shipping,
        tax_rate=tax_rate if charge_tax_rate is None else charge_tax_rate,
    )
    subtotal = money_sum(line.gross for line in priced_lines)
    line_discount_total = money_sum(line.discount for line in priced_lines)
    discount_total = line_discount_total + coupon_discount
    charges_total = money_sum(c.amount for c in charges)
    tax_total = money_sum(line.tax for line in priced_lines) + money_sum(c.tax for c in charges)
    applied = coupon is not None and not coupon_refusal
    return OrderTotals(
        lines=priced_lines,
        charges=charges,
        subtotal=subtotal,
        line_discount_total=line_discount_total,
        coupon_code=coupon.code if applied else "",
        coupon_discount=coupon_discount,
        coupon_refusal=coupon_refusal,
        discount_total=discount_total,
        charges_total=charges_total,
        tax_rate=tax_rate,
        taxable_amount=merchandise,
        tax_total=tax_total,
        total=subtotal - discount_total + charges_total + tax_total,
    )
