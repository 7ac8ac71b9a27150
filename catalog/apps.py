from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTIONS = ("view", "add", "change", "delete")


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")
    #: a manager keeps their centers' scripts and upsell rules (``CenterSettingsMixin``),
    #: choosing among the catalog's products, categories, catalogs and source codes
    role_permissions = {
        "manager": [
            *(f"{action}_{model}" for model in ("script", "upsellrule") for action in ACTIONS),
            "view_product",
            "view_productcategory",
            "view_catalog",
            "view_sourcecode",
        ],
    }

    def ready(self) -> None:
        from callcenter import reference
        from callcenter.choices import keep_choice_labels

        from .models import (
            Catalog,
            PriceGroup,
            ProductCategory,
            Script,
            SourceCode,
            TaxGroup,
            TaxRate,
            TradeAgreement,
            UpsellRule,
        )

        keep_choice_labels(self.get_models())
        reference.watch(TaxGroup, TaxRate, Catalog, SourceCode, ProductCategory)
        reference.watch(Script, UpsellRule, call_center_of=lambda rule: rule.call_center_id)
        # prices: a group's agreements and centers (also edited as rows, inline in the admin)
        reference.watch(PriceGroup, TradeAgreement, PriceGroup.call_centers.through)
