from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from callcenter.admin import add_call_center_inline

from .models import Catalog, PriceGroup, Product, SourceCode


class CallCenterPriceGroupInline(admin.TabularInline):
    model = PriceGroup.call_centers.through
    extra = 1
    verbose_name = _("price group")
    verbose_name_plural = _("price groups")


add_call_center_inline(CallCenterPriceGroupInline)


@admin.register(PriceGroup)
class PriceGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    filter_horizontal = ["call_centers"]


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
