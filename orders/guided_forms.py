"""Forms and filters of guided selling: catalog requests, their export, quick quotes."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from callcenter.models import CallCenter
from catalog.models import Catalog, Product, SourceCode
from customers.models import Address, Customer

from .forms import SourceCodeChoiceField, active_source_codes
from .models import MAX_QUANTITY, CatalogRequest

MAX_QUOTE_ITEMS = 20


def mailed_catalogs(call_center: CallCenter):
    """The catalogs the call center takes requests for: not ended on its day (its time
    zone), of its company and of every company."""
    today = call_center.today()
    return Catalog.objects.of_company(call_center.company).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )


class AddressChoiceField(forms.ModelChoiceField):
    # a delivery and an invoice address written alike are one option (``choices`` filter)
    distinct_labels = True

    def label_from_instance(self, obj: Address) -> str:
        return obj.one_line()


class CatalogRequestForm(forms.Form):
    catalog = forms.ModelChoiceField(
        label=_("Catalog"), queryset=Catalog.objects.none(), empty_label=_("(choose)")
    )
    source_code = SourceCodeChoiceField(
        label=_("Source code"),
        queryset=SourceCode.objects.none(),
        required=False,
        empty_label=_("(none)"),
        help_text=_("The code of the mailing the caller heard of us from, if any."),
    )
    address = AddressChoiceField(
        label=_("Mail to"), queryset=Address.objects.none(), required=False, empty_label=None
    )

    def __init__(self, *args, customer: Customer, call_center: CallCenter, **kwargs):
        kwargs.setdefault("auto_id", "catalog_request_%s")
        super().__init__(*args, **kwargs)
        self.fields["catalog"].queryset = mailed_catalogs(call_center)
        self.fields["source_code"].queryset = active_source_codes(call_center)
        self.fields["address"].queryset = customer.addresses.order_by("-is_primary", "pk")


class QuickQuoteForm(forms.Form):
    """Items typed one per line, each an item number and an optional quantity: ``81327 2``."""

    items = forms.CharField(
        label=_("Items"),
        widget=forms.Textarea(attrs={"rows": 4, "autofocus": True}),
        help_text=_("One item per line: the item number, then the quantity (1 when left out)."),
    )
    delivery_mode = forms.ModelChoiceField(
        label=_("Mode of delivery"), queryset=None, required=False, empty_label=_("(default)")
    )
    source_code = SourceCodeChoiceField(
        label=_("Source code"),
        queryset=SourceCode.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )

    def __init__(self, *args, call_center: CallCenter, **kwargs):
        kwargs.setdefault("auto_id", "quote_%s")
        super().__init__(*args, **kwargs)
        self.fields["delivery_mode"].queryset = call_center.delivery_modes.filter(is_active=True)
        if call_center.direct_selling_enabled:
            self.fields["source_code"].queryset = active_source_codes(call_center)
        else:
            del self.fields["source_code"]

    def clean_items(self) -> list[tuple[Product, int]]:
        wanted: list[tuple[str, int]] = []
        for row in self.cleaned_data["items"].splitlines():
            words = row.replace(",", " ").split()
            if not words:
                continue
            if len(words) > 2:  # "81327 1,5", or two items on one line: nothing is guessed
                raise forms.ValidationError(
                    _(
                        "“%(row)s”: write one item number per line, then its quantity as a "
                        "whole number."
                    ),
                    params={"row": row},
                )
            quantity = 1
            if len(words) > 1:
                try:
                    quantity = int(words[1])
                except ValueError:
                    raise forms.ValidationError(
                        _("“%(row)s”: the quantity must be a whole number."), params={"row": row}
                    ) from None
            if not 1 <= quantity <= MAX_QUANTITY:
                raise forms.ValidationError(
                    _("“%(row)s”: enter a quantity from 1 to %(max)s."),
                    params={"row": row, "max": MAX_QUANTITY},
                )
            wanted.append((words[0], quantity))
        if not wanted:
            raise forms.ValidationError(_("Enter at least one item number."))
        if len(wanted) > MAX_QUOTE_ITEMS:
            raise forms.ValidationError(
                _("Quote at most %(max)s items at a time."), params={"max": MAX_QUOTE_ITEMS}
            )
        numbers = {number.lower() for number, _quantity in wanted}
        products = {
            product.item_number.lower(): product
            for product in Product.objects.filter(item_number__in={n for n, _q in wanted})
        }
        unknown = sorted(numbers - set(products))
        if unknown:
            # a case-insensitive second look for numbers typed in another case
            for product in Product.objects.filter(
                Q(*[Q(item_number__iexact=n) for n in unknown], _connector=Q.OR)
            ):
                products[product.item_number.lower()] = product
            unknown = sorted(numbers - set(products))
        if unknown:
            raise forms.ValidationError(
                _("No item %(items)s. Check the numbers with the caller."),
                params={"items": ", ".join(unknown)},
            )
        return [(products[number.lower()], quantity) for number, quantity in wanted]


class CatalogRequestFilter(django_filters.FilterSet):
    """The mail house export: requests by date and by status."""

    requested = django_filters.DateFromToRangeFilter(
        label=_("Requested"),
        field_name="requested_at",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CatalogRequest.Status.choices, empty_label=_("Any status")
    )
    catalog = django_filters.ModelChoiceFilter(
        label=_("Catalog"), queryset=Catalog.objects.none(), empty_label=_("Any catalog")
    )

    class Meta:
        model = CatalogRequest
        fields: list[str] = []

    def __init__(self, *args, call_center: CallCenter, **kwargs):
        super().__init__(*args, **kwargs)
        # the call center's company's catalogs and those of every company: no other's
        self.filters["catalog"].queryset = Catalog.objects.of_company(call_center.company)
