from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from callcenter.admin import add_call_center_inline

from .models import (
    Catalog,
    PriceGroup,
    Product,
    SourceCode,
    SourceCodePrice,
    TaxGroup,
    TaxRate,
    TradeAgreement,
)


class CallCenterPriceGroupInline(admin.TabularInline):
    model = PriceGroup.call_centers.through
    extra = 1
    verbose_name = _("price group")
    verbose_name_plural = _("price groups")


add_call_center_inline(CallCenterPriceGroupInline)


class TradeAgreementInline(admin.TabularInline):
    model = TradeAgreement
    extra = 1
    autocomplete_fields = ["product"]


@admin.register(PriceGroup)
class PriceGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    filter_horizontal = ["call_centers"]
    inlines = [TradeAgreementInline]


@admin.register(TradeAgreement)
class TradeAgreementAdmin(admin.ModelAdmin):
    list_display = ["price_group", "product", "min_quantity", "price", "valid_from", "valid_to"]
    list_filter = ["price_group"]
    search_fields = ["product__item_number", "product__name", "price_group__code"]
    list_select_related = ["price_group", "product"]
    autocomplete_fields = ["product"]


class TaxRateInline(admin.TabularInline):
    model = TaxRate
    extra = 1


@admin.register(TaxGroup)
class TaxGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    inlines = [TaxRateInline]


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    """Rates by jurisdiction; one without a tax group applies to every product."""

    list_display = ["country", "state", "tax_group", "rate"]
    list_filter = ["country", "tax_group"]
    search_fields = ["country", "state"]
    list_select_related = ["tax_group"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["item_number", "name", "price", "tax_group", "weight", "is_active"]
    list_filter = ["is_active", "catalogs", "tax_group"]
    search_fields = ["item_number", "name"]


class SourceCodeInline(admin.TabularInline):
    model = SourceCode
    extra = 0
    fields = [
        "code",
        "description",
        "discount_percent",
        "discount_amount",
        "shipping_waived",
        "shipping_discount_percent",
        "valid_from",
        "valid_to",
        "is_active",
    ]
    show_change_link = True


class SourceCodePriceInline(admin.TabularInline):
    model = SourceCodePrice
    extra = 1
    autocomplete_fields = ["product"]


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
        "discount_amount",
        "shipping_waived",
        "shipping_discount_percent",
        "valid_from",
        "valid_to",
        "is_active",
    ]
    list_filter = ["is_active", "catalog", "shipping_waived"]
    search_fields = ["code", "description", "catalog__name"]
    list_select_related = ["catalog"]
    inlines = [SourceCodePriceInline]
