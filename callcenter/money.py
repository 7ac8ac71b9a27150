"""Money: ``Decimal`` amounts quantized in exactly one place.

Every amount the application stores or shows passes through :func:`quantize`,
so rounding is decided here and nowhere else.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Twelve digits, two of them decimals: the column width of every amount field.
MAX_DIGITS = 12
DECIMAL_PLACES = 2
MAX_AMOUNT = Decimal("9999999999.99")


def quantize(value: Decimal | int | str) -> Decimal:
    """Round an amount to cents, half away from zero (commercial rounding)."""
    try:
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"Not an amount: {value!r}") from exc


def money_sum(values) -> Decimal:
    return quantize(sum((Decimal(v) for v in values), ZERO))


def format_money(value: Decimal | None) -> str:
    """The amount as the active locale writes it: 1,234.50 in English, 1 234,50 in French."""
    if value is None:
        return ""
    return formats.number_format(
        quantize(value), DECIMAL_PLACES, use_l10n=True, force_grouping=True
    )
