from django.contrib import admin

from .models import Address, Customer


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = [
        "account_number",
        "name",
        "phone",
        "email",
        "is_blocked",
        "created_at",
    ]
    list_filter = ["is_blocked"]
    search_fields = [
        "account_number",
        "name",
        "phone",
        "email",
        "addresses__postal_code",
    ]
    inlines = [AddressInline]


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = [
        "customer",
        "purpose",
        "is_primary",
        "street",
        "city",
        "postal_code",
        "country",
    ]
    list_filter = ["purpose", "is_primary", "country"]
    search_fields = [
        "customer__account_number",
        "customer__name",
        "street",
        "city",
        "postal_code",
    ]
    list_select_related = ["customer"]
    autocomplete_fields = ["customer"]
