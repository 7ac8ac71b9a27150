"""Amounts typed in the active locale: grouped by three or not at all."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from callcenter.fields import AmountField

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("language", "typed", "amount"),
    [
        ("en", "120.00", Decimal("120.00")),
        ("en", "120", Decimal("120")),
        ("en", "1,234.50", Decimal("1234.50")),
        ("en", "12,345,678", Decimal("12345678")),
        ("fr", "120,00", Decimal("120.00")),
        ("fr", "120.00", Decimal("120.00")),
        ("fr", "1 234,50", Decimal("1234.50")),
        ("fr", f"1{NNBSP}234,50", Decimal("1234.50")),
    ],
)
def test_an_amount_typed_in_the_locale_is_read(language, typed, amount):
    with translation.override(language):
        assert AmountField().clean(typed) == amount


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("en", "1,20"),
        ("en", "12,34.00"),
        ("en", "1234,567.00"),
        ("en", ",120"),
        ("fr", "1 20,00"),
        ("fr", "12 3456"),
        ("en", "12O.00"),
    ],
)
def test_a_misgrouped_amount_is_refused(language, typed):
    with translation.override(language), pytest.raises(forms.ValidationError):
        AmountField().clean(typed)


def test_an_amount_is_shown_in_the_locale_without_grouping_in_the_input():
    class Form(forms.Form):
        amount = AmountField()

    with translation.override("fr"):
        rendered = str(Form(initial={"amount": Decimal("1234.50")})["amount"])
    assert 'value="1234,50"' in rendered
