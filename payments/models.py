from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from callcenter.models import CallCenter, Event
from callcenter.money import DECIMAL_PLACES, MAX_DIGITS
from orders.models import SalesOrder


class PaymentMethod(models.Model):
    """A way to pay, defined once and offered per call center."""

    class TenderType(models.TextChoices):
        CASH = "cash", _("Cash")
        CHECK = "check", _("Check")
        CARD = "card", _("Card")
        GIFT_CARD = "gift_card", _("Gift card")
        ON_ACCOUNT = "on_account", _("On account")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)
    tender_type = models.CharField(_("tender type"), max_length=20, choices=TenderType)
    is_active = models.BooleanField(_("active"), default=True)
    call_centers = models.ManyToManyField(
        CallCenter,
        verbose_name=_("call centers"),
        through="CallCenterPaymentMethod",
        related_name="payment_methods",
        blank=True,
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("payment method")
        verbose_name_plural = _("payment methods")

    def __str__(self) -> str:
        return self.name


class CallCenterPaymentMethod(models.Model):
    """A payment method offered by a call center."""

    call_center = models.ForeignKey(
        CallCenter, verbose_name=_("call center"), on_delete=models.CASCADE
    )
    payment_method = models.ForeignKey(
        PaymentMethod, verbose_name=_("payment method"), on_delete=models.CASCADE
    )
    allow_overpayment = models.BooleanField(
        _("allow overpayment"),
        default=False,
        help_text=_("Accept more than the balance (for cash: the difference is change due)."),
    )
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Preselected in the payment dialog.")
    )

    class Meta:
        verbose_name = _("call center payment method")
        verbose_name_plural = _("call center payment methods")
        constraints = [
            models.UniqueConstraint(
                fields=["call_center", "payment_method"],
                name="unique_call_center_payment_method",
            ),
            models.UniqueConstraint(
                fields=["call_center"],
                condition=models.Q(is_default=True),
                name="one_default_payment_method_per_call_center",
                violation_error_message=_("A call center has one default payment method."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_center.code}: {self.payment_method}"


class Payment(models.Model):
    """One tender on an order. The payments of an order are its ledger."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        AUTHORIZED = "authorized", _("Authorized")
        CAPTURED = "captured", _("Captured")
        DECLINED = "declined", _("Declined")
        VOIDED = "voided", _("Voided")
        REFUNDED = "refunded", _("Refunded")

    #: statuses whose amount counts towards the order's balance
    GOOD_STATUSES = (Status.AUTHORIZED, Status.CAPTURED)

    order = models.ForeignKey(
        SalesOrder,
        verbose_name=_("sales order"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    method = models.ForeignKey(
        PaymentMethod,
        verbose_name=_("payment method"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    idempotency_key = models.UUIDField(_("idempotency key"), unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.amount} ({self.get_status_display()})"


class PaymentEvent(Event):
    """One thing that happened to a payment. Never updated, never deleted."""

    class Type(models.TextChoices):
        CREATED = "created", _("Payment entered")
        CAPTURED = "captured", _("Payment captured")

    payment = models.ForeignKey(
        Payment,
        verbose_name=_("payment"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    type = models.CharField(_("event"), max_length=30, choices=Type)

    class Meta(Event.Meta):
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")

    def __str__(self) -> str:
        return f"{self.payment_id} {self.type}"
