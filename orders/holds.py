"""Holds and the order's way to the warehouse: put on hold, check out, clear, release, ship.

An order is "on hold" while it has open holds; its status stays what it was.
A held order is never released to fulfilment. Automatic holds are placed by
:func:`apply_automatic_holds`, which the submit gate (``payments.services``)
calls inside its locked transaction: the order is submitted (its payment is
taken) but held until a supervisor has looked at it. A change of a submitted order
runs them again (``services.recheck_holds``), and a payment on account taken after
the submit runs the CREDIT rule (:func:`apply_credit_hold`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, prefetch_related_objects
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from callcenter import reference
from callcenter.access import role_in, role_may
from callcenter.models import ChannelUser
from callcenter.money import ZERO, format_money
from callcenter.roles import RANK

from . import events, fraud
from .errors import OrderError
from .models import (
    FraudRule,
    HoldCode,
    HoldSettings,
    OrderHold,
    SalesOrder,
    hold_note,
)
from .pricing import computed_price_of, override_percent_below
from .selectors import order_lines
from .services import lock, override_limits

FRAUD, CREDIT, PRICE = "FRAUD", "CREDIT", "PRICE"

# The codes automatic holds use, created on first use when the admin has not set them up.
# Their names are stored in English and shown in the reader's language (``shown_name``).
_AUTOMATIC_CODES = {
    FRAUD: (gettext_noop("Fraud check"), "The fraud score reached the call center's threshold."),
    CREDIT: (
        gettext_noop("Credit check"),
        "On-account payment above the share of the credit limit.",
    ),
    PRICE: (gettext_noop("Price override"), "A price was overridden beyond the clerk's limit."),
}


class HoldError(OrderError):
    pass


def settings_for(call_center) -> HoldSettings:
    """The call center's hold settings; the defaults when none are saved (read-only:
    kept with the center's setup data, callcenter/reference.py)."""

    def load():
        found = HoldSettings.objects.filter(call_center=call_center).first()
        return found or HoldSettings(call_center=call_center)

    return reference.cached(call_center, "hold_settings", load)


def has_open_holds(order: SalesOrder) -> bool:
    return OrderHold.objects.open().filter(order=order).exists()


def _role_rank(order: SalesOrder, by) -> int:
    return RANK.get(role_in(by, order.call_center_id), 0)


def _automatic_code(code: str) -> HoldCode:
    name, description = _AUTOMATIC_CODES[code]
    hold_code, _created = HoldCode.objects.get_or_create(
        code=code, defaults={"name": name, "description": description}
    )
    return hold_code


def _open_hold(order, *, code: HoldCode, by, note="", source, details=None) -> OrderHold | None:
    """Open a hold of ``code`` on a locked order, unless one of that code is open already.

    An automatic hold's note is worded from its details (``hold_note``): stored in the
    language of the request that placed it, shown in each reader's."""
    if OrderHold.objects.open().filter(order=order, code=code).exists():
        return None
    note = hold_note(source=source, note=note, details=details or {})
    hold = OrderHold.objects.create(
        order=order,
        call_center_id=order.call_center_id,
        code=code,
        note=note,
        source=source,
        details=details or {},
        created_by=by,
    )
    events.hold_placed(order=order, hold=hold, by=by)
    return hold


@transaction.atomic
def place_hold(*, order: SalesOrder, by, code: HoldCode, note: str) -> OrderHold:
    """A clerk or supervisor puts an order on hold by hand, with a code and a note."""
    order = lock(order, by=by)
    note = note.strip()
    if not note:
        raise HoldError(_("Enter a note saying why the order is put on hold."))
    if not code.is_active:
        raise HoldError(_("Hold code %(code)s is no longer used.") % {"code": code.code})
    if order.status not in (SalesOrder.Status.DRAFT, SalesOrder.Status.SUBMITTED):
        raise HoldError(
            _("Sales order %(number)s is %(status)s and can no longer be put on hold.")
            % {"number": order.number, "status": order.get_status_display().lower()}
        )
    hold = _open_hold(order, code=code, by=by, note=note, source=OrderHold.Source.MANUAL)
    if hold is None:
        raise HoldError(
            _("Sales order %(number)s is already on %(code)s hold.")
            % {"number": order.number, "code": code.code}
        )
    return hold


def _locked_hold(order: SalesOrder, hold_id: int) -> OrderHold:
    hold = (
        OrderHold.objects.select_for_update(of=("self",))
        .select_related("code", "checked_out_by")
        .filter(order=order, pk=hold_id)
        .first()
    )
    if hold is None or not hold.is_open:
        raise HoldError(_("This hold has already been cleared. Reload the page."))
    return hold


def _who(user) -> str:
    """A user as a hold's message names them: by the username the queue's Worked by column
    shows, after their full name when they have one."""
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


def _checked_out_by_other(hold: OrderHold, by, minutes: int):
    """Who else works this hold now, or None (nobody, ``by``, or a check-out that lapsed)."""
    if hold.checked_out_by_id is None or hold.checked_out_by_id == by.pk:
        return None
    if hold.checked_out_at < timezone.now() - timedelta(minutes=minutes):
        return None
    return hold.checked_out_by


@transaction.atomic
def check_out_hold(*, order: SalesOrder, by, hold_id: int) -> OrderHold:
    """Take a hold to work on it, so that two supervisors do not work the same hold.

    The order and the hold are locked: of two supervisors at the same instant one
    gets it and the other is told who has it. A check-out lapses after the call
    center's ``checkout_minutes``.
    """
    order = lock(order, by=by)
    if not role_may(by, "orders.clear_hold", order.call_center):
        # a supervisor of another center who is a clerk of this one
        raise HoldError(
            _(
                "Holds of call center %(center)s are worked by its supervisors: ask one of "
                "them to work this hold."
            )
            % {"center": order.call_center.code}
        )
    hold = _locked_hold(order, hold_id)
    other = _checked_out_by_other(hold, by, settings_for(order.call_center).checkout_minutes)
    if other is not None:
        raise HoldError(
            _("%(user)s is already working this hold (since %(time)s). Choose another hold.")
            % {
                "user": _who(other),
                "time": formats.time_format(timezone.localtime(hold.checked_out_at)),
            }
        )
    if hold.checked_out_by_id == by.pk:
        return hold
    hold.checked_out_by, hold.checked_out_at = by, timezone.now()
    hold.save(update_fields=["checked_out_by", "checked_out_at"])
    events.hold_checked_out(order=order, hold=hold, by=by)
    return hold


@transaction.atomic
def clear_hold(*, order: SalesOrder, by, hold_id: int, reason: str) -> OrderHold:
    """Clear one hold, with the reason its code asks for, by a role its code allows."""
    order = lock(order, by=by)
    hold = _locked_hold(order, hold_id)
    code = hold.code
    if _role_rank(order, by) < RANK[code.clear_role]:
        raise HoldError(
            _("A %(code)s hold is cleared by a %(role)s. Ask a %(role)s to clear it.")
            % {"code": code.code, "role": ChannelUser.Role(code.clear_role).label.lower()}
        )
    other = _checked_out_by_other(hold, by, settings_for(order.call_center).checkout_minutes)
    if other is not None:
        raise HoldError(
            _("%(user)s is working this hold: only they can clear it now.") % {"user": _who(other)}
        )
    reason = reason.strip()
    if code.reason_required and not reason:
        raise HoldError(_("Enter the reason for clearing the %(code)s hold.") % {"code": code.code})
    hold.mark_cleared(by=by, reason=reason)
    events.hold_cleared(order=order, hold=hold, by=by)
    return hold


# --- automatic holds, evaluated by the submit gate ------------------------------------


def _fraud_facts(order: SalesOrder, kinds: set[str]) -> fraud.OrderFacts:
    """What the rules of ``kinds`` look at; the facts no rule needs are not read."""
    customer = order.customer
    postal_code = invoice_address = ""
    if kinds & {FraudRule.Kind.POSTAL_CODE, FraudRule.Kind.ADDRESS_DIFFERS}:
        prefetch_related_objects([customer], "addresses")
        invoice = next((a for a in customer.addresses.all() if a.purpose == "invoice"), None)
        primary = customer.primary_address
        postal_code = primary.postal_code if primary else ""
        invoice_address = invoice.one_line() if invoice else ""
    is_first_order = False
    if FraudRule.Kind.FIRST_ORDER_ABOVE in kinds:
        is_first_order = not (
            SalesOrder.objects.filter(customer=customer)
            .exclude(pk=order.pk)
            .exclude(status__in=[SalesOrder.Status.DRAFT, SalesOrder.Status.CANCELLED])
            .exists()
        )
    today_from_phone = 1
    if FraudRule.Kind.ORDERS_PER_PHONE in kinds and customer.phone_digits:
        since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        today_from_phone += (
            SalesOrder.objects.filter(
                customer__phone_digits=customer.phone_digits, submitted_at__gte=since
            )
            .exclude(pk=order.pk)
            .count()
        )
    return fraud.OrderFacts(
        total=order.total,
        phone=customer.phone,
        email=customer.email,
        postal_code=postal_code,
        delivery_address=order.delivery_address,
        invoice_address=invoice_address,
        name=customer.name,
        is_first_order=is_first_order,
        orders_today_from_phone=today_from_phone,
    )


def fraud_rules_for(call_center) -> tuple[fraud.RuleInput, ...]:
    return reference.cached(call_center, "fraud_rules", lambda: _load_fraud_rules(call_center))


def _load_fraud_rules(call_center) -> tuple[fraud.RuleInput, ...]:
    rules = FraudRule.objects.filter(is_active=True).filter(
        Q(call_center=call_center) | Q(call_center__isnull=True)
    )
    return tuple(
        fraud.RuleInput(
            name=rule.name,
            kind=rule.kind,
            score=rule.score,
            values=tuple(line.strip() for line in rule.values.splitlines() if line.strip()),
            amount=rule.amount,
            count=rule.count,
        )
        for rule in rules
    )


def _overrides_beyond_limit(order: SalesOrder) -> list[int]:
    """Line numbers whose overridden price is now beyond the limit of the user who set it.

    An override is measured against the line's computed price as the order was last
    priced (its price explanation), not as it was when the override was made: a coupon
    or a source code taken off afterwards, a quantity that leaves a price break, widens
    the gap. Read with the order's lines; the users' limits in one query."""
    overridden = [
        line
        for line in order_lines(order)
        if line.cancelled_at is None and line.override_price is not None
    ]
    if not overridden:
        return []
    limits = override_limits(
        call_center=order.call_center, user_ids={line.override_by_id for line in overridden}
    )
    beyond = []
    for line in overridden:
        computed = computed_price_of(line.price_steps)
        if computed is None:
            continue
        below = override_percent_below(computed=computed, price=line.override_price)
        if below > limits.get(line.override_by_id, ZERO):
            beyond.append(line.line_number)
    return sorted(beyond)


@dataclass(frozen=True)
class CreditFacts:
    """What the payments app knows and orders cannot: the order's on-account amount."""

    on_account: Decimal = ZERO


# The payments app says how much an order puts on the customer's account (it registers
# the submit gate's own reading at start-up): orders knows no payments.
_credit_reader: list[Callable[[SalesOrder], CreditFacts]] = []


def register_credit_facts(reader: Callable[[SalesOrder], CreditFacts]) -> None:
    """``reader(order)``: the CreditFacts of a locked order, as the submit gate reads them."""
    _credit_reader[:] = [reader]


def _credit_rule_applies(order: SalesOrder, config: HoldSettings) -> bool:
    return config.credit_hold_percent is not None and bool(order.customer.credit_limit)


def apply_automatic_holds(
    *, order: SalesOrder, by, credit: CreditFacts | None = None
) -> list[OrderHold]:
    """Put a locked, submitted order on the holds its call center's rules ask for.

    Called by the submit gate after the payments cover the total, in the same
    transaction, and after each change of a submitted order (``services.recheck_holds``).
    ``credit`` None: the order's on-account amount is read as the payments app reads it,
    when the CREDIT rule applies to the order. Returns the holds placed.
    """
    config = settings_for(order.call_center)
    placed = []
    rules = fraud_rules_for(order.call_center)
    result = fraud.score(_fraud_facts(order, {rule.kind for rule in rules}), rules)
    if result.matched and result.score >= config.fraud_threshold:
        placed.append(
            _open_hold(
                order,
                code=_automatic_code(FRAUD),
                by=by,
                source=OrderHold.Source.AUTOMATIC,
                details={
                    "score": result.score,
                    "threshold": config.fraud_threshold,
                    "matched": list(result.matched),
                },
            )
        )
    if config.hold_price_overrides:
        lines = _overrides_beyond_limit(order)
        if lines:
            placed.append(
                _open_hold(
                    order,
                    code=_automatic_code(PRICE),
                    by=by,
                    source=OrderHold.Source.AUTOMATIC,
                    details={"lines": lines},
                )
            )
    if credit is None and _credit_rule_applies(order, config) and _credit_reader:
        credit = _credit_reader[0](order)
    placed.append(_credit_hold(order, by=by, config=config, credit=credit))
    return [hold for hold in placed if hold is not None]


def apply_credit_hold(*, order: SalesOrder, by, credit: CreditFacts) -> OrderHold | None:
    """The CREDIT rule alone, on a locked, submitted order whose on-account amount grew
    (a payment on account taken after the submit). Returns the hold placed, if any."""
    return _credit_hold(order, by=by, config=settings_for(order.call_center), credit=credit)


def _credit_hold(
    order: SalesOrder, *, by, config: HoldSettings, credit: CreditFacts | None
) -> OrderHold | None:
    """A CREDIT hold when the order puts more than the call center's share of the
    customer's credit limit on their account."""
    on_account = credit.on_account if credit else ZERO
    if on_account <= 0 or not _credit_rule_applies(order, config):
        return None
    share = order.customer.credit_limit * config.credit_hold_percent / 100
    if on_account <= share:
        return None
    return _open_hold(
        order,
        code=_automatic_code(CREDIT),
        by=by,
        source=OrderHold.Source.AUTOMATIC,
        details={"on_account": str(on_account), "percent": str(config.credit_hold_percent)},
    )


# --- release to fulfilment and shipping ------------------------------------------------


def _ensure_releasable(order: SalesOrder) -> None:
    if order.status != SalesOrder.Status.SUBMITTED:
        order.set_status(SalesOrder.Status.PROCESSING)  # raises the transition's message
    if has_open_holds(order):
        raise HoldError(
            _(
                "Sales order %(number)s is on hold and cannot be released. "
                "Every hold must be cleared first."
            )
            % {"number": order.number}
        )
    if order.call_center.order_completion_enabled and order.balance > ZERO:
        raise HoldError(
            _(
                "Sales order %(number)s has a balance of %(balance)s: collect it "
                "before it is released."
            )
            % {"number": order.number, "balance": format_money(order.balance)}
        )
    if order.call_center.order_completion_enabled and order.balance < ZERO:
        raise HoldError(
            _(
                "Sales order %(number)s was paid %(amount)s more than its total: refund it "
                "before it is released."
            )
            % {"number": order.number, "amount": format_money(-order.balance)}
        )


@transaction.atomic
def release_order(*, order: SalesOrder, by) -> SalesOrder:
    """Hand a submitted, paid order with no open hold to the warehouse (processing)."""
    order = lock(order, by=by)
    _ensure_releasable(order)
    order.set_status(SalesOrder.Status.PROCESSING)
    order.save(update_fields=["status", "updated_at"])
    events.order_released(order=order, by=by)
    return order


def release_ready_orders(*, older_than_minutes: int = 0) -> list[str]:
    """Release every submitted order with no open hold and nothing due (``release_orders``)."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    candidates = (
        SalesOrder.objects.filter(status=SalesOrder.Status.SUBMITTED, submitted_at__lte=cutoff)
        .exclude(Exists(OrderHold.objects.open().filter(order=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    released = []
    for pk in list(candidates):
        with transaction.atomic():
            order = (
                SalesOrder.objects.select_for_update(of=("self",))
                .select_related("call_center")
                .get(pk=pk)
            )
            try:
                _ensure_releasable(order)
            except OrderError:
                continue
            order.set_status(SalesOrder.Status.PROCESSING)
            order.save(update_fields=["status", "updated_at"])
            events.order_released(order=order, by=None)
            released.append(order.number)
    return released


@transaction.atomic
def mark_shipped(*, number: str, tracking: str = "", by=None) -> bool:
    """The warehouse shipped the order. True when it changed, False when it was already shipped."""
    order = SalesOrder.objects.select_for_update().filter(number=number).first()
    if order is None:
        raise HoldError(_("There is no sales order %(number)s.") % {"number": number})
    if order.status in (SalesOrder.Status.SHIPPED, SalesOrder.Status.INVOICED):
        return False
    order.set_status(SalesOrder.Status.SHIPPED)
    order.save(update_fields=["status", "updated_at"])
    events.order_shipped(order=order, by=by, tracking=tracking)
    return True
