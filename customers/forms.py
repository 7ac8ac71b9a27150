from django import forms
from django.utils.translation import gettext_lazy as _

from callcenter.fields import AmountField

from .models import Address, Customer, CustomerGroup
from .normalize import check_postal_code, international_phone, normalize_phone


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Customer search"),
        max_length=100,
        error_messages={
            "required": _(
                "Type what the caller gives: a name, a phone number, an e-mail, an account "
                "number, a postal code or an order number."
            )
        },
        widget=forms.TextInput(
            attrs={"type": "search", "autofocus": True, "autocomplete": "off", "accesskey": "f"}
        ),
    )


class CustomerSelectForm(forms.Form):
    customer = forms.ModelChoiceField(
        label=_("Customer"),
        queryset=Customer.objects.none(),
        error_messages={
            "required": _("Choose a customer in the list, then select."),
            "invalid_choice": _("That customer is not in the list. Search again, then select."),
        },
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.of_companies(companies)


class CustomerForm(forms.Form):
    """What a clerk asks the caller: name, address, phone, e-mail."""

    name = forms.CharField(label=_("Name"), max_length=120)
    street = forms.CharField(label=_("Street"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100)
    state = forms.CharField(label=_("State or region"), max_length=50, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20)
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        error_messages={"max_length": _("Enter the two-letter country code, e.g. US.")},
        initial="US",
        help_text=_("Two-letter code: US, CA, FR..."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    customer_group = forms.ModelChoiceField(
        label=_("Customer group"), queryset=CustomerGroup.objects.all(), required=False
    )
    credit_limit = AmountField(label=_("Credit limit"), min_value=0, required=False)
    confirm_new = forms.BooleanField(
        label=_("None of these is the caller: create a new customer"), required=False
    )
    # the customer's version the clerk saw (an edit): a newer one saved meanwhile refuses it
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(
        self, *args, may_set_credit_limit: bool, customer: Customer | None = None, **kwargs
    ):
        """``may_set_credit_limit``: the user's role may (``customers.set_credit_limit``);
        without it the form has no credit limit, and a customer's stays as it is.
        ``customer``: the customer edited (None: a new one, and the form has no version)."""
        if customer is not None:
            kwargs.setdefault("initial", self.initial_for(customer))
        super().__init__(*args, **kwargs)
        self.customer = customer
        if customer is None:
            del self.fields["version"]
        if not may_set_credit_limit:
            del self.fields["credit_limit"]

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise forms.ValidationError(_("Enter the two-letter country code, e.g. US."))
        return country

    def clean(self):
        cleaned = super().clean()
        country = cleaned.get("country") or "US"
        if cleaned.get("postal_code"):
            try:
                cleaned["postal_code"] = check_postal_code(cleaned["postal_code"], country)
            except ValueError as error:
                self.add_error("postal_code", str(error))
        if self.customer is not None and "phone" not in self.changed_data:
            # the phone as it was shown: kept as it is stored, whatever the address's country
            cleaned["phone"] = self.customer.phone
        elif cleaned.get("phone"):
            try:
                cleaned["phone"] = normalize_phone(cleaned["phone"], country)
            except ValueError as error:
                self.add_error("phone", str(error))
        return cleaned

    def customer_values(self) -> dict:
        return {
            key: self.cleaned_data[key]
            for key in ["name", "phone", "email", "customer_group", "credit_limit"]
            if key in self.fields
        }

    def address_values(self) -> dict:
        return {
            key: self.cleaned_data[key]
            for key in ["street", "city", "state", "postal_code", "country"]
        }

    @classmethod
    def initial_for(cls, customer: Customer) -> dict:
        address = customer.primary_address or Address()
        return {
            "name": customer.name,
            # international, so that the address's country does not read it another way
            "phone": international_phone(customer.phone),
            "email": customer.email,
            "customer_group": customer.customer_group_id,
            "credit_limit": customer.credit_limit,
            "street": address.street,
            "city": address.city,
            "state": address.state,
            "postal_code": address.postal_code,
            "country": address.country or "US",
            "version": customer.version,
        }


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note about this call"),
        max_length=2000,
        error_messages={"required": _("Write the note before adding it.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
