from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Customer


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Customer search"),
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autofocus": True,
                "autocomplete": "off",
                "accesskey": "f",
            }
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
