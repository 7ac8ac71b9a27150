from collections.abc import Callable

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from callcenter.fields import AmountField, keep_options
from callcenter.models import CallCenter, DeliveryMode
from catalog.models import SourceCode

from .models import MAX_QUANTITY, PriceOverrideReason


def _refuse_source_code_without_direct_selling(form: forms.Form, call_center: CallCenter) -> None:
    """A posted source code while direct selling is off is an error, not silently dropped."""
    if form.data.get("source_code"):
        form.add_error(
            None,
            forms.ValidationError(
                _("Direct selling is off in call center %(code)s: source codes are not used."),
                params={"code": call_center.code},
            ),
        )


class SourceCodeChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _(
            "That source code is unknown or no longer active. "
            "Ask the caller for the code printed on their catalog."
        )
    }

    def label_from_instance(self, obj: SourceCode) -> str:
        return f"{obj.code} – {obj.catalog.name}"


def active_source_codes(on=None):
    """The source codes active on ``on`` (a call center's ``today()``; else today here)."""
    return SourceCode.objects.active(on).select_related("catalog")


def source_code_choices(form: forms.Form, call_center: CallCenter) -> None:
    """The source codes active on the call center's day (its time zone)."""
    today = call_center.today()
    choose_from(form, "source_code", lambda: active_source_codes(today), today)


def choose_from(form: forms.Form, name: str, queryset: Callable[[], QuerySet], *key) -> None:
    """Give the model choice field ``name`` its options as ``(value, label)`` pairs kept
    with the call center's setup data (callcenter/reference.py), for the ``choices``
    template filter. Its queryset, against which a posted value is checked, is built on
    a bound form that posted one only: building it costs about as much as running a
    query, and an empty value is checked without it."""
    field = form.fields[name]
    if form.is_bound and form.data.get(form.add_prefix(name)) not in field.empty_values:
        field.queryset = queryset()
    keep_options(field, form.call_center, f"{name}_options", *key, rows=queryset)


class HeaderForm(forms.Form):
    delivery_mode = forms.ModelChoiceField(
        label=_("Mode of delivery"),
        queryset=DeliveryMode.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    source_code = SourceCodeChoiceField(
        label=_("Catalog code (whole order)"),
        queryset=SourceCode.objects.none(),
        required=False,
        empty_label=_("(none)"),
        help_text=_("The catalog source code for every line that has none of its own."),
    )
    delivery_address = forms.CharField(
        label=_("Delivery address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, call_center: CallCenter, **kwargs):
        kwargs.setdefault("auto_id", "header_%s")
        super().__init__(*args, **kwargs)
        self.call_center = call_center
        choose_from(
            self, "delivery_mode", lambda: call_center.delivery_modes.filter(is_active=True)
        )
        if call_center.direct_selling_enabled:
            source_code_choices(self, call_center)
        else:
            del self.fields["source_code"]

    def clean(self):
        cleaned = super().clean()
        if not self.call_center.direct_selling_enabled:
            _refuse_source_code_without_direct_selling(self, self.call_center)
        return cleaned


class AddLineForm(forms.Form):
    item_number = forms.CharField(
        label=_("Item number"),
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": "item-suggestions",
            }
        ),
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        initial=1,
        min_value=1,
        max_value=MAX_QUANTITY,
        # a text box checked by the server: a number box would drop a French comma
        # ("2,5" sent as 25) without a word
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    source_code = SourceCodeChoiceField(
        label=_("Source code"),
        queryset=SourceCode.objects.none(),
        required=False,
        empty_label=_("(the order's)"),
    )

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, call_center: CallCenter, **kwargs):
        kwargs.setdefault("auto_id", "line_%s")
        super().__init__(*args, **kwargs)
        self.call_center = call_center
        if call_center.direct_selling_enabled:
            source_code_choices(self, call_center)
        else:
            del self.fields["source_code"]

    def clean(self):
        cleaned = super().clean()
        if not self.call_center.direct_selling_enabled:
            _refuse_source_code_without_direct_selling(self, self.call_center)
        return cleaned

    def clean_item_number(self) -> str:
        """The item number typed; the product is looked up by the service, under the
        order's lock (an unknown one is its error on this field)."""
        item_number = self.cleaned_data["item_number"].strip()
        # a suggestion reads "81327 Product name": the item number is its first word
        return item_number.split()[0] if item_number else item_number


class RemoveLineForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    # the order's version the clerk saw (optimistic concurrency); absent: not checked
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LineQuantityForm(RemoveLineForm):
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=MAX_QUANTITY,
        error_messages={"required": _("Enter a quantity.")},
    )


class CancelLineForm(RemoveLineForm):
    reason = forms.CharField(
        label=_("Reason for cancelling the line"),
        max_length=200,
        error_messages={"required": _("Enter the reason for cancelling the line.")},
    )


class CouponForm(forms.Form):
    coupon_code = forms.CharField(
        label=_("Coupon code"),
        max_length=30,
        error_messages={"required": _("Type the coupon code the caller gives.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "coupon_%s")
        super().__init__(*args, **kwargs)


class PriceOverrideForm(forms.Form):
    """A clerk's unit price for one line, with the reason; ``clear`` gives the line back its
    computed price."""

    line = forms.IntegerField(widget=forms.HiddenInput)
    price = AmountField(label=_("New unit price"), required=False, min_value=0)
    reason = forms.ModelChoiceField(
        label=_("Reason"),
        queryset=PriceOverrideReason.objects.filter(is_active=True),
        required=False,
    )
    clear = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("clear") and cleaned.get("price") is None and not self.errors:
            self.add_error("price", _("Enter the new unit price."))
        return cleaned
