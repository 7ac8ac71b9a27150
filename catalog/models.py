import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from callcenter.models import CallCenter
from callcenter.money import DECIMAL_PLACES, MAX_DIGITS


class ProductQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Product(models.Model):
    item_number = models.CharField(_("item number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(
        _("base price"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        validators=[MinValueValidator(0)],
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["item_number"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return f"{self.item_number} {self.name}"


class PriceGroup(models.Model):
    """A price group: customers and call centers in it get its trade agreements' prices."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    call_centers = models.ManyToManyField(
        CallCenter, verbose_name=_("call centers"), related_name="price_groups", blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("price group")
        verbose_name_plural = _("price groups")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Catalog(models.Model):
    """A printed or online catalog the customer orders from, e.g. "Fabrikam semiannual"."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    products = models.ManyToManyField(
        Product, verbose_name=_("products"), related_name="catalogs", blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("catalog")
        verbose_name_plural = _("catalogs")

    def __str__(self) -> str:
        return self.name


class SourceCodeQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        """Source codes valid on the given day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(
            Q(is_active=True),
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
            Q(catalog__valid_from__isnull=True) | Q(catalog__valid_from__lte=on),
            Q(catalog__valid_to__isnull=True) | Q(catalog__valid_to__gte=on),
        )


class SourceCode(models.Model):
    """The code printed on a catalog: it attributes the order and may discount catalog items."""

    code = models.CharField(_("source code"), max_length=20, unique=True)
    catalog = models.ForeignKey(
        Catalog,
        verbose_name=_("catalog"),
        on_delete=models.PROTECT,
        related_name="source_codes",
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    discount_percent = models.DecimalField(
        _("discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Discount on the catalog's products; 0 only attributes the order."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = SourceCodeQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("source code")
        verbose_name_plural = _("source codes")

    def __str__(self) -> str:
        return f"{self.code} ({self.catalog.name})"

    def is_valid_on(self, on: datetime.date) -> bool:
        return SourceCode.objects.active(on).filter(pk=self.pk).exists()
