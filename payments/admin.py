from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from callcenter.admin import (
    CompanyForm,
    ManagedCallCenterMixin,
    add_call_center_inline,
    case_variant,
)
from callcenter.admin_views import (
    ORDER_NUMBER,
    EventAdmin,
    EventInline,
    KeptWhenInUseMixin,
    ReadOnlyAdmin,
)
from callcenter.models import currency_validator
from callcenter.money import DECIMAL_PLACES, MAX_AMOUNT, MAX_DIGITS, fits_column, format_money

from .models import (
    CallCenterPaymentMethod,
    Cancellation,
    GiftCard,
    Payment,
    PaymentEvent,
    PaymentMethod,
)
from .services import normalize_number


class OfferedMethodForm(forms.ModelForm):
    def _get_validation_exclusions(self):
        # one default per center: checked by the formset, which moves it (the model's
        # check against the rows still saved would refuse every move)
        return super()._get_validation_exclusions() | {"is_default"}


class OfferedMethodsFormSet(BaseInlineFormSet):
    """The methods a call center offers (or the centers offering a method), of which one
    per center is its default.

    Two defaults for one center ticked at once are a form error. Moving the default
    (ticking it on another method) is saved as such: the database allows one default per
    center at every moment, so the center's old default loses it before the rows are
    written, whatever their order on the page."""

    def _defaults(self):
        for form in self.forms:
            if form.cleaned_data.get("is_default") and not self._should_delete_form(form):
                yield form

    def clean(self):
        super().clean()
        centers = [form.cleaned_data.get("call_center") for form in self._defaults()]
        # a row without its call center has its own error already
        keys = [
            center.pk if center.pk is not None else id(center)
            for center in centers
            if center is not None
        ]
        if len(keys) != len(set(keys)):
            raise ValidationError(
                _("A call center has one default payment method: tick Default on one only.")
            )

    def save(self, commit=True):
        if commit:
            for form in self._defaults():
                center = form.cleaned_data.get("call_center")
                if center is not None and center.pk is not None:
                    CallCenterPaymentMethod.objects.filter(
                        call_center=center, is_default=True
                    ).exclude(pk=form.instance.pk).update(is_default=False)
        return super().save(commit)


class CallCenterPaymentMethodInline(admin.TabularInline):
    model = CallCenterPaymentMethod
    form = OfferedMethodForm
    formset = OfferedMethodsFormSet
    extra = 1
    fields = ["payment_method", "is_default", "allow_overpayment"]
    verbose_name = _("payment method offered")
    verbose_name_plural = _("payment methods offered")


class PaymentMethodCallCenterInline(ManagedCallCenterMixin, CallCenterPaymentMethodInline):
    """The centers offering a method: a manager sees and picks only the centers they manage."""

    fields = ["call_center", "is_default", "allow_overpayment"]
    verbose_name = _("offered by call center")
    verbose_name_plural = _("offered by call centers")


add_call_center_inline(CallCenterPaymentMethodInline)


class PaymentMethodForm(forms.ModelForm):
    def clean_code(self):
        code = self.cleaned_data.get("code")
        other = case_variant(self, "code")
        if other is not None:
            raise ValidationError(
                _(
                    "Payment method %(code)s already exists: a code that differs only in "
                    "capitals is the same code. Choose another code."
                )
                % {"code": other.code}
            )
        return code

    def clean_name(self):
        name = self.cleaned_data.get("name")
        other = case_variant(self, "name")
        if other is not None:
            raise ValidationError(
                _(
                    "Payment method %(code)s is already named %(name)s: give this one "
                    "another name, so that clerks can tell them apart."
                )
                % {"code": other.code, "name": other.name}
            )
        return name


@admin.register(PaymentMethod)
class PaymentMethodAdmin(KeptWhenInUseMixin, admin.ModelAdmin):
    form = PaymentMethodForm
    list_display = ["code", "name", "name_fr", "tender_type", "is_active"]
    list_filter = ["tender_type", "is_active"]
    search_fields = ["code", "name"]
    inlines = [PaymentMethodCallCenterInline]


@admin.register(CallCenterPaymentMethod)
class CallCenterPaymentMethodAdmin(ManagedCallCenterMixin, admin.ModelAdmin):
    list_display = ["call_center", "payment_method", "is_default", "allow_overpayment"]
    list_filter = [("call_center", admin.RelatedOnlyFieldListFilter), "payment_method"]
    list_select_related = ["call_center", "payment_method"]


class PaymentEventInline(EventInline):
    model = PaymentEvent


@admin.register(Payment)
class PaymentAdmin(ManagedCallCenterMixin, ReadOnlyAdmin):
    """Payments are a ledger: taken on the order page, looked at here."""

    call_center_lookup = "order__call_center"

    list_display = ["order", "method", "amount", "status", "created_by", "created_at"]
    list_filter = ["status", "method", "created_at"]
    exact_search = ("order__number", "idempotency_key")
    search_help_text = _("Exact sales order number or idempotency key.")
    ordering = ["-pk"]  # newest first, from the primary key: no sort of every payment
    list_select_related = ["order", "method", "created_by"]
    inlines = [PaymentEventInline]

    def get_readonly_fields(self, request, obj=None):
        # the token is the gateway's handle on the card: not shown, even to administrators
        return [f for f in super().get_readonly_fields(request, obj) if f != "card_token"]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)


@admin.register(PaymentEvent)
class PaymentEventAdmin(ManagedCallCenterMixin, EventAdmin):
    call_center_lookup = "payment__order__call_center"
    list_display = ["created_at", "payment", "type", "user"]
    list_filter = ["type"]
    exact_search = ("payment__order__number",)
    search_help_text = ORDER_NUMBER
    list_select_related = ["payment__order", "payment__method", "user"]


class GiftCardForm(CompanyForm):
    # a card of no center's company would pay nothing
    unknown_company = _(
        "No call center belongs to company %(company)s: enter the company of "
        "the call centers that take this card."
    )

    #: on a card's page, where its balance is read-only: what to add to it (or take off)
    adjustment = forms.DecimalField(
        label=_("Adjust the balance by"),
        required=False,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        help_text=_(
            "Added to the balance as it is when you save (a negative amount takes off): "
            "payments made with the card while this page was open are kept."
        ),
    )

    def clean(self):
        """A card's balance as it is now, read under its row's lock (the admin saves in a
        transaction), plus the adjustment: a form loaded before a payment with the card
        neither puts back what was spent nor loses what was refunded to it."""
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        locked = GiftCard.objects.select_for_update().values_list("balance", flat=True)
        now = locked.filter(pk=self.instance.pk).first()
        if now is None:
            raise ValidationError(_("This gift card was deleted while this page was open."))
        balance = now + (cleaned.get("adjustment") or 0)
        if balance < 0 or not fits_column(balance):
            raise ValidationError(
                {
                    "adjustment": _(
                        "The card's balance is %(balance)s: enter an adjustment that leaves "
                        "between 0 and %(max)s on it."
                    )
                    % {
                        "balance": format_money(now),
                        "max": format_money(MAX_AMOUNT),
                    }
                }
            )
        self.instance.balance = balance
        return cleaned

    def clean_number(self):
        """The number as a clerk's payment looks it up (``services.normalize_number``): one
        typed with spaces or dashes is the same card, for the unique check too."""
        number = normalize_number(self.cleaned_data.get("number") or "")
        if not number:
            raise ValidationError(_("Enter the gift card's number: its letters and digits."))
        return number

    def clean_currency(self):
        currency = self.cleaned_data.get("currency")
        if currency:
            currency_validator(currency)
        return currency


@admin.register(GiftCard)
class GiftCardAdmin(KeptWhenInUseMixin, ManagedCallCenterMixin, admin.ModelAdmin):
    """A card belongs to a company; a manager given these pages sees and sells the cards
    of the companies of the call centers they manage."""

    company_lookup = "company"
    form = GiftCardForm
    list_display = ["masked_number", "company", "balance", "currency", "is_active"]
    list_filter = ["company", "is_active", "currency"]
    search_fields = ["number"]

    def get_fields(self, request, obj=None):
        """A new card is given its balance; a card's balance is then only adjusted, on
        the balance as it is when the page is saved (``GiftCardForm.clean``)."""
        if obj is None:
            return ["company", "number", "balance", "currency", "is_active"]
        return ["company", "number", "balance", "adjustment", "currency", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["balance"] if obj is not None else []

    @admin.display(description=_("number"))
    def masked_number(self, gift_card: GiftCard) -> str:
        return f"···· {gift_card.last4}"


@admin.register(Cancellation)
class CancellationAdmin(ManagedCallCenterMixin, ReadOnlyAdmin):
    call_center_lookup = "order__call_center"
    list_display = ["order", "reason", "created_by", "created_at"]
    exact_search = ("order__number",)
    search_help_text = ORDER_NUMBER
    list_select_related = ["order", "created_by"]
