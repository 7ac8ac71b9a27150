from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from callcenter.models import CallCenter, DeliveryMode, Event
from callcenter.money import DECIMAL_PLACES, MAX_DIGITS
from catalog.models import Product, SourceCode
from customers.models import Customer

from .errors import InvalidTransition

MAX_QUANTITY = 99_999


def money_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        default=0,
        **kwargs,
    )


class SalesOrder(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CANCELLED = "cancelled", _("Cancelled")

    class PaymentStatus(models.TextChoices):
        NONE = "none", _("Not paid")
        PARTIAL = "partial", _("Partially paid")
        COVERED = "covered", _("Paid")

    # The status pipeline: which status may follow which. Anything else is refused.
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.CANCELLED},
        Status.SUBMITTED: {Status.CANCELLED},
        Status.CANCELLED: set(),
    }

    number = models.CharField(_("sales order"), max_length=30, unique=True)
    call_center = models.ForeignKey(
        CallCenter,
        verbose_name=_("call center"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clerk"),
        on_delete=models.PROTECT,
        related_name="sales_orders",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    payment_status = models.CharField(
        _("payment status"),
        max_length=20,
        choices=PaymentStatus,
        default=PaymentStatus.NONE,
    )
    delivery_mode = models.ForeignKey(
        DeliveryMode,
        verbose_name=_("mode of delivery"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delivery_address = models.TextField(_("delivery address"), blank=True)
    financial_dimensions = models.JSONField(
        _("financial dimensions"),
        default=dict,
        blank=True,
        help_text=_("Copied from the call center when the order is created."),
    )
    source_code = models.ForeignKey(
        SourceCode,
        verbose_name=_("source code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # The idempotency key of the submit that succeeded: a replay of it is not an error.
    submit_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Bumped by every header change; a header form that saw an older one is refused.
    version = models.PositiveIntegerField(default=1)

    subtotal = money_field(_("subtotal"))
    charges_total = money_field(_("charges"))
    discount_total = money_field(_("discounts"))
    tax_total = money_field(_("tax"))
    total = money_field(_("total"))
    amount_paid = money_field(_("paid"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        indexes = [models.Index(fields=["customer", "-created_at"])]

    def __str__(self) -> str:
        return self.number

    @property
    def balance(self):
        return self.total - self.amount_paid

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    def set_status(self, status: str) -> None:
        if not self.can_become(status):
            raise InvalidTransition(
                _("A %(current)s order cannot become %(new)s.")
                % {
                    "current": self.get_status_display().lower(),
                    "new": self.Status(status).label.lower(),
                }
            )
        self.status = status


class SalesLine(models.Model):
    """A line copies the product's number, name and price so history survives catalog edits."""

    order = models.ForeignKey(
        SalesOrder,
        verbose_name=_("sales order"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    line_number = models.PositiveIntegerField(_("line"))
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    item_number = models.CharField(_("item number"), max_length=30)
    product_name = models.CharField(_("product name"), max_length=120)
    quantity = models.PositiveIntegerField(
        _("quantity"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)],
    )
    unit_price = money_field(_("unit price"))
    source_code = models.ForeignKey(
        SourceCode,
        verbose_name=_("source code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    discount_amount = money_field(_("discount"))
    line_amount = money_field(_("amount"))

    class Meta:
        ordering = ["order", "line_number"]
        verbose_name = _("sales line")
        verbose_name_plural = _("sales lines")
        constraints = [
            models.UniqueConstraint(fields=["order", "line_number"], name="unique_line_number"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.number}/{self.line_number} {self.item_number}"


class OrderEvent(Event):
    """One thing that happened to an order. Never updated, never deleted."""

    class Type(models.TextChoices):
        CREATED = "created", _("Order created")
        HEADER_CHANGED = "header_changed", _("Header changed")
        LINE_ADDED = "line_added", _("Line added")
        LINE_REMOVED = "line_removed", _("Line removed")
        COMPLETED = "completed", _("Totals calculated")
        PAYMENT_ADDED = "payment_added", _("Payment added")
        PAYMENT_STATUS_CHANGED = "payment_status_changed", _("Payment status changed")
        SUBMIT_REFUSED = "submit_refused", _("Submit refused")
        SUBMITTED = "submitted", _("Order submitted")
        CANCELLED = "cancelled", _("Order cancelled")

    order = models.ForeignKey(
        SalesOrder,
        verbose_name=_("sales order"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    type = models.CharField(_("event"), max_length=40, choices=Type)

    class Meta(Event.Meta):
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self) -> str:
        return f"{self.order_id} {self.type}"
