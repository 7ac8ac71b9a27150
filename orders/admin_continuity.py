"""Continuity programs in the admin: set-up (schedule, items per event, billing) is
edited here; enrolments and their events change only through the services."""

from django.contrib import admin

from callcenter.admin import ManagedCallCenterMixin
from callcenter.admin_views import (
    ORDER_OR_ACCOUNT,
    EventInline,
    KeptWhenInUseMixin,
    ReadOnlyAdmin,
    ReadOnlyInline,
)

from .models import (
    ContinuityProgram,
    ContinuityProgramItem,
    Enrolment,
    EnrolmentEvent,
    EnrolmentShipment,
)


class ContinuityProgramItemInline(admin.TabularInline):
    model = ContinuityProgramItem
    fields = ["event_number", "product", "quantity", "price"]
    autocomplete_fields = ["product"]
    extra = 1


@admin.register(ContinuityProgram)
class ContinuityProgramAdmin(KeptWhenInUseMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "parent_product",
        "interval",
        "interval_unit",
        "event_count",
        "first_with_order",
        "billing",
        "is_active",
    ]
    list_filter = ["is_active", "billing", "interval_unit"]
    search_fields = ["code", "name", "parent_product__item_number"]
    autocomplete_fields = ["parent_product"]
    fieldsets = [
        (None, {"fields": ["code", "name", "parent_product", "is_active"]}),
        (
            "Schedule",
            {"fields": ["interval", "interval_unit", "event_count", "first_with_order"]},
        ),
        (None, {"fields": ["billing", "script"]}),
    ]
    inlines = [ContinuityProgramItemInline]


class EnrolmentShipmentInline(ReadOnlyInline):
    model = EnrolmentShipment
    fields = ["event_number", "scheduled_for", "status", "order", "created_at"]


class EnrolmentEventInline(EventInline):
    model = EnrolmentEvent


@admin.register(Enrolment)
class EnrolmentAdmin(ManagedCallCenterMixin, ReadOnlyAdmin):
    list_display = [
        "program",
        "customer",
        "original_order",
        "status",
        "next_event_date",
        "events_done",
        "needs_attention",
    ]
    list_filter = ["status", "needs_attention", "program"]
    ordering = ["-pk"]  # newest first, from the primary key: no sort of every enrolment
    exact_search = ("customer__account_number", "original_order__number")
    search_help_text = ORDER_OR_ACCOUNT
    list_select_related = ["program", "customer", "original_order"]
    exclude = ["card_token"]
    inlines = [EnrolmentShipmentInline, EnrolmentEventInline]
