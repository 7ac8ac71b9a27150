from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy

from callcenter.admin import (
    CenterSettingsMixin,
    CompanyForm,
    CompanySettingsMixin,
    ManagedCallCenterMixin,
    ManagedRelatedFieldListFilter,
    PeriodForm,
    case_variant,
)
from callcenter.admin_views import (
    ORDER_NUMBER,
    ORDER_OR_ACCOUNT,
    EventAdmin,
    EventInline,
    KeptWhenInUseMixin,
    ReadOnlyAdmin,
    ReadOnlyInline,
)

from .models import (
    CatalogRequest,
    Coupon,
    CouponUsage,
    CustomerPriceGroup,
    FraudRule,
    HoldCode,
    HoldSettings,
    OrderEvent,
    OrderHold,
    PriceOverrideLimit,
    PriceOverrideReason,
    ReturnLine,
    ReturnOrder,
    ReturnReason,
    SalesLine,
    SalesOrder,
    UpsellOffer,
)


class SalesLineInline(ReadOnlyInline):
    model = SalesLine
    fields = [
        "line_number",
        "item_number",
        "product_name",
        "quantity",
        "unit_price",
        "discount_amount",
        "line_amount",
        "source_code",
        "override_price",
        "override_reason",
    ]


class OrderEventInline(EventInline):
    model = OrderEvent


@admin.register(SalesOrder)
class SalesOrderAdmin(ManagedCallCenterMixin, ReadOnlyAdmin):
    """Orders change through the order page's services; the admin is for looking.
    A manager sees the orders of the call centers they manage."""

    list_display = [
        "number",
        "customer",
        "call_center",
        "clerk",
        "status",
        "payment_status",
        "total",
        "amount_paid",
        "created_at",
    ]
    list_filter = [
        "status",
        "payment_status",
        ("call_center", ManagedRelatedFieldListFilter),
        "delivery_mode",
        "created_at",
    ]
    # exact values, each from its unique index: a contains search reads every order
    exact_search = ("number", "customer__account_number")
    search_help_text = ORDER_OR_ACCOUNT
    list_select_related = ["customer", "call_center", "clerk"]
    # no date hierarchy: listing its years reads every order; the date filter does it
    inlines = [SalesLineInline, OrderEventInline]


@admin.register(SalesLine)
class SalesLineAdmin(ManagedCallCenterMixin, ReadOnlyAdmin):
    call_center_lookup = "order__call_center"
    list_display = [
        "order",
        "line_number",
        "item_number",
        "product_name",
        "quantity",
        "line_amount",
    ]
    exact_search = ("order__number",)
    search_help_text = ORDER_NUMBER
    list_select_related = ["order"]


@admin.register(OrderEvent)
class OrderEventAdmin(ManagedCallCenterMixin, EventAdmin):
    call_center_lookup = "order__call_center"
    list_display = ["created_at", "order", "type", "user"]
    list_filter = ["type", "created_at"]
    exact_search = ("order__number", "user__username")
    search_help_text = gettext_lazy("Exact sales order number or user name.")
    list_select_related = ["order", "user"]


class CouponUsageInline(ManagedCallCenterMixin, ReadOnlyInline):
    """Uses are written by submit and released by cancel, never by hand. A manager sees
    those of the orders of the call centers they manage."""

    model = CouponUsage
    call_center_lookup = "order__call_center"
    fields = ["order", "customer", "created_at"]


class CouponForm(CompanyForm, PeriodForm):
    def clean(self):
        cleaned = super().clean()
        for field in ("max_uses", "max_uses_per_customer"):
            if cleaned.get(field) == 0:
                self.add_error(
                    field, gettext_lazy("Leave the limit blank for no limit, or enter at least 1.")
                )
        value = cleaned.get("value")
        if cleaned.get("kind") == Coupon.Kind.PERCENT and value is not None and value > 100:
            self.add_error("value", gettext_lazy("A percentage discount is at most 100."))
        other = case_variant(self, "code")
        if other is not None:
            self.add_error(
                "code",
                gettext_lazy(
                    "Coupon %(code)s already exists: a code that differs only in capitals is "
                    "the same code to a caller. Choose another code."
                )
                % {"code": other.code},
            )
        return cleaned


@admin.register(Coupon)
class CouponAdmin(KeptWhenInUseMixin, CompanySettingsMixin, admin.ModelAdmin):
    """A coupon of a company, or of every company (blank): a manager given these pages sees
    those of their companies and of every company, and keeps only the first."""

    form = CouponForm
    list_display = [
        "code",
        "company",
        "kind",
        "scope",
        "value",
        "min_order_amount",
        "valid_from",
        "valid_to",
        "max_uses",
        "max_uses_per_customer",
        "is_active",
    ]
    list_filter = ["company", "is_active", "kind", "scope"]
    search_fields = ["code", "description"]
    inlines = [CouponUsageInline]


@admin.register(PriceOverrideReason)
class PriceOverrideReasonAdmin(KeptWhenInUseMixin, admin.ModelAdmin):
    list_display = ["code", "description", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "description"]


@admin.register(ReturnReason)
class ReturnReasonAdmin(KeptWhenInUseMixin, admin.ModelAdmin):
    list_display = ["code", "description", "refund_shipping", "is_active"]
    list_filter = ["is_active", "refund_shipping"]
    search_fields = ["code", "description"]


class ReturnLineInline(admin.TabularInline):
    model = ReturnLine
    fields = ["line", "quantity", "amount"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ReturnOrder)
class ReturnOrderAdmin(ManagedCallCenterMixin, admin.ModelAdmin):
    """Returns are created and refunded by the services: the admin only shows them."""

    call_center_lookup = "order__call_center"

    list_display = ["number", "order", "reason", "amount", "status", "created_at"]
    list_filter = ["status", "reason"]
    search_fields = ["number", "order__number"]
    list_select_related = ["order", "reason"]
    readonly_fields = [
        "number",
        "order",
        "reason",
        "note",
        "status",
        "amount",
        "charges_refunded",
        "amount_refunded",
        "how_reached",
        "created_at",
        "created_by",
    ]
    inlines = [ReturnLineInline]

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("how the amount was reached"))
    def how_reached(self, obj):
        """The explanation worded in the reader's language, as the return page says it."""
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}</li>",
                (
                    (
                        gettext("Line %(number)s: %(text)s")
                        % {"number": step["line"], "text": step["text"]}
                        if step["line"]
                        else step["text"],
                    )
                    for step in obj.explained()
                ),
            ),
        )


@admin.register(PriceOverrideLimit)
class PriceOverrideLimitAdmin(CenterSettingsMixin, admin.ModelAdmin):
    list_display = ["role", "call_center", "max_percent_below"]
    list_filter = ["role", "call_center"]
    list_select_related = ["call_center"]


@admin.register(CustomerPriceGroup)
class CustomerPriceGroupAdmin(ManagedCallCenterMixin, admin.ModelAdmin):
    company_lookup = "customer__company"
    list_display = ["customer", "price_group"]
    list_filter = ["price_group"]
    search_fields = ["customer__account_number", "customer__name"]
    list_select_related = ["customer", "price_group"]
    raw_id_fields = ["customer"]


# --- Guided selling: the conversion record of upsell prompts, catalog requests ---


@admin.register(UpsellOffer)
class UpsellOfferAdmin(ManagedCallCenterMixin, ReadOnlyAdmin):
    """What became of each suggestion: filter by rule and status to read its conversion."""

    call_center_lookup = "order__call_center"

    list_display = ["order", "rule", "product", "status", "offered_by", "offered_at", "decided_at"]
    list_filter = ["status", "rule", "offered_at"]
    # offers grow with the orders: exact values, each found from an index, newest first
    exact_search = ("order__number", "product__item_number")
    search_help_text = gettext_lazy("Exact sales order number or item number.")
    list_select_related = ["order", "rule", "product", "offered_by"]
    ordering = ["-pk"]
    # no date hierarchy: listing its years reads every offer; the date filter does it


@admin.register(CatalogRequest)
class CatalogRequestAdmin(ManagedCallCenterMixin, ReadOnlyAdmin):
    """Requests are taken on the customer page and exported by supervisors as CSV."""

    list_display = [
        "requested_at",
        "customer",
        "catalog",
        "source_code",
        "postal_code",
        "status",
        "exported_at",
    ]
    list_filter = [
        "status",
        ("catalog", ManagedRelatedFieldListFilter),
        ("call_center", ManagedRelatedFieldListFilter),
        "requested_at",
    ]
    # requests grow with the customers: their account, found from an index
    exact_search = ("customer__account_number",)
    search_help_text = gettext_lazy("Exact customer account number.")
    list_select_related = ["customer", "catalog", "source_code"]
    # no date hierarchy: listing its years reads every request; the date filter does it


# --- Holds: codes, fraud rules, per-center settings; holds are read-only (services only) ---


@admin.register(HoldCode)
class HoldCodeAdmin(KeptWhenInUseMixin, admin.ModelAdmin):
    list_display = ["code", "name", "reason_required", "clear_role", "is_active"]
    list_filter = ["is_active", "clear_role"]
    search_fields = ["code", "name"]


@admin.register(FraudRule)
class FraudRuleAdmin(CenterSettingsMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "score", "amount", "count", "call_center", "is_active"]
    list_filter = ["kind", "is_active", "call_center"]
    search_fields = ["name", "values"]


@admin.register(HoldSettings)
class HoldSettingsAdmin(CenterSettingsMixin, admin.ModelAdmin):
    """Per call center: the fraud threshold, PRICE and CREDIT rules, the check-out time.

    Registered on its own rather than as an inline of the call center, so the call
    center page (and its forms) stay as the call center app defines them.
    """

    list_display = ["call_center", "fraud_threshold", "credit_hold_percent", "checkout_minutes"]


@admin.register(OrderHold)
class OrderHoldAdmin(ManagedCallCenterMixin, ReadOnlyAdmin):
    list_display = ["order", "code", "source", "created_at", "created_by", "cleared_at"]
    list_filter = ["code", "source", "cleared_at"]
    exact_search = ("order__number",)
    search_help_text = ORDER_NUMBER
    list_select_related = ["order", "code", "created_by"]


from . import admin_continuity  # noqa: E402, F401  (continuity programs and enrolments)
