import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from callcenter.models import CallCenter, code_validator, of_company_or_every
from callcenter.money import DECIMAL_PLACES, MAX_DIGITS


class TaxGroup(models.Model):
    """Products taxed alike (standard, reduced, exempt...); rates are set per jurisdiction."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
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

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
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


class CatalogQuerySet(models.QuerySet):
    def of_company(self, company: str):
        """The catalogs a call center of ``company`` uses: that company's and those of
        every company."""
        return self.filter(of_company_or_every(company))


class Catalog(models.Model):
    """A printed or online catalog the customer orders from, e.g. "Fabrikam semiannual".

    It belongs to a company (legal entity), whose call centers alone take its source
    codes and requests for it; left blank, to every company."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    company = models.CharField(
        _("company"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_(
            "The company (legal entity) whose call centers use this catalog and its source "
            "codes. Blank: every company."
        ),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    products = models.ManyToManyField(
        Product, verbose_name=_("products"), related_name="catalogs", blank=True
    )

    objects = CatalogQuerySet.as_manager()

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

    def of_company(self, company: str):
        """The source codes a call center of ``company`` takes: those of its catalogs and of
        the catalogs of every company."""
        return self.filter(of_company_or_every(company, "catalog__company"))


class SourceCode(models.Model):
    """The code printed on a catalog: it attributes the order and may change its prices.

    On the catalog's products it can set a special price (:class:`SourceCodePrice`)
    or take a percentage and/or an amount per unit off; on the order it can waive
    or reduce shipping; and it can carry the script the clerk reads.
    """

    code = models.CharField(
        _("source code"), max_length=20, unique=True, validators=[code_validator]
    )
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

    def is_valid_on(self, on: datetime.date, company: str) -> bool:
        """Active on ``on`` and taken by the call centers of ``company``: another company's
        code is as unknown to them."""
        return SourceCode.objects.active(on).of_company(company).filter(pk=self.pk).exists()


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


# --- Guided selling: product categories and images, telesales scripts, upsell rules ---

IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp")


def validate_image_path(value: str) -> None:
    """A static path (``catalog/products/81327.svg``) or an https URL of an image file.

    Images are not uploaded (no image library is installed to check them); they
    are files the static pipeline serves, or pictures on an image server.
    """
    from django.core.exceptions import ValidationError

    path = value.split("?", 1)[0].lower()
    if not path.endswith(IMAGE_SUFFIXES):
        raise ValidationError(
            _("Give an image file: %(suffixes)s."), params={"suffixes": ", ".join(IMAGE_SUFFIXES)}
        )
    if "://" in value:
        if not value.startswith("https://"):
            raise ValidationError(_("Image addresses must start with https://."))
    elif value.startswith("/") or ".." in value.split("/"):
        raise ValidationError(
            _("Give a path inside the static files, e.g. catalog/products/x.svg.")
        )
    else:
        from django.contrib.staticfiles import finders

        if not finders.find(value):
            raise ValidationError(_("There is no static file %(path)s."), params={"path": value})


class ProductCategory(models.Model):
    """A group of products (speakers, accessories...) that an upsell rule can be triggered by."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    products = models.ManyToManyField(
        Product, verbose_name=_("products"), related_name="categories", blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProductImage(models.Model):
    """The picture of a product shown in the item suggestions and on the order line."""

    product = models.OneToOneField(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="image"
    )
    path = models.CharField(
        _("image"),
        max_length=300,
        validators=[validate_image_path],
        help_text=_("A static file path (catalog/products/81327.svg) or an https:// address."),
    )
    alt_text = models.CharField(
        _("description of the picture"),
        max_length=200,
        blank=True,
        help_text=_("For screen readers where the picture says more than the product name."),
    )

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")

    def __str__(self) -> str:
        return self.path

    @property
    def url(self) -> str:
        if "://" in self.path:
            return self.path
        from django.templatetags.static import static

        try:
            return static(self.path)
        except ValueError:  # not in the manifest of collected static files
            return ""


class ScriptQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Script(models.Model):
    """A telesales text the clerk reads at one moment of the call.

    What it is attached to says when it shows: a call center's greeting and
    closing, a catalog's or a source code's text when that code is entered, a
    product's text when the product is added.
    """

    class Moment(models.TextChoices):
        ORDER_OPENED = "order_opened", _("Order opened (greeting)")
        SOURCE_CODE_ENTERED = "source_code", _("Source code entered")
        PRODUCT_ADDED = "product_added", _("Product added")
        CLOSING = "closing", _("Closing")

    name = models.CharField(_("name"), max_length=100)
    moment = models.CharField(_("shown when"), max_length=20, choices=Moment)
    text = models.TextField(_("script"))
    call_center = models.ForeignKey(
        CallCenter,
        verbose_name=_("call center"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Blank: every call center."),
    )
    catalog = models.ForeignKey(
        Catalog,
        verbose_name=_("catalog"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scripts",
        help_text=_("Shown when any source code of this catalog is entered."),
    )
    source_code = models.ForeignKey(
        SourceCode,
        verbose_name=_("source code"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scripts",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scripts",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScriptQuerySet.as_manager()

    class Meta:
        ordering = ["moment", "sort_order", "pk"]
        verbose_name = _("script")
        verbose_name_plural = _("scripts")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.moment == self.Moment.SOURCE_CODE_ENTERED and not (
            self.source_code_id or self.catalog_id
        ):
            raise ValidationError(
                _("A script for a source code needs the source code or its catalog.")
            )
        if self.moment == self.Moment.PRODUCT_ADDED and not self.product_id:
            raise ValidationError(
                {"product": _("A script shown when a product is added needs the product.")}
            )
        if self.moment in (self.Moment.ORDER_OPENED, self.Moment.CLOSING) and (
            self.source_code_id or self.catalog_id or self.product_id
        ):
            raise ValidationError(
                _(
                    "A greeting or closing belongs to a call center (or all), not to a catalog, "
                    "a source code or a product."
                )
            )


class UpsellRuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class UpsellRule(models.Model):
    """When the trigger is on an order, the clerk is prompted to offer the suggested products.

    The trigger is one of: a product added, a product of a category added, or
    the order total going above an amount.
    """

    class Kind(models.TextChoices):
        UPSELL = "upsell", _("Upsell")
        CROSS_SELL = "cross_sell", _("Cross-sell")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.CROSS_SELL)
    call_center = models.ForeignKey(
        CallCenter,
        verbose_name=_("call center"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Blank: every call center."),
    )
    trigger_product = models.ForeignKey(
        Product,
        verbose_name=_("when this product is added"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="upsell_rules",
    )
    trigger_category = models.ForeignKey(
        ProductCategory,
        verbose_name=_("when a product of this category is added"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="upsell_rules",
    )
    min_order_total = models.DecimalField(
        _("when the order total is above"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    suggested_products = models.ManyToManyField(
        Product, verbose_name=_("suggested products"), related_name="+"
    )
    script = models.TextField(
        _("script"), blank=True, help_text=_("What the clerk says to offer the products.")
    )
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = UpsellRuleQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("upsell or cross-sell rule")
        verbose_name_plural = _("upsell and cross-sell rules")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        trigger_product__isnull=False,
                        trigger_category__isnull=True,
                        min_order_total__isnull=True,
                    )
                    | Q(
                        trigger_product__isnull=True,
                        trigger_category__isnull=False,
                        min_order_total__isnull=True,
                    )
                    | Q(
                        trigger_product__isnull=True,
                        trigger_category__isnull=True,
                        min_order_total__isnull=False,
                    )
                ),
                name="upsell_rule_has_one_trigger",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        triggers = [
            self.trigger_product_id is not None,
            self.trigger_category_id is not None,
            self.min_order_total is not None,
        ]
        if sum(triggers) != 1:
            raise ValidationError(
                _("Choose one trigger: a product, a category, or an order total above an amount.")
            )

    @property
    def trigger_description(self) -> str:
        if self.trigger_product_id:
            return str(self.trigger_product)
        if self.trigger_category_id:
            return str(self.trigger_category)
        from callcenter.money import format_money

        return _("Order total above %(amount)s") % {"amount": format_money(self.min_order_total)}
