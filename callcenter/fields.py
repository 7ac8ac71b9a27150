"""Form fields shared by every app's forms."""

import re
import unicodedata

from django import forms
from django.utils import formats

from .money import DECIMAL_PLACES, MAX_AMOUNT, MAX_DIGITS


class AmountField(forms.DecimalField):
    """An amount typed in the active locale ("120.00", "1,234.50"; "120,00", "1 234,50").

    Django drops every thousands separator before parsing, so in English "1,20"
    would become 120: a hundredfold charge. Grouping is accepted only in groups
    of three digits; anything else is refused as "invalid".
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
        if isinstance(value, str) and not self._grouped_correctly(value.strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    @staticmethod
    def _grouped_correctly(text: str) -> bool:
        decimal_separator = formats.get_format("DECIMAL_SEPARATOR")
        thousand_separator = formats.get_format("THOUSAND_SEPARATOR")
        # the same separators Django removes: French "1 234,50" typed with a plain space too
        separators = {thousand_separator, unicodedata.normalize("NFKD", thousand_separator)}
        separators -= {decimal_separator, ""}
        whole = text.split(decimal_separator, 1)[0].lstrip("+-")
        groups = re.split("|".join(re.escape(s) for s in separators), whole) if separators else []
        if len(groups) <= 1:
            return True
        return 1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])
