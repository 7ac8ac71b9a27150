"""Money: ``Decimal`` amounts quantized in exactly one place.

Every amount the application stores or shows passes through :func:`quantize`,
so rounding is decided here and nowhere else.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats

# Twelve digits, two of them decimals: the column width of every amount field.
MAX_DIGITS = 12
DECIMAL_PLACES = 2
CENT = Decimal(1).scaleb(-DECIMAL_PLACES)  # 0.01
ZERO = Decimal(0).quantize(CENT)  # 0.00
#: the largest amount such a column holds, 9999999999.99; the smallest is its negative
MAX_AMOUNT = Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES) - CENT


def quantize(value: Decimal | int | str) -> Decimal:
    """Round an amount to cents, half away from zero (commercial rounding)."""
    try:
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"Not an amount: {value!r}") from exc


def fits_column(value: Decimal) -> bool:
    """Whether an amount can be stored in an amount column (at most ``MAX_AMOUNT`` either
    side of zero): a larger one is refused by PostgreSQL and unreadable on SQLite."""
    return abs(value) <= MAX_AMOUNT


def money_sum(values) -> Decimal:
    return quantize(sum((Decimal(v) for v in values), ZERO))


def format_money(value: Decimal | None) -> str:
    """The amount as the active locale writes it: 1,234.50 in English, 1 234,50 in French."""
    if value is None:
        return ""
    return formats.number_format(
        quantize(value), DECIMAL_PLACES, use_l10n=True, force_grouping=True
    )
