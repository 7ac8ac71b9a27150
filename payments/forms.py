import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from callcenter.fields import AmountField

from .models import PaymentMethod
from .selectors import default_payment_method, payment_methods_for


class IdempotentForm(forms.Form):
    """A form whose every rendering carries a fresh key: posting it twice does one thing."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4())
        super().__init__(*args, **kwargs)


class PaymentForm(IdempotentForm):
    method = forms.ModelChoiceField(
        label=_("Payment method"),
        queryset=PaymentMethod.objects.none(),
        error_messages={"required": _("Choose a payment method.")},
    )
    amount = AmountField(
        label=_("Payment amount"),
        min_value=Decimal("0.01"),
        error_messages={
            "required": _("Enter the payment amount."),
            "invalid": _("Enter the payment amount as a number, for example 120.00."),
        },
    )

    def __init__(self, *args, call_center, **kwargs):
        super().__init__(*args, **kwargs)
        methods = payment_methods_for(call_center)
        self.fields["method"].queryset = methods
        self.fields["method"].initial = default_payment_method(call_center, methods)


class SubmitForm(IdempotentForm):
    pass
