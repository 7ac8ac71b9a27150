from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from callcenter import reference

        from .models import Catalog, Script, SourceCode, TaxGroup, TaxRate

        reference.watch(TaxGroup, TaxRate, Catalog, SourceCode)
        reference.watch(Script, call_center_of=lambda script: script.call_center_id)
