from django.contrib import admin

from .models import CallCenterPaymentMethod, Payment, PaymentEvent, PaymentMethod


class CallCenterPaymentMethodInline(admin.TabularInline):
    model = CallCenterPaymentMethod
    extra = 1


@admin.register(PaymentMethod)
class PaymentMethodAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "tender_type", "is_active"]
    list_filter = ["tender_type", "is_active"]
    search_fields = ["code", "name"]
    inlines = [CallCenterPaymentMethodInline]


@admin.register(CallCenterPaymentMethod)
class CallCenterPaymentMethodAdmin(admin.ModelAdmin):
    list_display = ["call_center", "payment_method"]
    list_filter = ["call_center", "payment_method"]
    list_select_related = ["call_center", "payment_method"]


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    fields = ["created_at", "type", "user", "parameters"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Payments are a ledger: taken on the order page, looked at here."""

    list_display = ["order", "method", "amount", "status", "created_by", "created_at"]
    list_filter = ["status", "method", "created_at"]
    search_fields = ["order__number", "order__customer__name", "idempotency_key"]
    list_select_related = ["order", "method", "created_by"]
    readonly_fields = [
        "order",
        "method",
        "amount",
        "status",
        "idempotency_key",
        "created_by",
        "created_at",
    ]
    inlines = [PaymentEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentEvent)
class PaymentEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "payment", "type", "user"]
    list_filter = ["type"]
    search_fields = ["payment__order__number"]
    list_select_related = ["payment__order", "payment__method", "user"]
    readonly_fields = ["payment", "type", "user", "created_at", "parameters"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
