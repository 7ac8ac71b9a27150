"""Returns (RMA): lines of a shipped order coming back, and the refund they are owed.

A return is an order of its own kind, kept apart from sales orders so it neither
takes a number from the call center's sequence nor is ever priced: its amount is
computed once, from what the customer paid for the returned units
(:mod:`orders.returns`), when it is created.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from callcenter.models import Event, code_validator

from .models import SalesLine, SalesOrder, money_field
from .returns import worded


class ReturnReason(models.Model):
    """Why goods come back (DAMAGED, WRONG-ITEM...), configured in the admin."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    description = models.CharField(_("description"), max_length=100)
    refund_shipping = models.BooleanField(
        _("refund shipping"),
        default=False,
        help_text=_("The order's charges (shipping and handling) are refunded with the goods."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("return reason")
        verbose_name_plural = _("return reasons")

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class ReturnOrder(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        RECEIVED = "received", _("Received")
        REFUNDED = "refunded", _("Refunded")

    number = models.CharField(_("return"), max_length=40, unique=True)
    order = models.ForeignKey(
        SalesOrder,
        verbose_name=_("original order"),
        on_delete=models.PROTECT,
        related_name="returns",
    )
    reason = models.ForeignKey(
        ReturnReason, verbose_name=_("return reason"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.REQUESTED, db_index=True
    )
    amount = money_field(_("refund amount"))
    charges_refunded = money_field(_("charges refunded"))
    amount_refunded = money_field(_("refunded"))
    # How the amount was reached, one entry per line (and the charges), from orders.returns.
    explanation = models.JSONField(_("how the amount was reached"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    idempotency_key = models.UUIDField(unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("return")
        verbose_name_plural = _("returns")

    def __str__(self) -> str:
        return self.number

    def explained(self) -> list[dict]:
        """How the amount was reached, one step a line then the charges, each with its
        ``line`` number (None for the charges) and its ``text`` in the active language."""
        return [{"line": step.get("line"), "text": worded(step)} for step in self.explanation]


class ReturnLine(models.Model):
    return_order = models.ForeignKey(
        ReturnOrder, verbose_name=_("return"), on_delete=models.CASCADE, related_name="lines"
    )
    line = models.ForeignKey(
        SalesLine, verbose_name=_("original line"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(
        _("quantity returned"), validators=[MinValueValidator(1)]
    )
    amount = money_field(_("refund amount"))

    class Meta:
        ordering = ["return_order", "line__line_number"]
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="return_quantity_positive"
            ),
            models.UniqueConstraint(
                fields=["return_order", "line"], name="one_return_line_per_line"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.return_order_id} {self.line_id} × {self.quantity}"


class ReturnEvent(Event):
    """One thing that happened to a return. Never updated, never deleted."""

    class Type(models.TextChoices):
        CREATED = "created", _("Return created")
        REFUNDED = "refunded", _("Refunded to the original tenders")

    return_order = models.ForeignKey(
        ReturnOrder, verbose_name=_("return"), on_delete=models.CASCADE, related_name="events"
    )
    type = models.CharField(_("event"), max_length=40, choices=Type)

    class Meta(Event.Meta):
        verbose_name = _("return event")
        verbose_name_plural = _("return events")

    def __str__(self) -> str:
        return f"{self.return_order_id} {self.type}"
