"""Call centers are sales channels: their own users, modes of delivery and switches."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import roles
from .money import DECIMAL_PLACES, MAX_DIGITS
from .reference import new_version


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    """An amount column: the one width and scale every app stores money in."""
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs
    )


code_validator = RegexValidator(
    r"^[A-Za-z0-9_-]+$", _("Use letters, digits, hyphens and underscores only.")
)


class DeliveryMode(models.Model):
    """A mode of delivery and the shipping and handling charge it carries per order."""

    code = models.CharField(_("code"), max_length=10, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=60)
    charge = models.DecimalField(
        _("shipping and handling charge"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        default=0,
        validators=[MinValueValidator(0)],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("mode of delivery")
        verbose_name_plural = _("modes of delivery")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FinancialDimension(models.Model):
    """A value of a financial dimension (cost center, department, purpose).

    Every order of a call center copies the center's dimension values, so the
    ledger can tell which center, department and purpose a sale belongs to.
    """

    class Dimension(models.TextChoices):
        COST_CENTER = "cost_center", _("Cost center")
        DEPARTMENT = "department", _("Department")
        PURPOSE = "purpose", _("Purpose")

    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension)
    code = models.CharField(_("value"), max_length=20, validators=[code_validator])
    name = models.CharField(_("description"), max_length=100, blank=True)

    class Meta:
        ordering = ["dimension", "code"]
        verbose_name = _("financial dimension value")
        verbose_name_plural = _("financial dimension values")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="unique_dimension_value")
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.code}"


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone. Use a name such as America/New_York or Europe/Paris."),
            params={"value": value},
        )


def of_company_or_every(company: str, lookup: str = "company") -> Q:
    """Rows of ``company`` (a call center's ``company``) and rows of every company, whose
    ``lookup`` (the path to their company) is blank: a catalog, a coupon."""
    return Q(**{lookup: ""}) | Q(**{lookup: company})


class CallCenterQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def of_user(self, user):
        """The active call centers in which ``user`` is a channel user."""
        if not user.is_authenticated:
            return self.none()
        return self.active().filter(channel_users__user=user)


#: a currency as ISO 4217 writes it (USD, EUR): call centers' and gift cards'
currency_validator = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code, e.g. USD."))


class CallCenter(models.Model):
    """A call center: a sales channel whose users take orders by phone."""

    code = models.CharField(
        _("channel code"), max_length=20, unique=True, validators=[code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    company = models.CharField(_("company"), max_length=20, help_text=_("Legal entity, e.g. USRT."))
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="USD",
        validators=[currency_validator],
        help_text=_("Fixed once the call center has numbered an order."),
    )
    default_warehouse = models.CharField(_("default warehouse"), max_length=20, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    order_number_prefix = models.CharField(
        _("order number prefix"), max_length=10, validators=[code_validator]
    )
    next_order_number = models.PositiveIntegerField(
        _("next order number"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Can be raised, never lowered: order numbers are never reused."),
    )
    tax_rate = models.DecimalField(
        _("sales tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[
            MinValueValidator(0),
            MaxValueValidator(100, _("A tax rate is a percentage: enter at most 100.")),
        ],
        help_text=_("Applied to merchandise after discounts."),
    )
    delivery_modes = models.ManyToManyField(
        DeliveryMode,
        verbose_name=_("modes of delivery"),
        related_name="call_centers",
        blank=True,
    )
    default_delivery_mode = models.ForeignKey(
        DeliveryMode,
        verbose_name=_("default mode of delivery"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    financial_dimensions = models.ManyToManyField(
        FinancialDimension,
        verbose_name=_("financial dimensions"),
        related_name="call_centers",
        blank=True,
        help_text=_("At most one value per dimension; every order of the center copies them."),
    )
    order_completion_enabled = models.BooleanField(
        _("order completion"),
        default=True,
        help_text=_("Payments and completion on the sales order page."),
    )
    direct_selling_enabled = models.BooleanField(
        _("direct selling"),
        default=True,
        help_text=_("Source codes, scripts and catalog requests."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("A call center with orders cannot be deleted: deactivate it instead."),
    )
    # Changes whenever setup data the center's orders are priced and shown with changes:
    # app processes keep that data until then (callcenter/reference.py).
    reference_version = models.BigIntegerField(default=new_version, editable=False)

    objects = CallCenterQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("call center")
        verbose_name_plural = _("call centers")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.pk is None:
            return
        saved = CallCenter.objects.filter(pk=self.pk).values("currency", "next_order_number").get()
        errors = {}
        if self.next_order_number < saved["next_order_number"]:
            errors["next_order_number"] = _(
                "The sequence cannot go back below %(n)s: those order numbers are taken."
            ) % {"n": saved["next_order_number"]}
        if self.currency != saved["currency"] and saved["next_order_number"] > 1:
            errors["currency"] = _(
                "The currency is fixed: this call center already has orders in %(currency)s."
            ) % {"currency": saved["currency"]}
        if errors:
            raise ValidationError(errors)

    def dimension_values(self) -> dict[str, str]:
        """The financial dimensions an order of this center copies: {dimension: value}."""
        return {d.dimension: d.code for d in self.financial_dimensions.all()}

    def today(self) -> datetime.date:
        """Today's date where the call center is (its time zone), whoever asks: the day
        its orders are priced on and its coupons and source codes are valid on."""
        return self.day_of(timezone.now())

    def day_of(self, moment: datetime.datetime) -> datetime.date:
        """The date of ``moment`` where the call center is."""
        return timezone.localdate(moment, timezone=zoneinfo.ZoneInfo(self.time_zone))

    def offers_delivery_mode(self, mode: DeliveryMode) -> bool:
        return self.delivery_modes.filter(pk=mode.pk, is_active=True).exists()


class ChargeRule(models.Model):
    """An automatic charge of a mode of delivery, in one call center or in all of them.

    A mode of delivery without rules charges its flat ``charge`` per order.
    With rules, each rule that applies is a charge line of its own: per order,
    per line or per unit; optionally only within a tier of order value or
    weight (from inclusive, to exclusive); free from an order value; taxed or
    not. A call center's own rules replace the rules for all centers. The
    computation is ``orders.pricing.price_charges``.
    """

    class Category(models.TextChoices):
        SHIPPING = "shipping", _("Shipping")
        HANDLING = "handling", _("Handling")

    class Basis(models.TextChoices):
        ORDER = "order", _("Per order")
        LINE = "line", _("Per line")
        UNIT = "unit", _("Per unit")

    class TierBasis(models.TextChoices):
        NONE = "", _("No tier")
        VALUE = "value", _("Order value")
        WEIGHT = "weight", _("Weight")

    delivery_mode = models.ForeignKey(
        DeliveryMode,
        verbose_name=_("mode of delivery"),
        on_delete=models.CASCADE,
        related_name="charge_rules",
    )
    call_center = models.ForeignKey(
        "CallCenter",
        verbose_name=_("call center"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="charge_rules",
        help_text=_("Blank: every call center that has no rules of its own for this mode."),
    )
    category = models.CharField(
        _("category"), max_length=10, choices=Category, default=Category.SHIPPING
    )
    description = models.CharField(_("description"), max_length=100)
    basis = models.CharField(_("charged"), max_length=10, choices=Basis, default=Basis.ORDER)
    amount = models.DecimalField(
        _("amount"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        validators=[MinValueValidator(0)],
    )
    tier_basis = models.CharField(
        _("tier by"), max_length=10, choices=TierBasis, default=TierBasis.NONE, blank=True
    )
    tier_from = models.DecimalField(
        _("tier from"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    tier_to = models.DecimalField(
        _("tier below"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    free_from = models.DecimalField(
        _("free from order value"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    taxable = models.BooleanField(_("taxed"), default=False)

    class Meta:
        ordering = ["delivery_mode", "call_center", "category", "pk"]
        verbose_name = _("charge rule")
        verbose_name_plural = _("charge rules")

    def __str__(self) -> str:
        return f"{self.delivery_mode.code}: {self.description}"

    def clean(self) -> None:
        if self.tier_basis and self.tier_from is None and self.tier_to is None:
            raise ValidationError(
                {"tier_from": _("A tier needs a lower or an upper bound (or both).")}
            )


class ChannelUser(models.Model):
    """A user allowed to take orders in a call center, with a role there."""

    class Role(models.TextChoices):
        CLERK = roles.CLERK, _("Clerk")
        SUPERVISOR = roles.SUPERVISOR, _("Supervisor")
        MANAGER = roles.MANAGER, _("Manager")

    call_center = models.ForeignKey(
        CallCenter,
        verbose_name=_("call center"),
        on_delete=models.CASCADE,
        related_name="channel_users",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="channel_memberships",
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("As shown to colleagues; may be the user ID."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.CLERK)

    class Meta:
        ordering = ["call_center", "user__username"]
        verbose_name = _("channel user")
        verbose_name_plural = _("channel users")
        constraints = [
            models.UniqueConstraint(fields=["call_center", "user"], name="unique_channel_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.call_center.code}"

    def has_role(self, role: str) -> bool:
        return roles.RANK[self.role] >= roles.RANK[role]


class Event(models.Model):
    """Base of the history tables: who did what, when, with which parameters.

    Events are only ever appended: the services write them, nothing updates or
    deletes them, and the admin shows them read-only.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]
