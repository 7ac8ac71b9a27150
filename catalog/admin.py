from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from callcenter.admin import (
    CenterSettingsMixin,
    CompanyForm,
    CompanySettingsMixin,
    ManagedRelatedFieldListFilter,
    PeriodForm,
    add_call_center_inline,
    case_variant,
    managed_companies,
)
from callcenter.admin_views import KeptWhenInUseMixin

from .models import (
    Catalog,
    PriceGroup,
    Product,
    ProductCategory,
    ProductImage,
    Script,
    SourceCode,
    SourceCodePrice,
    TaxGroup,
    TaxRate,
    TradeAgreement,
    UpsellRule,
)


class CallCenterPriceGroupInline(admin.TabularInline):
    model = PriceGroup.call_centers.through
    extra = 1
    verbose_name = _("price group")
    verbose_name_plural = _("price groups")


add_call_center_inline(CallCenterPriceGroupInline)


class TradeAgreementInline(admin.TabularInline):
    model = TradeAgreement
    form = PeriodForm
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
    form = PeriodForm
    list_display = ["price_group", "product", "min_quantity", "price", "valid_from", "valid_to"]
    list_filter = ["price_group"]
    search_fields = ["product__item_number", "product__name", "price_group__code"]
    list_select_related = ["price_group", "product"]
    autocomplete_fields = ["product"]


class TaxRateInline(admin.TabularInline):
    model = TaxRate
    extra = 1


@admin.register(TaxGroup)
class TaxGroupAdmin(KeptWhenInUseMixin, admin.ModelAdmin):
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
class ProductAdmin(KeptWhenInUseMixin, admin.ModelAdmin):
    list_display = ["item_number", "name", "price", "tax_group", "weight", "is_active"]
    # a manager's filter names only their companies' catalogs and those of every company
    list_filter = ["is_active", ("catalogs", ManagedRelatedFieldListFilter), "tax_group"]
    search_fields = ["item_number", "name"]


def source_code_taken(code: str) -> str:
    return _(
        "Source code %(code)s already exists: a code that differs only in capitals is the "
        "same code to a caller. Choose another code."
    ) % {"code": code}


class SourceCodeForm(PeriodForm):
    def clean(self):
        cleaned = super().clean()
        other = case_variant(self, "code")
        if other is not None:
            self.add_error("code", source_code_taken(other.code))
        return cleaned


class SourceCodeFormSet(BaseInlineFormSet):
    """A catalog's source codes: two rows of one code, but for capitals, are one too many."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            code = getattr(form, "cleaned_data", {}).get("code")
            if not code or self._should_delete_form(form):
                continue
            if code.casefold() in seen:
                form.add_error("code", source_code_taken(code))
            seen.add(code.casefold())


class SourceCodeInline(admin.TabularInline):
    """A catalog's source codes, theirs to change who may change the catalog: a manager
    only reads those of a catalog of every company (an administrator's)."""

    model = SourceCode
    form = SourceCodeForm
    formset = SourceCodeFormSet
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

    @staticmethod
    def _of_every_company(request, catalog) -> bool:
        return (
            isinstance(catalog, Catalog) and catalog.company == "" and not request.user.is_superuser
        )

    def has_add_permission(self, request, obj):
        return not self._of_every_company(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._of_every_company(request, obj) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return not self._of_every_company(request, obj) and super().has_delete_permission(
            request, obj
        )


class SourceCodePriceInline(admin.TabularInline):
    model = SourceCodePrice
    extra = 1
    autocomplete_fields = ["product"]


class CatalogForm(CompanyForm, PeriodForm):
    pass


@admin.register(Catalog)
class CatalogAdmin(KeptWhenInUseMixin, CompanySettingsMixin, admin.ModelAdmin):
    """A catalog of a company, or of every company (blank): a manager sees those of their
    companies and of every company, and keeps only the first."""

    form = CatalogForm
    list_display = ["code", "name", "company", "valid_from", "valid_to"]
    list_filter = ["company"]
    search_fields = ["code", "name"]
    filter_horizontal = ["products"]
    inlines = [SourceCodeInline]


@admin.register(SourceCode)
class SourceCodeAdmin(KeptWhenInUseMixin, CompanySettingsMixin, admin.ModelAdmin):
    """A source code is of its catalog's company: a manager sees those of their companies'
    catalogs and of every company's, and keeps only the first."""

    company_lookup = "catalog__company"
    form = SourceCodeForm
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
    list_filter = ["is_active", ("catalog", ManagedRelatedFieldListFilter), "shipping_waived"]
    search_fields = ["code", "description", "catalog__name"]
    list_select_related = ["catalog"]
    inlines = [SourceCodePriceInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """A manager's code is of a catalog of their companies (a code of a catalog of
        every company is an administrator's)."""
        if db_field.name == "catalog" and not request.user.is_superuser:
            kwargs["queryset"] = Catalog.objects.filter(company__in=managed_companies(request))
            kwargs["error_messages"] = {
                "invalid_choice": _(
                    "Choose a catalog of the companies of the call centers you manage: the "
                    "source codes of a catalog of every company are an administrator's."
                ),
            }
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- Guided selling: product categories and images, scripts, upsell rules ---


class ProductImageInline(admin.StackedInline):
    model = ProductImage
    extra = 0


ProductAdmin.inlines = [*ProductAdmin.inlines, ProductImageInline]


@admin.register(ProductCategory)
class ProductCategoryAdmin(KeptWhenInUseMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    filter_horizontal = ["products"]


@admin.register(Script)
class ScriptAdmin(CenterSettingsMixin, admin.ModelAdmin):
    """Telesales texts: a call center's greeting and closing, a catalog's or a source
    code's text, a product's text."""

    list_display = [
        "name",
        "moment",
        "call_center",
        "catalog",
        "source_code",
        "product",
        "sort_order",
        "is_active",
    ]
    list_filter = [
        "moment",
        "is_active",
        "call_center",
        ("catalog", ManagedRelatedFieldListFilter),
    ]
    search_fields = ["name", "text", "product__item_number", "source_code__code"]
    list_select_related = ["call_center", "catalog", "source_code", "product"]
    autocomplete_fields = ["product", "source_code"]


@admin.register(UpsellRule)
class UpsellRuleAdmin(KeptWhenInUseMixin, CenterSettingsMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "trigger_product",
        "trigger_category",
        "min_order_total",
        "call_center",
        "sort_order",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "call_center"]
    search_fields = ["name", "trigger_product__item_number", "trigger_product__name"]
    list_select_related = ["trigger_product", "trigger_category", "call_center"]
    autocomplete_fields = ["trigger_product"]
    filter_horizontal = ["suggested_products"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "call_center", "sort_order", "is_active"]}),
        (
            _("Trigger (one of)"),
            {"fields": ["trigger_product", "trigger_category", "min_order_total"]},
        ),
        (_("Offer"), {"fields": ["suggested_products", "script"]}),
    ]
