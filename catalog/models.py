import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from callcenter.models import CallCenter
from callcenter.money import DECIMAL_PLACES, MAX_DIGITS


class TaxGroup(models.Model):
    """Products taxed alike (standard, reduced, exempt...); rates are set per jurisdiction."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("tax group")
        verbose_name_plural = _("tax groups")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TaxRate(models.Model):
    """The sales tax rate of a tax group in a jurisdiction (country, and state or region).

    The delivery address decides the jurisdiction. A blank tax group means every
    product, a blank state the whole country, a blank country anywhere; the most
    specific rate wins, and where none matches the call center's rate applies
    (``orders.pricing.tax_rate_for``).
    """

    tax_group = models.ForeignKey(
        TaxGroup,
        verbose_name=_("tax group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rates",
        help_text=_("Blank: every product."),
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO code, e.g. US; blank: anywhere.")
    )
    state = models.CharField(
        _("state or region"), max_length=50, blank=True, help_text=_("Blank: the whole country.")
    )
    rate = models.DecimalField(
        _("rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["country", "state", "tax_group__code"]
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_group", "country", "state"], name="unique_tax_rate_jurisdiction"
            )
        ]

    def __str__(self) -> str:
        where = " ".join(part for part in [self.country, self.state] if part) or _("anywhere")
        group = self.tax_group.code if self.tax_group_id else _("all products")
        return f"{group} @ {where}: {self.rate} %"


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
    weight = models.DecimalField(
        _("weight (kg)"),
        max_digits=9,
        decimal_places=3,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("For shipping charges by weight."),
    )
    tax_group = models.ForeignKey(
        TaxGroup,
        verbose_name=_("tax group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        help_text=_("Blank: the rates for every product apply."),
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


def money(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        validators=[MinValueValidator(0)],
        **kwargs,
    )


class TradeAgreement(models.Model):
    """The price of a product in a price group, from a quantity (a quantity break), for a time."""

    price_group = models.ForeignKey(
        PriceGroup,
        verbose_name=_("price group"),
        on_delete=models.CASCADE,
        related_name="trade_agreements",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="trade_agreements",
    )
    price = money(_("price"))
    min_quantity = models.PositiveIntegerField(
        _("from quantity"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("A quantity break: the price applies from this quantity."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["price_group", "product", "min_quantity"]
        verbose_name = _("trade agreement")
        verbose_name_plural = _("trade agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["price_group", "product", "min_quantity", "valid_from"],
                name="unique_trade_agreement",
            )
        ]

    def __str__(self) -> str:
        return f"{self.price_group.code} {self.product.item_number} ≥{self.min_quantity}"


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
    """The code printed on a catalog: it attributes the order and may change its prices.

    On the catalog's products it can set a special price (:class:`SourceCodePrice`)
    or take a percentage and/or an amount per unit off; on the order it can waive
    or reduce shipping; and it can carry the script the clerk reads.
    """

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
    discount_amount = money(
        _("discount per unit"),
        default=0,
        help_text=_("Taken off the unit price of the catalog's products, after the percentage."),
    )
    shipping_waived = models.BooleanField(
        _("shipping waived"),
        default=False,
        help_text=_("Entered on the order header, no shipping charge is made."),
    )
    shipping_discount_percent = models.DecimalField(
        _("shipping discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    script = models.TextField(
        _("script"), blank=True, help_text=_("What the clerk reads when the code is entered.")
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


class SourceCodePrice(models.Model):
    """A special price of one product under one source code."""

    source_code = models.ForeignKey(
        SourceCode,
        verbose_name=_("source code"),
        on_delete=models.CASCADE,
        related_name="special_prices",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    price = money(_("special price"))

    class Meta:
        ordering = ["source_code", "product"]
        verbose_name = _("special price")
        verbose_name_plural = _("special prices")
        constraints = [
            models.UniqueConstraint(
                fields=["source_code", "product"], name="unique_source_code_price"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_code.code} {self.product.item_number}: {self.price}"
