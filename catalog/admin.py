from django.contrib import admin

from .models import Catalog, Product, SourceCode


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["item_number", "name", "price", "is_active"]
    list_filter = ["is_active", "catalogs"]
    search_fields = ["item_number", "name"]


class SourceCodeInline(admin.TabularInline):
    model = SourceCode
    extra = 0


@admin.register(Catalog)
class CatalogAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "valid_from", "valid_to"]
    search_fields = ["code", "name"]
    filter_horizontal = ["products"]
    inlines = [SourceCodeInline]


@admin.register(SourceCode)
class SourceCodeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "catalog",
        "discount_percent",
        "valid_from",
        "valid_to",
        "is_active",
    ]
    list_filter = ["is_active", "catalog"]
    search_fields = ["code", "description", "catalog__name"]
    list_select_related = ["catalog"]
