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

**The explanation** is kept as its facts (``ReturnedLine.facts``, ``ReturnRefund.charges``
and its ``charges_reason``) and worded by ``worded`` when it is read, in the reader's
language and number format: a return made in French reads in English to an English
clerk.
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


# Why the charges were or were not refunded (ReturnRefund.charges_reason).
CHARGES_NOT_REFUNDED, CHARGES_REFUNDED_BEFORE, CHARGES_REFUNDED = (
    "not_refunded",
    "refunded_before",
    "refunded",
)


@dataclass(frozen=True)
class ReturnedLine:
    key: Hashable
    quantity: int
    merchandise: Decimal
    tax: Decimal
    amount: Decimal
    sold: int  # units sold on the line
    paid: Decimal  # what was paid for the line's merchandise (net less its coupon share)
    line_tax: Decimal

    def facts(self) -> dict:
        """What the explanation of this line says, as stored with the return."""
        return {
            "quantity": self.quantity,
            "sold": self.sold,
            "merchandise": str(self.merchandise),
            "paid": str(self.paid),
            "tax": str(self.tax),
            "line_tax": str(self.line_tax),
        }

    @property
    def explanation(self) -> str:
        return worded(self.facts())


@dataclass(frozen=True)
class ReturnRefund:
    lines: tuple[ReturnedLine, ...]
    charges: Decimal
    charges_reason: str
    total: Decimal

    def line(self, key: Hashable) -> ReturnedLine:
        return next(line for line in self.lines if line.key == key)

    def charges_facts(self) -> dict:
        return {"charges": self.charges_reason, "amount": str(self.charges)}

    @property
    def charges_explanation(self) -> str:
        return worded(self.charges_facts())


def worded(step: dict) -> str:
    """One step of a return's explanation, in the active language: a returned line's
    facts, or the charges' (``charges`` and ``amount``). A step stored already worded
    (``text``, by returns made before the facts were kept) is said as it was stored."""
    if "text" in step:
        return step["text"]
    if "charges" in step:
        if step["charges"] == CHARGES_NOT_REFUNDED:
            return _("Charges are not refunded for this reason.")
        if step["charges"] == CHARGES_REFUNDED_BEFORE:
            return _("Charges were refunded by an earlier return.")
        return _("Charges refunded: %(amount)s") % {"amount": format_money(Decimal(step["amount"]))}
    return _(
        "%(quantity)s of %(sold)s: %(merchandise)s of %(paid)s paid, tax %(tax)s of %(line_tax)s"
    ) % {
        "quantity": step["quantity"],
        "sold": step["sold"],
        **{
            name: format_money(Decimal(step[name]))
            for name in ("merchandise", "paid", "tax", "line_tax")
        },
    }


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
                sold=line.sold_quantity,
                paid=paid,
                line_tax=line.tax,
            )
        )
    charges = list(charges)
    charges_amount = ZERO
    if not refund_charges:
        charges_reason = CHARGES_NOT_REFUNDED
    elif charges_already_refunded:
        charges_reason = CHARGES_REFUNDED_BEFORE
    else:
        charges_reason = CHARGES_REFUNDED
        charges_amount = money_sum(c.amount + c.tax for c in charges)
    return ReturnRefund(
        lines=tuple(returned),
        charges=charges_amount,
        charges_reason=charges_reason,
        total=money_sum(line.amount for line in returned) + charges_amount,
    )
