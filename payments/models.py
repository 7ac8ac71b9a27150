from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from callcenter.models import CallCenter, Event, code_validator, money_field
from callcenter.money import DECIMAL_PLACES, MAX_DIGITS
from orders.models import SalesOrder


class GiftCard(models.Model):
    """A gift card sold by a company (legal entity): only that company's call centers take
    it. Redeeming it lowers its balance, a refund restores it."""

    company = models.CharField(_("company"), max_length=20, db_index=True)
    number = models.CharField(_("number"), max_length=30, unique=True)
    balance = money_field(_("balance"), validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("gift card")
        verbose_name_plural = _("gift cards")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="gift_card_balance_not_negative"
            )
        ]

    def __str__(self) -> str:
        return _("Gift card ending %(last4)s") % {"last4": self.last4}

    @property
    def last4(self) -> str:
        return self.number[-4:]


class PaymentMethod(models.Model):
    """A way to pay, defined once and offered per call center."""

    class TenderType(models.TextChoices):
        CASH = "cash", _("Cash")
        CHECK = "check", _("Check")
        CARD = "card", _("Card")
        GIFT_CARD = "gift_card", _("Gift card")
        ON_ACCOUNT = "on_account", _("On account")

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=60)
    name_fr = models.CharField(
        _("name in French"),
        max_length=60,
        blank=True,
        help_text=_("Shown to clerks working in French; empty: the name."),
    )
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
        if self.name_fr and get_language() == "fr":
            return self.name_fr
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
    #: statuses a cancel or a refund still has to release
    OPEN_STATUSES = (Status.PENDING, Status.AUTHORIZED, Status.CAPTURED)

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
    # The key of the refund (or void) request that released this payment: a replay is no error.
    refund_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Cash handed over; ``amount`` is what counts against the balance, the rest is change.
    amount_tendered = money_field(_("amount tendered"), null=True, blank=True)
    change_due = money_field(_("change due"), default=0)
    # Cards: the gateway's token and what may be shown. Never the card number or CVV.
    card_token = models.CharField(_("card token"), max_length=100, blank=True)
    card_last4 = models.CharField(_("card last four digits"), max_length=4, blank=True)
    card_brand = models.CharField(_("card brand"), max_length=30, blank=True)
    card_expiry_month = models.PositiveSmallIntegerField(_("expiry month"), null=True, blank=True)
    card_expiry_year = models.PositiveSmallIntegerField(_("expiry year"), null=True, blank=True)
    check_number = models.CharField(_("check number"), max_length=30, blank=True)
    gift_card = models.ForeignKey(
        GiftCard,
        verbose_name=_("gift card"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    # Why a payment was declined or left pending, as the clerk read it.
    message = models.CharField(_("message"), max_length=200, blank=True)
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
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(change_due__gte=0), name="payment_change_due_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.amount} ({self.get_status_display()})"

    @property
    def counts(self) -> bool:
        return self.status in self.GOOD_STATUSES

    @property
    def refunded_amount(self):
        """What was given back of this payment so far (uses prefetched ``refunds`` if any)."""
        return sum((refund.amount for refund in self.refunds.all()), Decimal(0))

    @property
    def counted_amount(self):
        """What the payment still pays: its amount less its refunds (``amount`` stays)."""
        return self.amount - self.refunded_amount

    @property
    def is_partly_refundable(self) -> bool:
        return self.status == self.Status.CAPTURED and self.counted_amount > 0

    @property
    def reference(self) -> str:
        """What the clerk and the customer recognise the tender by; never a full number."""
        if self.card_last4:
            return f"{self.card_brand} ···· {self.card_last4}"
        if self.gift_card_id:
            return f"···· {self.gift_card.last4}"
        if self.check_number:
            return _("No. %(number)s") % {"number": self.check_number}
        return ""


class PaymentRefund(models.Model):
    """Money given back of one captured payment: all of it or part of it, one row per refund.

    Card refunds went through the gateway under ``idempotency_key``; gift cards got the
    amount back on their balance; cash, checks and on-account refunds are recorded here.
    """

    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="refunds"
    )
    amount = money_field(_("amount"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    idempotency_key = models.UUIDField(_("idempotency key"), unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("refunded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("refunded at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("payment refund")
        verbose_name_plural = _("payment refunds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_refund_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} -{self.amount}"


class Cancellation(models.Model):
    """Why and by whom an order was cancelled; its key makes a replayed cancel harmless."""

    order = models.OneToOneField(
        SalesOrder,
        verbose_name=_("sales order"),
        on_delete=models.PROTECT,
        related_name="cancellation",
    )
    reason = models.CharField(_("reason"), max_length=200)
    idempotency_key = models.UUIDField(_("idempotency key"), unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("cancelled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cancellation")
        verbose_name_plural = _("cancellations")

    def __str__(self) -> str:
        return f"{self.order} ({self.reason})"


class PaymentEvent(Event):
    """One thing that happened to a payment. Never updated, never deleted."""

    class Type(models.TextChoices):
        CREATED = "created", _("Payment entered")
        AUTHORIZED = "authorized", _("Payment authorized")
        CAPTURED = "captured", _("Payment captured")
        DECLINED = "declined", _("Payment declined")
        GATEWAY_ERROR = "gateway_error", _("Gateway did not answer")
        VOIDED = "voided", _("Payment voided")
        REFUNDED = "refunded", _("Payment refunded")

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
