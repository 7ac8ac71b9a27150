from django.contrib import admin

from .models import OrderEvent, SalesLine, SalesOrder


class SalesLineInline(admin.TabularInline):
    model = SalesLine
    extra = 0
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
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    fields = ["created_at", "type", "user", "parameters"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SalesOrder)
class SalesOrderAdmin(admin.ModelAdmin):
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
    list_filter = [
        "status",
        "payment_status",
        "call_center",
        "delivery_mode",
        "created_at",
    ]
    search_fields = ["number", "customer__account_number", "customer__name"]
    list_select_related = ["customer", "call_center", "clerk"]
    date_hierarchy = "created_at"
    inlines = [SalesLineInline, OrderEventInline]
    readonly_fields = [f.name for f in SalesOrder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrderEvent)
class OrderEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "order", "type", "user"]
    list_filter = ["type", "created_at"]
    search_fields = ["order__number", "user__username"]
    list_select_related = ["order", "user"]
    readonly_fields = ["order", "type", "user", "created_at", "parameters"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SalesLine)
class SalesLineAdmin(admin.ModelAdmin):
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
    readonly_fields = [f.name for f in SalesLine._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
