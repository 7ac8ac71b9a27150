"""The pricing engine: plain inputs in, amounts and their explanation out.

Pure: no database, no clock, no request. The order page, the order summary and
the submit gate all call :func:`price_order`, so a clerk, the summary and the
gate always read the same numbers.

Order of operations, per line: gross = unit price x quantity; discount =
gross x discount percent; net = gross - discount. Then subtotal = sum of gross,
discounts = sum of line discounts, charges = sum of charges, tax = tax rate x
(subtotal - discounts), total = subtotal - discounts + charges + tax. Every
amount is quantized to cents as soon as it is computed.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from callcenter.money import ZERO, money_sum, quantize

HUNDRED = Decimal(100)


class PricingError(ValueError):
    pass


@dataclass(frozen=True)
class LineInput:
    key: Hashable
    unit_price: Decimal
    quantity: int
    discount_percent: Decimal = ZERO
    discount_reason: str = ""


@dataclass(frozen=True)
class ChargeInput:
    code: str
    description: str
    amount: Decimal


@dataclass(frozen=True)
class PricedLine:
    key: Hashable
    unit_price: Decimal
    quantity: int
    gross: Decimal
    discount_percent: Decimal
    discount_reason: str
    discount: Decimal
    net: Decimal


@dataclass(frozen=True)
class PricedCharge:
    code: str
    description: str
    amount: Decimal


@dataclass(frozen=True)
class OrderTotals:
    lines: tuple[PricedLine, ...]
    charges: tuple[PricedCharge, ...]
    subtotal: Decimal
    discount_total: Decimal
    charges_total: Decimal
    tax_rate: Decimal
    taxable_amount: Decimal
    tax_total: Decimal
    total: Decimal

    def line(self, key: Hashable) -> PricedLine:
        return next(line for line in self.lines if line.key == key)


def price_line(line: LineInput) -> PricedLine:
    if line.quantity < 1:
        raise PricingError(f"Quantity must be at least 1, got {line.quantity}")
    if line.unit_price < 0:
        raise PricingError(f"Unit price cannot be negative, got {line.unit_price}")
    if not ZERO <= line.discount_percent <= HUNDRED:
        raise PricingError(f"Discount must be between 0 and 100 %, got {line.discount_percent}")
    unit_price = quantize(line.unit_price)
    gross = quantize(unit_price * line.quantity)
    discount = quantize(gross * line.discount_percent / HUNDRED)
    return PricedLine(
        key=line.key,
        unit_price=unit_price,
        quantity=line.quantity,
        gross=gross,
        discount_percent=line.discount_percent,
        discount_reason=line.discount_reason if discount else "",
        discount=discount,
        net=gross - discount,
    )


def price_order(
    *,
    lines: Iterable[LineInput],
    charges: Iterable[ChargeInput] = (),
    tax_rate: Decimal = ZERO,
) -> OrderTotals:
    if tax_rate < 0:
        raise PricingError(f"Tax rate cannot be negative, got {tax_rate}")
    priced_lines = tuple(price_line(line) for line in lines)
    priced_charges = tuple(
        PricedCharge(code=c.code, description=c.description, amount=quantize(c.amount))
        for c in charges
    )
    if any(c.amount < 0 for c in priced_charges):
        raise PricingError("A charge cannot be negative")
    subtotal = money_sum(line.gross for line in priced_lines)
    discount_total = money_sum(line.discount for line in priced_lines)
    charges_total = money_sum(c.amount for c in priced_charges)
    taxable_amount = subtotal - discount_total
    tax_total = quantize(taxable_amount * tax_rate / HUNDRED)
    return OrderTotals(
        lines=priced_lines,
        charges=priced_charges,
        subtotal=subtotal,
        discount_total=discount_total,
        charges_total=charges_total,
        tax_rate=tax_rate,
        taxable_amount=taxable_amount,
        tax_total=tax_total,
        total=subtotal - discount_total + charges_total + tax_total,
    )
