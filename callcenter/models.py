"""Call centers are sales channels: their own users, modes of delivery and switches."""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .money import DECIMAL_PLACES, MAX_DIGITS

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


class CallCenterQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def of_user(self, user):
        """The active call centers in which ``user`` is a channel user."""
        if not user.is_authenticated:
            return self.none()
        return self.active().filter(channel_users__user=user)


class CallCenter(models.Model):
    """A call center: a sales channel whose users take orders by phone."""

    code = models.CharField(
        _("channel code"), max_length=20, unique=True, validators=[code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    company = models.CharField(_("company"), max_length=20, help_text=_("Legal entity, e.g. USRT."))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    order_number_prefix = models.CharField(
        _("order number prefix"), max_length=10, validators=[code_validator]
    )
    next_order_number = models.PositiveIntegerField(_("next order number"), default=1)
    tax_rate = models.DecimalField(
        _("sales tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
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
    is_active = models.BooleanField(_("active"), default=True)

    objects = CallCenterQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("call center")
        verbose_name_plural = _("call centers")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def offers_delivery_mode(self, mode: DeliveryMode) -> bool:
        return self.delivery_modes.filter(pk=mode.pk, is_active=True).exists()


class ChannelUser(models.Model):
    """A user allowed to take orders in a call center, with a role there."""

    class Role(models.TextChoices):
        CLERK = "clerk", _("Clerk")
        SUPERVISOR = "supervisor", _("Supervisor")
        MANAGER = "manager", _("Manager")

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
