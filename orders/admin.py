from django.contrib import admin

from callcenter.admin_views import EventAdmin, EventInline, ReadOnlyAdmin, ReadOnlyInline

from .models import OrderEvent, SalesLine, SalesOrder


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
    ]


class OrderEventInline(EventInline):
    model = OrderEvent


@admin.register(SalesOrder)
class SalesOrderAdmin(ReadOnlyAdmin):
    """Orders change through the order page's services; the admin is for looking."""

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
    list_filter = ["status", "payment_status", "call_center", "delivery_mode", "created_at"]
    search_fields = ["number", "customer__account_number", "customer__name"]
    list_select_related = ["customer", "call_center", "clerk"]
    date_hierarchy = "created_at"
    inlines = [SalesLineInline, OrderEventInline]


@admin.register(SalesLine)
class SalesLineAdmin(ReadOnlyAdmin):
    list_display = [
        "order",
        "line_number",
        "item_number",
        "product_name",
        "quantity",
        "line_amount",
    ]
    search_fields = ["order__number", "item_number", "product_name"]
    list_select_related = ["order"]


@admin.register(OrderEvent)
class OrderEventAdmin(EventAdmin):
    list_display = ["created_at", "order", "type", "user"]
    list_filter = ["type", "created_at"]
    search_fields = ["order__number", "user__username"]
    list_select_related = ["order", "user"]
