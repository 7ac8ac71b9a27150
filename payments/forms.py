import re
import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from callcenter.fields import AmountField
from orders.models import ReturnReason

from .models import PaymentMethod
from .selectors import default_payment_method, method_offered, payment_methods_for
from .services import CardDetails

TenderType = PaymentMethod.TenderType


class IdempotentForm(forms.Form):
    """A form whose every rendering carries a fresh key: posting it twice does one thing."""

    idempotency_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This form came without its key: reload the page and try again."),
            "invalid": _("This form came without its key: reload the page and try again."),
        },
    )

    #: the forms' ids: each form's own, as the payment dialog opens inside the summary
    auto_id = "id_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.auto_id)
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4())
        super().__init__(*args, **kwargs)


class SecretInput(forms.TextInput):
    """A text box whose value is never written back into the page (a card number)."""

    def format_value(self, value):
        return None


def luhn_valid(number: str) -> bool:
    total = 0
    for index, digit in enumerate(int(ch) for ch in reversed(number)):
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


class OfferedMethodField(forms.ModelChoiceField):
    """The payment method chosen, checked against the call center's kept methods
    (``payments.selectors.method_offered``) instead of a query."""

    call_center = None

    def to_python(self, value):
        if value in self.empty_values:
            return None
        method = method_offered(self.call_center, value)
        if method is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return method


class PaymentForm(IdempotentForm):
    auto_id = "payment_%s"
    method = OfferedMethodField(
        label=_("Payment method"),
        queryset=PaymentMethod.objects.none(),
        empty_label=_("(choose)"),
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
    # Tender details: required only for the chosen method (see TENDER_FIELDS).
    card_number = forms.CharField(
        label=_("Card number"),
        required=False,
        max_length=23,
        widget=SecretInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    card_expiry = forms.CharField(
        label=_("Expiry date (MM/YY)"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    card_cvv = forms.CharField(
        label=_("CVV"),
        required=False,
        max_length=4,
        widget=forms.PasswordInput(
            render_value=False, attrs={"inputmode": "numeric", "autocomplete": "off"}
        ),
    )
    check_number = forms.CharField(label=_("Check number"), required=False, max_length=30)
    gift_card_number = forms.CharField(
        label=_("Gift card number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    TENDER_FIELDS = {
        TenderType.CARD: ["card_number", "card_expiry", "card_cvv"],
        TenderType.CHECK: ["check_number"],
        TenderType.GIFT_CARD: ["gift_card_number"],
    }

    def __init__(self, *args, call_center, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].queryset = payment_methods_for(call_center)
        self.fields["method"].call_center = call_center
        self.fields["method"].initial = default_payment_method(call_center)
        if self.fields["method"].initial:
            # the method is chosen already: the clerk starts on the amount (or just says OK)
            self.focus_on("amount")

    def focus_on(self, name: str | None) -> None:
        """Put the dialog's first focus on one field (the one the clerk has to mend)."""
        if name is None:
            return
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.fields[name].widget.attrs["autofocus"] = True

    def focus_first_error(self) -> None:
        self.focus_on(next((name for name in self.fields if name in self.errors), None))

    def tender_type(self) -> str | None:
        """The tender of the method chosen (posted, else preselected)."""
        field = self.fields["method"]
        value = self.data.get(self.add_prefix("method")) if self.is_bound else None
        value = value or self.initial.get("method") or field.initial
        if not value:
            return None
        method = next((m for m in field.queryset if str(m.pk) == str(value)), None)
        return method.tender_type if method else None

    def tender_fields(self, tender_type: str | None = None):
        """The bound fields of a tender's details, in order."""
        names = self.TENDER_FIELDS.get(tender_type or self.tender_type(), [])
        return [self[name] for name in names]

    def tender_groups(self):
        """Every tender with details, as (label, fields): shown all at once without JavaScript."""
        labels = {
            TenderType.CARD: _("Card"),
            TenderType.CHECK: _("Check"),
            TenderType.GIFT_CARD: _("Gift card"),
        }
        offered = {m.tender_type for m in self.fields["method"].queryset}
        return [
            (labels[tender], self.tender_fields(tender))
            for tender in self.TENDER_FIELDS
            if tender in offered
        ]

    def clean_card_number(self):
        number = re.sub(r"[\s-]", "", self.cleaned_data["card_number"])
        if number and (not number.isdigit() or not 12 <= len(number) <= 19):
            raise forms.ValidationError(_("Enter the card number: 12 to 19 digits."))
        if number and not luhn_valid(number):
            raise forms.ValidationError(
                _("This card number is not valid. Check the digits with the caller.")
            )
        return number

    def clean_card_expiry(self):
        text = self.cleaned_data["card_expiry"].strip()
        if not text:
            return None
        match = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{2}|\d{4})", text)
        if not match or not 1 <= int(match[1]) <= 12:
            raise forms.ValidationError(_("Enter the expiry date as MM/YY, for example 08/29."))
        month, year = int(match[1]), int(match[2])
        year = year + 2000 if year < 100 else year
        today = timezone.localdate()
        if (year, month) < (today.year, today.month):
            raise forms.ValidationError(_("This card has expired. Ask for another card."))
        return (month, year)

    def clean_card_cvv(self):
        cvv = self.cleaned_data["card_cvv"].strip()
        if cvv and not re.fullmatch(r"\d{3,4}", cvv):
            raise forms.ValidationError(_("Enter the CVV: the 3 or 4 digits on the card."))
        return cvv

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("method")
        tender = method.tender_type if method else None
        required = {
            "card_number": _("Enter the card number."),
            "card_expiry": _("Enter the expiry date."),
            "card_cvv": _("Enter the CVV."),
            "check_number": _("Enter the check number."),
            "gift_card_number": _("Enter the gift card number."),
        }
        for tender_type, names in self.TENDER_FIELDS.items():
            for name in names:
                if tender_type != tender:
                    # details of another tender are neither checked nor kept
                    self.errors.pop(name, None)
                    cleaned.pop(name, None)
                elif not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, required[name])
        return cleaned

    def card(self) -> CardDetails | None:
        if not self.cleaned_data.get("card_number"):
            return None
        month, year = self.cleaned_data["card_expiry"]
        return CardDetails(
            number=self.cleaned_data["card_number"],
            expiry_month=month,
            expiry_year=year,
            cvv=self.cleaned_data["card_cvv"],
        )


class SubmitForm(IdempotentForm):
    auto_id = "submit_%s"


class RefundForm(IdempotentForm):
    payment = forms.IntegerField(widget=forms.HiddenInput)
    amount = AmountField(
        label=_("Refund amount"),
        required=False,
        min_value=Decimal("0.01"),
        help_text=_("Empty: all that is left of the payment."),
        error_messages={
            "invalid": _("Enter the refund amount as a number, for example 5.00."),
        },
    )


class CancelForm(IdempotentForm):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=200,
        error_messages={"required": _("Enter the reason for cancelling the order.")},
    )


class ReturnForm(IdempotentForm):
    """A return of a shipped order: the reason, and a quantity for each line still returnable.

    ``lines`` is a list of ``(line, left)``: the original line and how many of its
    units may still come back.
    """

    reason = forms.ModelChoiceField(
        label=_("Return reason"),
        queryset=ReturnReason.objects.filter(is_active=True),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": _("Choose the return reason."),
            "invalid_choice": _("Choose one of the return reasons."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.returnable = []
        for line, left in lines:
            name = f"line_{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("Line %(line)s, %(item)s %(name)s: quantity returned (at most %(left)s)")
                % {
                    "line": line.line_number,
                    "item": line.item_number,
                    "name": line.product_name,
                    "left": left,
                },
                min_value=0,
                max_value=left,
                required=False,
            )
            self.returnable.append((line, left, name))

    def line_fields(self):
        return [self[name] for _line, _left, name in self.returnable]

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(name) or 0 for line, _left, name in self.returnable}

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(self.quantities().values()):
            raise forms.ValidationError(_("Enter the quantity returned of at least one line."))
        return cleaned
