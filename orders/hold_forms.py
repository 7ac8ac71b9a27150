from django import forms
from django.utils.translation import gettext_lazy as _

from .models import HoldCode


class HoldForm(forms.Form):
    code = forms.ModelChoiceField(
        label=_("Hold code"),
        queryset=HoldCode.objects.filter(is_active=True),
        empty_label=_("(choose)"),  # as the order page's other choices say
    )
    note = forms.CharField(label=_("Note"), max_length=1000)


class ClearHoldForm(forms.Form):
    hold = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for clearing"), max_length=1000, required=False)


class CheckOutForm(forms.Form):
    hold = forms.IntegerField(widget=forms.HiddenInput)
