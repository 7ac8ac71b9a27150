"""Continuity programs: an item sold once that becomes a series of shipments.

Imported by ``orders.models`` so Django finds the models in the orders app.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from callcenter.models import CallCenter, DeliveryMode, Event, code_validator
from callcenter.money import DECIMAL_PLACES, MAX_DIGITS
from catalog.models import Product
from customers.models import Customer

from . import continuity_schedule


class ContinuityProgram(models.Model):
    """The set-up of a program: its parent item, its schedule, how it is billed."""

    class Unit(models.TextChoices):
        DAYS = continuity_schedule.DAYS, _("days")
        MONTHS = continuity_schedule.MONTHS, _("months")

    class Billing(models.TextChoices):
        PER_EVENT = "per_event", _("Each event is charged when it ships")
        UP_FRONT = "up_front", _("Paid up front with the original order")

    code = models.CharField(_("code"), max_length=30, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    parent_product = models.OneToOneField(
        Product,
        verbose_name=_("parent item"),
        on_delete=models.PROTECT,
        related_name="continuity_program",
        help_text=_("The item the clerk sells on the order; selling it enrols the customer."),
    )
    interval = models.PositiveIntegerField(_("every"), default=1, validators=[MinValueValidator(1)])
    interval_unit = models.CharField(
        _("interval unit"), max_length=10, choices=Unit, default=Unit.MONTHS
    )
    event_count = models.PositiveIntegerField(
        _("number of events"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Blank: open-ended, until the customer cancels."),
    )
    first_with_order = models.BooleanField(
        _("first shipment goes with the original order"), default=True
    )
    billing = models.CharField(
        _("payment"), max_length=20, choices=Billing, default=Billing.PER_EVENT
    )
    script = models.TextField(_("script"), blank=True, help_text=_("Read to the caller."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("continuity program")
        verbose_name_plural = _("continuity programs")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def frequency(self) -> str:
        """How often an event ships, in words: "every month", "every 14 days"..."""
        n = self.interval
        if self.interval_unit == self.Unit.DAYS:
            return ngettext("every day", "every %(count)s days", n) % {"count": n}
        return ngettext("every month", "every %(count)s months", n) % {"count": n}

    def clean(self):
        if self.billing == self.Billing.UP_FRONT and self.event_count is None:
            raise ValidationError({"billing": _("An open-ended program cannot be paid up front.")})

    def items_for(self, number: int, items=None) -> list["ContinuityProgramItem"]:
        """The items of event ``number``: its own rows, else the rows for every event."""
        items = list(self.items.all()) if items is None else items
        own = [item for item in items if item.event_number == number]
        return own or [item for item in items if item.event_number is None]


class ContinuityProgramItem(models.Model):
    """What one event of a program ships, at what price (blank event: every event)."""

    program = models.ForeignKey(
        ContinuityProgram,
        verbose_name=_("continuity program"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    event_number = models.PositiveIntegerField(
        _("event"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Blank: every event without rows of its own."),
    )
    product = models.ForeignKey(
        Product, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    price = models.DecimalField(
        _("price"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        validators=[MinValueValidator(0)],
        help_text=_("Unit price of the item in this event."),
    )

    class Meta:
        ordering = ["program", "event_number", "pk"]
        verbose_name = _("continuity program item")
        verbose_name_plural = _("continuity program items")

    def __str__(self) -> str:
        return f"{self.program.code} #{self.event_number or '*'} {self.product_id}"


class Enrolment(models.Model):
    """A customer enrolled in a program by an order: what ships next, where, paid how."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="enrolments"
    )
    program = models.ForeignKey(
        ContinuityProgram,
        verbose_name=_("continuity program"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    original_order = models.ForeignKey(
        "orders.SalesOrder",
        verbose_name=_("original order"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    original_line_number = models.PositiveIntegerField(_("line"))
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    call_center = models.ForeignKey(
        CallCenter, verbose_name=_("call center"), on_delete=models.PROTECT, related_name="+"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sold by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Child orders are taken in this user's name."),
    )
    # How each event is paid: the payment method's code and, for cards, the gateway's
    # token with what may be shown. Never a card number.
    payment_method_code = models.CharField(_("payment method"), max_length=20, blank=True)
    card_token = models.CharField(_("card token"), max_length=100, blank=True)
    card_brand = models.CharField(_("card brand"), max_length=30, blank=True)
    card_last4 = models.CharField(_("card last four digits"), max_length=4, blank=True)
    delivery_mode = models.ForeignKey(
        DeliveryMode,
        verbose_name=_("mode of delivery"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delivery_address = models.TextField(_("delivery address"), blank=True)
    delivery_country = models.CharField(_("delivery country"), max_length=2, blank=True)
    delivery_state = models.CharField(_("delivery state"), max_length=50, blank=True)
    start_date = models.DateField(_("start date"))
    next_event_number = models.PositiveIntegerField(_("next event"), null=True, blank=True)
    next_event_date = models.DateField(_("next date"), null=True, blank=True, db_index=True)
    events_done = models.PositiveIntegerField(_("events done"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.ACTIVE, db_index=True
    )
    needs_attention = models.BooleanField(
        _("needs attention"),
        default=False,
        help_text=_("The last renewal could not be charged: its order is on hold."),
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    # Bumped by every change (the customer page's and the processor's moving on to the next
    # event); a form that saw an older one is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["original_order", "original_line_number"],
                name="one_enrolment_per_order_line",
            )
        ]
        indexes = [models.Index(fields=["status", "next_event_date"])]

    def __str__(self) -> str:
        return f"{self.program.code} / {self.customer_id}"

    @property
    def events_left(self) -> int | None:
        if self.program.event_count is None:
            return None
        return max(self.program.event_count - self.events_done, 0)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def card_reference(self) -> str:
        return f"{self.card_brand} ···· {self.card_last4}" if self.card_last4 else ""


class EnrolmentShipment(models.Model):
    """One event of an enrolment: its child order, or a skip. At most one per event number:
    the unique constraint is what makes the processor create each child order once."""

    class Status(models.TextChoices):
        ORIGINAL = "original", _("Shipped with the original order")
        ORDERED = "ordered", _("Order submitted")
        HELD = "held", _("Order on hold")
        SKIPPED = "skipped", _("Skipped")

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="shipments",
    )
    event_number = models.PositiveIntegerField(_("event"))
    scheduled_for = models.DateField(_("scheduled for"))
    order = models.OneToOneField(
        "orders.SalesOrder",
        verbose_name=_("sales order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continuity_shipment",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["enrolment", "event_number"]
        verbose_name = _("enrolment event")
        verbose_name_plural = _("enrolment events")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "event_number"], name="one_shipment_per_enrolment_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} #{self.event_number} {self.status}"


class EnrolmentEvent(Event):
    """One thing that happened to an enrolment. Never updated, never deleted."""

    class Type(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        RENEWAL_ORDERED = "renewal_ordered", _("Renewal order created")
        RENEWAL_DECLINED = "renewal_declined", _("Renewal payment declined")
        SKIPPED = "skipped", _("Next event skipped")
        ADDRESS_CHANGED = "address_changed", _("Delivery address changed")
        QUANTITY_CHANGED = "quantity_changed", _("Quantity changed")
        CANCELLED = "cancelled", _("Enrolment cancelled")
        COMPLETED = "completed", _("Enrolment completed")

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="events"
    )
    type = models.CharField(_("event"), max_length=40, choices=Type)

    class Meta(Event.Meta):
        verbose_name = _("enrolment history")
        verbose_name_plural = _("enrolment history")

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.type}"

    @property
    def detail(self) -> str:
        """What the event's parameters say, in the reader's language."""
        p, t = self.parameters, self.Type
        if self.type == t.ENROLLED:
            return gettext("order %(order)s") % {"order": p.get("order", "")}
        if self.type in (t.RENEWAL_ORDERED, t.RENEWAL_DECLINED):
            said = gettext("event %(event)s: order %(order)s") % {
                "event": p.get("event", ""),
                "order": p.get("order", ""),
            }
            return f"{said} ({p['message']})" if p.get("message") else said
        if self.type == t.SKIPPED:
            return gettext("event %(event)s") % {"event": p.get("event", "")}
        if self.type == t.ADDRESS_CHANGED:
            return p.get("new", "")
        if self.type == t.QUANTITY_CHANGED:
            return f"{p.get('old', '')} → {p.get('new', '')}"
        if self.type == t.CANCELLED:
            return p.get("reason", "")
        return ""
