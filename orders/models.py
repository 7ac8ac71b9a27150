from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from callcenter.models import (
    CallCenter,
    ChannelUser,
    DeliveryMode,
    Event,
    code_validator,
    of_company_or_every,
)
from callcenter.models import money_field as callcenter_money_field
from callcenter.money import DECIMAL_PLACES, MAX_DIGITS, format_money
from catalog.models import PriceGroup, Product, SourceCode
from customers.models import Customer, one_line_address

from .errors import InvalidTransition

MAX_QUANTITY = 99_999
# the code of a mode of delivery's own charge (its flat amount, when no charge rule applies)
FLAT_CHARGE = "shipping"


def charge_description(charge: dict) -> str:
    """A priced charge's description in the active language. The mode of delivery's own
    charge keeps the mode's name and is worded here; a charge rule's description is the
    administrator's text; charges priced before the mode was kept, their stored text."""
    if charge.get("code") == FLAT_CHARGE and "mode" in charge:
        return str(_("Shipping and handling (%(mode)s)")) % {"mode": charge["mode"]}
    return charge["description"]


def hold_note(*, source: str, note: str, details: dict) -> str:
    """A hold's note in the active language. An automatic hold's is worded from what it
    kept (``OrderHold.details``, also in its placing event); a person's note, and an
    automatic hold's that did not keep enough (placed before the threshold and the share
    were kept), as stored."""
    if source != OrderHold.Source.AUTOMATIC:
        return note
    if "score" in details and "threshold" in details:
        return str(_("Fraud score %(score)s (threshold %(threshold)s): %(rules)s")) % {
            "score": details["score"],
            "threshold": details["threshold"],
            "rules": ", ".join(details.get("matched", ())),
        }
    if "lines" in details:
        return str(_("Price overridden beyond the clerk's limit on line %(lines)s.")) % {
            "lines": ", ".join(str(n) for n in details["lines"])
        }
    if "on_account" in details and "percent" in details:
        return str(_("%(amount)s on account is above %(percent)s %% of the credit limit.")) % {
            "amount": format_money(Decimal(details["on_account"])),
            "percent": format_money(Decimal(details["percent"])),
        }
    return note


def money_field(verbose_name, **kwargs):
    """An order amount: zero until the order is priced."""
    kwargs.setdefault("default", 0)
    return callcenter_money_field(verbose_name, **kwargs)


class CustomerPriceGroup(models.Model):
    """The price group of a customer.

    Customers and the catalog are sibling apps that must not know each other,
    so the link between a customer and a price group lives here, in the app
    that prices orders and sees both. A customer's group wins over the call
    center's groups.
    """

    customer = models.OneToOneField(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="price_group_assignment",
    )
    price_group = models.ForeignKey(
        PriceGroup,
        verbose_name=_("price group"),
        on_delete=models.CASCADE,
        related_name="customer_assignments",
    )

    class Meta:
        verbose_name = _("customer price group")
        verbose_name_plural = _("customer price groups")

    def __str__(self) -> str:
        return f"{self.customer} → {self.price_group.code}"


class CouponQuerySet(models.QuerySet):
    def valid_on(self, on):
        return self.filter(
            models.Q(is_active=True),
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
        )

    def of_company(self, company: str):
        """The coupons a call center of ``company`` takes: that company's and those of
        every company."""
        return self.filter(of_company_or_every(company))


class Coupon(models.Model):
    """A coupon code the caller gives: a discount off the order or off every line.

    Uses are counted when an order is submitted (:class:`CouponUsage`) and
    released when it is cancelled. It belongs to a company (legal entity), whose call
    centers alone take it; left blank, to every company.
    """

    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percentage")
        AMOUNT = "amount", _("Amount")

    class Scope(models.TextChoices):
        ORDER = "order", _("Order total")
        LINE = "line", _("Each unit of every line")

    code = models.CharField(
        _("coupon code"), max_length=30, unique=True, validators=[code_validator]
    )
    company = models.CharField(
        _("company"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_(
            "The company (legal entity) whose call centers take this coupon. Blank: every company."
        ),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    kind = models.CharField(_("discount type"), max_length=10, choices=Kind, default=Kind.AMOUNT)
    scope = models.CharField(_("applies to"), max_length=10, choices=Scope, default=Scope.ORDER)
    value = models.DecimalField(
        _("discount"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        validators=[MinValueValidator(0)],
        help_text=_("A percentage (0-100) or an amount, by the discount type."),
    )
    min_order_amount = money_field(_("minimum order amount"), validators=[MinValueValidator(0)])
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    max_uses = models.PositiveIntegerField(
        _("usage limit"), null=True, blank=True, help_text=_("Blank: no limit.")
    )
    max_uses_per_customer = models.PositiveIntegerField(
        _("usage limit per customer"), null=True, blank=True, help_text=_("Blank: no limit.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CouponQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="percent") | models.Q(value__lte=100),
                name="coupon_percent_at_most_100",
            )
        ]

    def __str__(self) -> str:
        return self.code


class CouponUsage(models.Model):
    """One use of a coupon: written when the order is submitted, deleted when it is cancelled."""

    coupon = models.ForeignKey(
        Coupon, verbose_name=_("coupon"), on_delete=models.PROTECT, related_name="usages"
    )
    order = models.ForeignKey(
        "SalesOrder",
        verbose_name=_("sales order"),
        on_delete=models.CASCADE,
        related_name="coupon_usages",
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("used"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("coupon use")
        verbose_name_plural = _("coupon uses")
        constraints = [
            models.UniqueConstraint(fields=["coupon", "order"], name="unique_coupon_use_per_order")
        ]

    def __str__(self) -> str:
        return f"{self.coupon.code} / {self.order_id}"


class PriceOverrideReason(models.Model):
    """Why a clerk changed a line's price (price match, damaged item, goodwill...)."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    description = models.CharField(_("description"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("price override reason")
        verbose_name_plural = _("price override reasons")

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class PriceOverrideLimit(models.Model):
    """How far below the computed price a role may override on its own.

    Declared here, pointing down at the call center, because the call center app
    knows nothing of orders. A limit for a call center beats the one for every
    center; with none, a role may not go below the computed price at all. Going
    further needs the ``orders.override_price_beyond_limit`` permission
    (supervisors).
    """

    call_center = models.ForeignKey(
        CallCenter,
        verbose_name=_("call center"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Blank: every call center."),
    )
    role = models.CharField(_("role"), max_length=20, choices=ChannelUser.Role)
    max_percent_below = models.DecimalField(
        _("at most % below the computed price"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["call_center", "role"]
        verbose_name = _("price override limit")
        verbose_name_plural = _("price override limits")
        constraints = [
            models.UniqueConstraint(
                fields=["call_center", "role"],
                condition=models.Q(call_center__isnull=False),
                name="unique_override_limit_per_center",
            ),
            models.UniqueConstraint(
                fields=["role"],
                condition=models.Q(call_center__isnull=True),
                name="unique_override_limit_for_all_centers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.max_percent_below} %"


class SalesOrder(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        PROCESSING = "processing", _("Processing")
        SHIPPED = "shipped", _("Shipped")
        INVOICED = "invoiced", _("Invoiced")
        CANCELLED = "cancelled", _("Cancelled")

    class PaymentStatus(models.TextChoices):
        NONE = "none", _("Not paid")
        PARTIAL = "partial", _("Partially paid")
        COVERED = "covered", _("Paid")

    # The status pipeline: which status may follow which. Anything else is refused.
    # Processing means released to fulfilment: from there the warehouse has it, so it
    # is neither edited nor cancelled in the call center (a return takes it back).
    # "On hold" is not a status: it is an order with open holds (``OrderHold``).
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.CANCELLED},
        Status.SUBMITTED: {Status.PROCESSING, Status.CANCELLED},
        Status.PROCESSING: {Status.SHIPPED},
        Status.SHIPPED: {Status.INVOICED},
        Status.INVOICED: set(),
        Status.CANCELLED: set(),
    }
    RELEASED_STATUSES = (Status.PROCESSING, Status.SHIPPED, Status.INVOICED)

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
    # The tax jurisdiction of the delivery address, copied with it.
    delivery_country = models.CharField(_("delivery country"), max_length=2, blank=True)
    delivery_state = models.CharField(_("delivery state"), max_length=50, blank=True)
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
    coupon = models.ForeignKey(
        Coupon,
        verbose_name=_("coupon"),
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
    # Bumped by every change of the header or the lines; a form that saw an older one is refused.
    version = models.PositiveIntegerField(default=1)

    subtotal = money_field(_("subtotal"))
    charges_total = money_field(_("charges"))
    discount_total = money_field(_("discounts"))
    coupon_discount = money_field(_("coupon discount"))
    # The priced charges as the last re-price computed them: description, amount, explanation.
    charge_lines = models.JSONField(_("charges"), default=list, blank=True)
    tax_total = money_field(_("tax"))
    total = money_field(_("total"))
    amount_paid = money_field(_("paid"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        permissions = [
            (
                "override_price_beyond_limit",
                _("Can override a price beyond the clerk's limit"),
            )
        ]
        indexes = [models.Index(fields=["customer", "-created_at"])]

    def __str__(self) -> str:
        return self.number

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        # what was read with this object and kept on it (``_<what>_read``: the lines of
        # orders.selectors.order_lines, the page's holds, the payments' ledger) is read again
        for name in [name for name in self.__dict__ if name.endswith("_read")]:
            del self.__dict__[name]

    def owed(self, returned=Decimal("0.00")) -> Decimal:
        """What the order costs the customer now: nothing once cancelled; else its total
        less what returns refunded (``returned``), since a return lowers what was paid,
        not the total."""
        if self.status == self.Status.CANCELLED:
            return Decimal("0.00")
        return self.total - returned

    @property
    def balance(self):
        """What is still to collect (``returned``: what returns refunded, where a list
        reads it: ``selectors.order_history``)."""
        return self.owed(getattr(self, "returned", Decimal("0.00"))) - self.amount_paid

    @property
    def is_editable(self) -> bool:
        """A draft: everything may change, and it is still to be submitted."""
        return self.status == self.Status.DRAFT

    @property
    def is_amendable(self) -> bool:
        """Lines, header and payments may change: a draft, or submitted and not yet released."""
        return self.status in (self.Status.DRAFT, self.Status.SUBMITTED)

    @property
    def is_released(self) -> bool:
        return self.status in self.RELEASED_STATUSES

    @property
    def priced_charges(self) -> list[dict]:
        """The charges of the last re-price, with their explanation steps."""
        from .pricing import PriceStep

        return [
            charge
            | {
                "description": charge_description(charge),
                "amount": Decimal(charge["amount"]),
                "steps": [PriceStep.from_dict(step) for step in charge["explanation"]],
            }
            for charge in self.charge_lines
        ]

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
    # A continuity renewal's line: priced at the program's price, whatever the price groups
    # and source codes say (``orders.pricing.LineInput.fixed_price``), at every re-price.
    fixed_price = models.BooleanField(
        _("continuity program price"),
        default=False,
        db_default=False,
        help_text=_(
            "The unit price is the continuity program's: no price group or source code changes it."
        ),
    )
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
    # The unit price the customer pays and how it was reached, from the last re-price.
    sold_price = money_field(_("price"))
    price_explanation = models.JSONField(_("how the price was reached"), default=list, blank=True)
    override_price = models.DecimalField(
        _("override price"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    override_reason = models.ForeignKey(
        PriceOverrideReason,
        verbose_name=_("override reason"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("overridden by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A cancelled line stays on the order for its history; it is no longer priced.
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    # The day the line's prices (trade agreements) are read on, in the call center's time
    # zone. Empty: a draft's line is priced on today, and a submitted order's on the day
    # it was submitted; a line added after submit is priced on the day it was added.
    priced_on = models.DateField(_("priced on"), null=True, blank=True, editable=False)
    # From the last re-price: the line's share of the order coupon and its tax, so a return
    # refunds what the customer paid for the units, whatever the prices are on that day.
    coupon_share = money_field(_("coupon share"))
    tax_amount = money_field(_("tax"))

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

    @property
    def is_price_overridden(self) -> bool:
        return self.override_price is not None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def price_steps(self):
        from .pricing import PriceStep

        return [PriceStep.from_dict(step) for step in self.price_explanation]


class HoldCode(models.Model):
    """Why an order is held (FRAUD, CREDIT, PRICE, RESEARCH...), configured in the admin."""

    code = models.CharField(_("hold code"), max_length=30, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    reason_required = models.BooleanField(
        _("reason required to clear"),
        default=True,
        help_text=_("Whoever clears a hold of this code must say why."),
    )
    clear_role = models.CharField(
        _("cleared by"),
        max_length=20,
        choices=ChannelUser.Role,
        default=ChannelUser.Role.SUPERVISOR,
        help_text=_("The lowest role that may clear a hold of this code."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("hold code")
        verbose_name_plural = _("hold codes")

    def __str__(self) -> str:
        return self.code

    @property
    def shown_name(self) -> str:
        """The name in the reader's language when it is one the application gives (the
        automatic holds' codes, created on first use, and the demo's); else as entered."""
        return gettext(self.name) if self.name else ""


class OrderHoldQuerySet(models.QuerySet):
    def open(self):
        return self.filter(cleared_at__isnull=True)


class OrderHold(models.Model):
    """One hold on one order. Open while ``cleared_at`` is empty; a held order is not released.

    A supervisor checks a hold out (``checked_out_by``) so two people do not work it at
    once; the check-out lapses after the call center's configured minutes.
    """

    class Source(models.TextChoices):
        MANUAL = "manual", _("Manual")
        AUTOMATIC = "automatic", _("Automatic")

    order = models.ForeignKey(
        SalesOrder, verbose_name=_("sales order"), on_delete=models.CASCADE, related_name="holds"
    )
    # the order's (which never changes): the hold queue counts and pages a call center's
    # open holds without reading each held order
    call_center = models.ForeignKey(
        CallCenter,
        verbose_name=_("call center"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    code = models.ForeignKey(
        HoldCode, verbose_name=_("hold code"), on_delete=models.PROTECT, related_name="holds"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source, default=Source.MANUAL)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    # for automatic holds: the score and the rules that matched
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("held"), auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("worked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True, db_index=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cleared by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    clear_reason = models.TextField(_("reason for clearing"), max_length=1000, blank=True)

    objects = OrderHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("order hold")
        verbose_name_plural = _("order holds")
        permissions = [
            ("view_hold_queue", _("Can see the hold queue")),
            ("clear_hold", _("Can clear holds")),
            ("release_order", _("Can release orders to fulfilment")),
            ("export_fulfilment", _("Can export released orders for the warehouse")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "code"],
                condition=models.Q(cleared_at__isnull=True),
                name="one_open_hold_per_code",
            )
        ]
        indexes = [
            # the hold queue: open holds, oldest (or newest) first
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(cleared_at__isnull=True),
                name="open_holds_by_age",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.code_id}"

    def mark_cleared(self, *, by, reason: str, at=None) -> None:
        """Close the hold (the caller holds the order's lock and writes the event)."""
        self.cleared_at, self.cleared_by, self.clear_reason = at or timezone.now(), by, reason
        self.save(update_fields=["cleared_at", "cleared_by", "clear_reason"])

    @property
    def shown_note(self) -> str:
        """The note in the reader's language (``hold_note``)."""
        return hold_note(source=self.source, note=self.note, details=self.details)

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


class HoldSettings(models.Model):
    """A call center's settings for automatic holds and the hold queue.

    Declared here, pointing down at the call center, because the call center app
    knows nothing of orders; edited as an inline of the call center in the admin.
    """

    call_center = models.OneToOneField(
        CallCenter,
        verbose_name=_("call center"),
        on_delete=models.CASCADE,
        related_name="hold_settings",
    )
    fraud_threshold = models.PositiveIntegerField(
        _("fraud score threshold"),
        default=100,
        help_text=_("An order whose fraud score reaches this goes on FRAUD hold."),
    )
    hold_price_overrides = models.BooleanField(
        _("hold orders with prices overridden beyond the clerk's limit"), default=True
    )
    credit_hold_percent = models.DecimalField(
        _("hold on-account payments above this % of the credit limit"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Blank: no CREDIT hold for on-account payments."),
    )
    checkout_minutes = models.PositiveIntegerField(
        _("a hold checked out lapses after (minutes)"), default=30
    )

    class Meta:
        verbose_name = _("hold settings")
        verbose_name_plural = _("hold settings")

    def __str__(self) -> str:
        return str(self.call_center)


class FraudRule(models.Model):
    """One fraud check: a score added when a field matches a list or a condition holds."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone is in the list")
        EMAIL = "email", _("E-mail (or its @domain) is in the list")
        POSTAL_CODE = "postal_code", _("Postal code is in the list")
        ADDRESS = "address", _("Delivery address contains an entry of the list")
        NAME = "name", _("Customer name is in the list")
        TOTAL_ABOVE = "total_above", _("Order total above the amount")
        FIRST_ORDER_ABOVE = "first_order_above", _("First order of the customer above the amount")
        ADDRESS_DIFFERS = "address_differs", _("Delivery address differs from invoice address")
        ORDERS_PER_PHONE = "orders_per_phone", _("More orders from one phone today than the count")

    call_center = models.ForeignKey(
        CallCenter,
        verbose_name=_("call center"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Blank: every call center."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("check"), max_length=30, choices=Kind)
    values = models.TextField(
        _("list"), blank=True, help_text=_("For list checks: one entry a line.")
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    score = models.PositiveIntegerField(_("score"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("fraud rule")
        verbose_name_plural = _("fraud rules")

    def __str__(self) -> str:
        return self.name


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
        PAYMENT_REFUNDED = "payment_refunded", _("Payment refunded")
        PAYMENT_VOIDED = "payment_voided", _("Card authorization voided")
        SUBMIT_REFUSED = "submit_refused", _("Submit refused")
        SUBMITTED = "submitted", _("Order submitted")
        COUPON_APPLIED = "coupon_applied", _("Coupon applied")
        COUPON_REMOVED = "coupon_removed", _("Coupon removed")
        COUPON_REDEEMED = "coupon_redeemed", _("Coupon use counted")
        COUPON_RELEASED = "coupon_released", _("Coupon use released")
        PRICE_OVERRIDDEN = "price_overridden", _("Price overridden")
        CANCELLED = "cancelled", _("Order cancelled")
        HOLD_PLACED = "hold_placed", pgettext_lazy("order event", "Put on hold")
        HOLD_CHECKED_OUT = "hold_checked_out", _("Hold checked out")
        HOLD_CLEARED = "hold_cleared", _("Hold cleared")
        RELEASED = "released", _("Released to fulfilment")
        SHIPPED = "shipped", _("Shipped")
        LINE_CANCELLED = "line_cancelled", _("Line cancelled")
        RETURN_CREATED = "return_created", _("Return created")
        UPSELL_ACCEPTED = "upsell_accepted", _("Suggestion added")
        UPSELL_DISMISSED = "upsell_dismissed", _("Suggestions dismissed")

    order = models.ForeignKey(
        SalesOrder,
        verbose_name=_("sales order"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    type = models.CharField(_("event"), max_length=40, choices=Type)
    # the order's customer, written with the event: the customer page's latest activity
    # of all their orders is the start of one index, however many orders they have
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the index below starts with it
    )

    class Meta(Event.Meta):
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        indexes = [
            models.Index(fields=["customer", "-created_at", "-id"], name="order_events_of_customer")
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.type}"


# --- Guided selling: upsell offers made on an order, catalog requests ---


class UpsellOffer(models.Model):
    """One suggested product offered to the caller on one order, and what became of it.

    One offer per order, rule and product: a dismissed or accepted suggestion
    is never offered again on that order. The rows are the conversion record
    (offered, accepted, dismissed) of each rule.
    """

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    order = models.ForeignKey(
        SalesOrder,
        verbose_name=_("sales order"),
        on_delete=models.CASCADE,
        related_name="upsell_offers",
    )
    rule = models.ForeignKey(
        "catalog.UpsellRule",
        verbose_name=_("rule"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.OFFERED, db_index=True
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    offered_at = models.DateTimeField(_("offered"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted or dismissed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("accepted or dismissed"), null=True, blank=True)
    line = models.ForeignKey(
        SalesLine,
        verbose_name=_("line added"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["order", "offered_at", "pk"]
        verbose_name = _("upsell offer")
        verbose_name_plural = _("upsell offers")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "rule", "product"], name="unique_upsell_offer_per_order"
            )
        ]
        indexes = [models.Index(fields=["rule", "status"])]

    def __str__(self) -> str:
        return f"{self.order_id} {self.product_id} {self.status}"


class CatalogRequest(models.Model):
    """A request to mail a catalog to a customer, exported as CSV for the mail house.

    The mailing address is copied when the request is taken, so the mailing
    goes where the caller said even if the address changes later.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        EXPORTED = "exported", _("Exported")

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="catalog_requests",
    )
    call_center = models.ForeignKey(
        CallCenter, verbose_name=_("call center"), on_delete=models.PROTECT, related_name="+"
    )
    catalog = models.ForeignKey(
        "catalog.Catalog", verbose_name=_("catalog"), on_delete=models.PROTECT, related_name="+"
    )
    source_code = models.ForeignKey(
        SourceCode,
        verbose_name=_("source code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state or region"), max_length=50, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.REQUESTED, db_index=True
    )
    exported_at = models.DateTimeField(_("exported"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("catalog request")
        verbose_name_plural = _("catalog requests")
        permissions = [
            ("export_catalogrequest", _("Can export catalog requests for the mail house"))
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.catalog_id} {self.requested_at:%Y-%m-%d}"

    @property
    def mailing_address(self) -> str:
        """Where the catalog goes, on one line, written as the customer page writes it."""
        return one_line_address(self)


# --- Continuity programs (their own module, found by Django through this import) ---

from .models_continuity import (  # noqa: E402, F401
    ContinuityProgram,
    ContinuityProgramItem,
    Enrolment,
    EnrolmentEvent,
    EnrolmentShipment,
)

# --- Returns (their own module, found by Django through this import) ---
from .models_returns import ReturnEvent, ReturnLine, ReturnOrder, ReturnReason  # noqa: E402, F401
