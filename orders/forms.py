from collections.abc import Callable

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from callcenter.fields import AmountField, keep_options
from callcenter.models import CallCenter, DeliveryMode
from catalog.models import SourceCode
from customers.models import Address
from customers.normalize import is_country_code

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


def active_source_codes(call_center: CallCenter):
    """The source codes the call center takes today: active on its day (its time zone),
    of its company's catalogs and of those of every company. Another company's code is
    not offered, and refused as an unknown one when posted."""
    codes = SourceCode.objects.active(call_center.today()).of_company(call_center.company)
    return codes.select_related("catalog")


def source_code_choices(form: forms.Form, call_center: CallCenter) -> None:
    """The source codes the call center takes today (``active_source_codes``), kept by
    its day and its company."""
    choose_from(
        form,
        "source_code",
        lambda: active_source_codes(call_center),
        call_center.today(),
        call_center.company,
    )


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
    address = forms.ModelChoiceField(
        label=_("Deliver to"),
        queryset=Address.objects.none(),
        required=False,
        empty_label=_("(the address typed below)"),
        error_messages={"invalid_choice": _("Choose one of the customer's addresses.")},
    )
    delivery_address = forms.CharField(
        label=_("Delivery address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    delivery_state = forms.CharField(label=_("State or region"), required=False, max_length=50)
    delivery_country = forms.CharField(
        label=_("Country"),
        required=False,
        max_length=2,
        error_messages={"max_length": _("Enter the two-letter country code, e.g. US.")},
        help_text=_("Two-letter code: US, CA, FR..."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    #: the typed address and its jurisdiction, changed together
    TYPED = ("delivery_address", "delivery_country", "delivery_state")

    def __init__(self, data=None, *args, call_center: CallCenter, addresses=None, **kwargs):
        """``addresses``: the customer's delivery addresses the order may be sent to (a
        queryset, read once here), None where the address cannot change."""
        kwargs.setdefault("auto_id", "header_%s")
        super().__init__(data, *args, **kwargs)
        self.call_center = call_center
        choose_from(
            self, "delivery_mode", lambda: call_center.delivery_modes.filter(is_active=True)
        )
        if call_center.direct_selling_enabled:
            source_code_choices(self, call_center)
        else:
            del self.fields["source_code"]
        listed = [] if addresses is None else list(addresses)
        if listed:
            field = self.fields["address"]
            field.queryset = addresses
            field.options = [(address.pk, address.one_line()) for address in listed]
            # the address the order is delivered to, when it is one of these as it is
            self.initial.setdefault("address", self._address_delivered_to(listed))
        else:
            del self.fields["address"]
        if self.is_bound:
            # a post without the address's fields (the mode of delivery alone) leaves it
            self.data = self.data.copy()
            for name in ("address", *self.TYPED):
                if name in self.fields and self.add_prefix(name) not in self.data:
                    self.data[self.add_prefix(name)] = self.initial.get(name) or ""

    def _address_delivered_to(self, addresses) -> int | None:
        here = tuple(self.initial.get(name) or "" for name in self.TYPED)
        for address in addresses:
            if (address.one_line(), address.country, address.state) == here:
                return address.pk
        return None

    def clean_delivery_country(self) -> str:
        country = self.cleaned_data["delivery_country"].strip().upper()
        if country and not is_country_code(country):
            raise forms.ValidationError(_("Enter the two-letter country code, e.g. US."))
        return country

    def clean(self):
        cleaned = super().clean()
        if not self.call_center.direct_selling_enabled:
            _refuse_source_code_without_direct_selling(self, self.call_center)
        if self._chosen_address() is not None and set(self.TYPED) & set(self.changed_data):
            self.add_error(
                None,
                _("Choose one of the customer's addresses or type an address, not both."),
            )
        return cleaned

    def _chosen_address(self) -> Address | None:
        """The customer's address chosen in place of the one the order is delivered to."""
        if "address" not in self.changed_data:
            return None
        return self.cleaned_data.get("address")

    def address_change(self) -> dict:
        """The change of the delivery address posted, as ``services.update_header`` takes
        it: the address chosen, else what was typed (a field left as it was: None)."""
        chosen = self._chosen_address()
        if chosen is not None:
            return {"address": chosen}
        return {
            name: self.cleaned_data[name] if name in self.changed_data else None
            for name in self.TYPED
        }


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
