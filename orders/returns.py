"""What a return refunds: plain inputs in, amounts and their explanation out.

Pure: no database. ``orders.services.create_return`` gathers the inputs from the
original order's lines as they were last priced (``SalesLine.line_amount``,
``coupon_share``, ``tax_amount``) and its charges.

**A line**: what the customer paid for the line is its net amount less its share
of the order coupon, plus its tax. Returned units get their share of both, by
quantity. Shares are computed on the running total of units returned (units
already returned plus these, less what the earlier returns got), so returning a
line in several returns refunds exactly what was paid for it, to the cent.

**Charges** (shipping and handling, with their tax) are refunded only when the
return reason says so, and only once per order.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from callcenter.money import ZERO, format_money, money_sum, quantize


class ReturnError(ValueError):
    pass


@dataclass(frozen=True)
class ReturnLineInput:
    key: Hashable
    sold_quantity: int
    already_returned: int
    quantity: int
    net: Decimal
    coupon_share: Decimal = ZERO
    tax: Decimal = ZERO


@dataclass(frozen=True)
class ChargeInput:
    description: str
    amount: Decimal
    tax: Decimal = ZERO


@dataclass(frozen=True)
class ReturnedLine:
    key: Hashable
    quantity: int
    merchandise: Decimal
    tax: Decimal
    amount: Decimal
    explanation: str


@dataclass(frozen=True)
class ReturnRefund:
    lines: tuple[ReturnedLine, ...]
    charges: Decimal
    charges_explanation: str
    total: Decimal

    def line(self, key: Hashable) -> ReturnedLine:
        return next(line for line in self.lines if line.key == key)


def _share(amount: Decimal, units: int, sold: int) -> Decimal:
    return quantize(amount * units / sold)


def _cumulative_share(amount: Decimal, *, before: int, quantity: int, sold: int) -> Decimal:
    return _share(amount, before + quantity, sold) - _share(amount, before, sold)


def refund_for_return(
    *,
    lines: Iterable[ReturnLineInput],
    charges: Iterable[ChargeInput] = (),
    refund_charges: bool = False,
    charges_already_refunded: bool = False,
) -> ReturnRefund:
    """The refund owed for the returned units of ``lines`` (and the charges, if refunded)."""
    returned = []
    for line in lines:
        if line.quantity < 1:
            raise ReturnError(f"Returned quantity must be positive, got {line.quantity}")
        if line.already_returned + line.quantity > line.sold_quantity:
            raise ReturnError(
                f"{line.quantity} returned with {line.already_returned} of "
                f"{line.sold_quantity} already back"
            )
        paid = line.net - line.coupon_share
        shares = {"before": line.already_returned, "quantity": line.quantity}
        merchandise = _cumulative_share(paid, sold=line.sold_quantity, **shares)
        tax = _cumulative_share(line.tax, sold=line.sold_quantity, **shares)
        returned.append(
            ReturnedLine(
                key=line.key,
                quantity=line.quantity,
                merchandise=merchandise,
                tax=tax,
                amount=merchandise + tax,
                explanation=_(
                    "%(quantity)s of %(sold)s: %(merchandise)s of %(paid)s paid, "
                    "tax %(tax)s of %(line_tax)s"
                )
                % {
                    "quantity": line.quantity,
                    "sold": line.sold_quantity,
                    "merchandise": format_money(merchandise),
                    "paid": format_money(paid),
                    "tax": format_money(tax),
                    "line_tax": format_money(line.tax),
                },
            )
        )
    charges = list(charges)
    charges_amount = ZERO
    if not refund_charges:
        charges_explanation = _("Charges are not refunded for this reason.")
    elif charges_already_refunded:
        charges_explanation = _("Charges were refunded by an earlier return.")
    else:
        charges_amount = money_sum(c.amount + c.tax for c in charges)
        charges_explanation = _("Charges refunded: %(amount)s") % {
            "amount": format_money(charges_amount)
        }
    return ReturnRefund(
        lines=tuple(returned),
        charges=charges_amount,
        charges_explanation=charges_explanation,
        total=money_sum(line.amount for line in returned) + charges_amount,
    )
