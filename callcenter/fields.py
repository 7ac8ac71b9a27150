"""Form fields shared by every app's forms, and how a view says a form's errors."""

import re
import unicodedata

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _

from . import reference
from .money import DECIMAL_PLACES, MAX_AMOUNT, MAX_DIGITS, format_money


def form_errors(form) -> str:
    """Every error of a bound, invalid form in one line, for the page's alert."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def first_of_each_label(choices) -> list[tuple]:
    """``(value, label)`` choices with one option per label, the first kept: two records
    written alike (a delivery and an invoice address) are one choice to the clerk."""
    distinct: dict[str, tuple] = {}
    for choice in choices:
        distinct.setdefault(str(choice[1]), choice)
    return list(distinct.values())


def labelled_form_errors(form) -> str:
    """Every error of a bound, invalid form in one line, each after its field's label:
    for a form of many alike fields (a quantity for each line), where the error alone
    would not say which field it is about."""
    said = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for error in errors:
            if field is None or field.widget.is_hidden or not field.label:
                said.append(str(error))
            else:
                said.append(_("%(label)s: %(value)s") % {"label": field.label, "value": error})
    return " ".join(said)


SPACES = {" ", "\u00a0", "\u202f"}
#: what an amount may be written with: a sign, ASCII digits, separators (the locale's)
WRITTEN_AMOUNT = re.compile("[+-]?[0-9., \u00a0\u202f']+")


class AmountField(forms.DecimalField):
    """An amount typed in the active locale ("120.00", "1,234.50"; "120,00", "1 234,50").

    Thousands separators are accepted only in groups of three digits: dropping
    them blindly would read the English "1,20" as 120, a hundredfold charge.
    Anything else is refused as "invalid".
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        kwargs.setdefault("localize", True)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            # digits as typed on a keyboard: not "1e1", nor Arabic-Indic or full-width
            # digits, which Python reads as numbers and a clerk would not mean
            if value and not WRITTEN_AMOUNT.fullmatch(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = self._ungrouped(value)
        return super().to_python(value)

    def run_validators(self, value):
        """The smallest or largest amount allowed is written as the reader writes amounts
        ("0,01" in French), not as Python does ("0.01"). One mistake gets one message:
        a huge amount is too large, not also of too many digits."""
        try:
            super().run_validators(value)
        except forms.ValidationError as error:
            for each in error.error_list:
                if each.code in ("min_value", "max_value") and each.params:
                    each.params = {
                        **each.params,
                        "limit_value": format_money(each.params["limit_value"]),
                    }
            # too many decimals is the mistake to name ("0.001"); else the limit passed
            first = next((e for e in error.error_list if e.code == "max_decimal_places"), None)
            raise forms.ValidationError([first or error.error_list[0]]) from None

    def _ungrouped(self, text: str) -> str:
        """The text without its thousands separators, refused unless grouped by three."""
        decimal_separator = formats.get_format("DECIMAL_SEPARATOR")
        thousand_separator = formats.get_format("THOUSAND_SEPARATOR")
        separators = {thousand_separator, unicodedata.normalize("NFKD", thousand_separator)}
        if thousand_separator.isspace():
            # French "1 234,50" comes with a plain, a no-break or a narrow no-break space
            separators |= SPACES
        separators -= {decimal_separator, ""}
        whole, point, decimals = text.partition(decimal_separator)
        groups = re.split("|".join(map(re.escape, separators)), whole) if separators else [whole]
        if len(groups) > 1:
            sign = groups[0][:1] if groups[0][:1] in "+-" else ""
            first = groups[0][len(sign) :]
            if not (1 <= len(first) <= 3 and all(len(group) == 3 for group in groups[1:])):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return "".join(groups) + point + decimals


def keep_options(field: forms.ModelChoiceField, call_center, name: str, *key, rows=None) -> None:
    """Give the model choice ``field`` its options as ``(value, label)`` pairs kept with
    the call center's setup data (``callcenter.reference``), for the ``choices`` template
    filter: the page shows them without a query. ``rows()`` (default: the field's
    queryset) reads them; ``key`` names what else they depend on."""

    def load():
        objects = rows() if rows is not None else field.queryset
        return tuple((str(obj.pk), field.label_from_instance(obj)) for obj in objects)

    field.options = reference.cached(call_center, name, load, *key)
