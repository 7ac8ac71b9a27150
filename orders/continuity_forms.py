"""The customer page's enrolment forms: each carries the enrolment's version, so a form
sent twice (a double click) does its change once and the second gets a clear message."""

from django import forms
from django.utils.translation import gettext_lazy as _


class EnrolmentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class EnrolmentAddressForm(EnrolmentForm):
    address = forms.ModelChoiceField(label=_("Delivery address"), queryset=None)

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].queryset = customer.addresses.all()


class EnrolmentCancelForm(EnrolmentForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)
