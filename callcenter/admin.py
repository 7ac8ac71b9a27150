from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CallCenter, ChannelUser, DeliveryMode


class ChannelUserInline(admin.TabularInline):
    model = ChannelUser
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(CallCenter)
class CallCenterAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "company",
        "currency",
        "order_completion_enabled",
        "direct_selling_enabled",
        "is_active",
    ]
    list_filter = [
        "is_active",
        "order_completion_enabled",
        "direct_selling_enabled",
        "company",
    ]
    search_fields = ["code", "name", "company"]
    filter_horizontal = ["delivery_modes"]
    inlines = [ChannelUserInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "company", "currency", "is_active"]}),
        (
            _("Orders"),
            {"fields": ["order_number_prefix", "next_order_number", "tax_rate"]},
        ),
        (_("Delivery"), {"fields": ["delivery_modes", "default_delivery_mode"]}),
        (
            _("Feature groups"),
            {"fields": ["order_completion_enabled", "direct_selling_enabled"]},
        ),
    ]


@admin.register(ChannelUser)
class ChannelUserAdmin(admin.ModelAdmin):
    list_display = ["user", "call_center", "role"]
    list_filter = ["call_center", "role"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "call_center__code",
    ]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "call_center"]


@admin.register(DeliveryMode)
class DeliveryModeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "charge", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
