"""Continuity programs on sales orders: the schedule shown to the clerk, enrolment at
submit, the child order of each event, and what the customer changes by phone.

The dates come from :mod:`orders.continuity_schedule` (pure). Charging a child
order is the payments app's business (``payments.continuity``); this module only
builds and advances. Each service locks the enrolment row first.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from callcenter import reference
from callcenter.models import ChannelUser
from callcenter.money import ZERO, quantize
from customers.models import Address

from . import continuity_events as events
from . import continuity_schedule, holds
from . import events as order_events
from . import services as order_services
from .errors import ConcurrentEdit, InvalidOrderData, OrderError
from .models import (
    ContinuityProgram,
    ContinuityProgramItem,
    Enrolment,
    EnrolmentShipment,
    HoldCode,
    SalesLine,
    SalesOrder,
)
from .selectors import order_lines

#: the hold code of a renewal whose payment could not be taken
PAYMENT_HOLD = "PAYMENT"
#: how many events of an open-ended program the clerk is shown
OPEN_ENDED_PREVIEW = 6


class EnrolmentError(OrderError):
    pass


@dataclass(frozen=True)
class ScheduledItem:
    item_number: str
    name: str
    quantity: int
    price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class ScheduledEvent:
    number: int
    date: datetime.date
    items: tuple[ScheduledItem, ...]
    amount: Decimal
    with_order: bool


@dataclass(frozen=True)
class Schedule:
    program: ContinuityProgram
    quantity: int
    events: tuple[ScheduledEvent, ...]
    #: the whole commitment before charges and tax; None for an open-ended program
    total: Decimal | None

    @property
    def open_ended(self) -> bool:
        return self.program.event_count is None


def _event_date(program: ContinuityProgram, start: datetime.date, number: int) -> datetime.date:
    return continuity_schedule.event_date(
        start,
        number,
        every=program.interval,
        unit=program.interval_unit,
        first_with_order=program.first_with_order,
    )


def schedule_for(
    *,
    program: ContinuityProgram,
    start: datetime.date,
    quantity: int = 1,
    items: list[ContinuityProgramItem] | None = None,
) -> Schedule:
    """Every event of the program started on ``start``: date, items, prices and the total."""
    items = list(program.items.select_related("product")) if items is None else items
    scheduled = []
    for number, date in continuity_schedule.event_dates(
        start,
        every=program.interval,
        unit=program.interval_unit,
        count=program.event_count,
        first_with_order=program.first_with_order,
        limit=OPEN_ENDED_PREVIEW,
    ):
        rows = tuple(
            ScheduledItem(
                item_number=item.product.item_number,
                name=item.product.name,
                quantity=item.quantity * quantity,
                price=item.price,
                amount=quantize(item.price * item.quantity * quantity),
            )
            for item in program.items_for(number, items)
        )
        scheduled.append(
            ScheduledEvent(
                number=number,
                date=date,
                items=rows,
                amount=sum((row.amount for row in rows), ZERO),
                with_order=number == 1 and program.first_with_order,
            )
        )
    total = None
    if program.event_count is not None:
        total = sum((event.amount for event in scheduled), ZERO)
    return Schedule(program=program, quantity=quantity, events=tuple(scheduled), total=total)


def _active_programs(order: SalesOrder) -> Mapping[int, ContinuityProgram]:
    """The active continuity programs by parent item (kept with the setup data: read-only)."""
    return reference.cached(
        order.call_center,
        "continuity_programs",
        lambda: MappingProxyType(
            {
                program.parent_product_id: program
                for program in ContinuityProgram.objects.filter(is_active=True)
            }
        ),
    )


def sells_program(order: SalesOrder, product_id: int | None) -> bool:
    """Whether the product is the parent item of an active continuity program (read from
    the cached setup data: no query)."""
    return product_id in _active_programs(order)


def schedules_on_order(order: SalesOrder) -> list[tuple[SalesLine, Schedule]]:
    """The continuity programs sold on the order's lines (not cancelled), each with its
    schedule from today.

    One query when the order sells a program, none otherwise once the lines are read.
    """
    programs = _active_programs(order)
    lines = [
        line
        for line in order_lines(order)
        if line.product_id in programs and not line.is_cancelled  # a cancelled line sells none
    ]
    if not lines:
        return []
    items: dict[int, list[ContinuityProgramItem]] = {}
    for item in ContinuityProgramItem.objects.filter(
        program__in={programs[line.product_id].pk for line in lines}
    ).select_related("product"):
        items.setdefault(item.program_id, []).append(item)
    start = timezone.localdate()
    return [
        (
            line,
            schedule_for(
                program=programs[line.product_id],
                start=start,
                quantity=line.quantity,
                items=items.get(programs[line.product_id].pk, []),
            ),
        )
        for line in lines
    ]


def _advance(enrolment: Enrolment, *, by) -> None:
    """Count the current event done and move to the next one, or complete the enrolment."""
    enrolment.events_done += 1
    following = continuity_schedule.next_event(
        enrolment.next_event_number, count=enrolment.program.event_count
    )
    if following is None:
        enrolment.status = Enrolment.Status.COMPLETED
        enrolment.next_event_number = enrolment.next_event_date = None
        events.completed(enrolment=enrolment, by=by)
    else:
        enrolment.next_event_number = following
        enrolment.next_event_date = _event_date(enrolment.program, enrolment.start_date, following)


def enrol_submitted_order(
    *,
    order: SalesOrder,
    by,
    payment_method_code: str,
    card_token: str = "",
    card_brand: str = "",
    card_last4: str = "",
) -> list[Enrolment]:
    """Enrol the customer in the program of every parent item on a locked order being
    submitted; called by the submit gate in its transaction. A child order of an
    enrolment enrols nobody again. Returns the enrolments made."""
    schedules = schedules_on_order(order)
    if not schedules or EnrolmentShipment.objects.filter(order=order).exists():
        return []
    start = timezone.localdate()
    made = []
    for line, schedule in schedules:
        program = schedule.program
        if Enrolment.objects.filter(
            original_order=order, original_line_number=line.line_number
        ).exists():
            continue
        enrolment = Enrolment(
            customer_id=order.customer_id,
            program=program,
            original_order=order,
            original_line_number=line.line_number,
            quantity=line.quantity,
            call_center_id=order.call_center_id,
            clerk=by,
            payment_method_code=payment_method_code,
            card_token=card_token,
            card_brand=card_brand,
            card_last4=card_last4,
            delivery_mode_id=order.delivery_mode_id,
            delivery_address=order.delivery_address,
            delivery_country=order.delivery_country,
            delivery_state=order.delivery_state,
            start_date=start,
            next_event_number=1,
            next_event_date=_event_date(program, start, 1),
        )
        enrolment.save()
        events.enrolled(enrolment=enrolment, by=by)
        if program.first_with_order:
            EnrolmentShipment.objects.create(
                enrolment=enrolment,
                event_number=1,
                scheduled_for=start,
                status=EnrolmentShipment.Status.ORIGINAL,
            )
            _advance(enrolment, by=by)
            enrolment.save()
        made.append(enrolment)
    return made


def due_enrolment_ids(*, today: datetime.date) -> list[int]:
    return list(
        Enrolment.objects.filter(
            status=Enrolment.Status.ACTIVE, next_event_date__lte=today
        ).values_list("pk", flat=True)
    )


def lock_due_enrolment(*, enrolment_id: int, today: datetime.date) -> Enrolment | None:
    """The enrolment under a row lock if it is still due; None when it is not, or when
    another run holds its lock (that run does the event: two runs split the work)."""
    return (
        Enrolment.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("program", "customer", "call_center", "clerk")
        .filter(pk=enrolment_id, status=Enrolment.Status.ACTIVE, next_event_date__lte=today)
        .first()
    )


def create_renewal_order(*, enrolment: Enrolment, by) -> tuple[SalesOrder, EnrolmentShipment]:
    """The child sales order of the enrolment's next event, priced by the engine at the
    program's prices (0.00 for a program paid up front): its lines have a fixed price,
    which no price group or source code changes.

    Call in a transaction with the enrolment locked; the shipment row's unique
    (enrolment, event) pair refuses a second child order for the same event.
    """
    program, number = enrolment.program, enrolment.next_event_number
    order = order_services.create_order(
        call_center=enrolment.call_center, customer=enrolment.customer, by=by
    )
    order.delivery_mode_id = enrolment.delivery_mode_id
    order.delivery_address = enrolment.delivery_address
    order.delivery_country = enrolment.delivery_country
    order.delivery_state = enrolment.delivery_state
    order.save()
    up_front = program.billing == ContinuityProgram.Billing.UP_FRONT
    items = list(program.items.select_related("product"))
    for line_number, item in enumerate(program.items_for(number, items), start=1):
        line = SalesLine.objects.create(
            order=order,
            line_number=line_number,
            product=item.product,
            item_number=item.product.item_number,
            product_name=item.product.name,
            quantity=item.quantity * enrolment.quantity,
            unit_price=ZERO if up_front else item.price,
            fixed_price=True,  # the program's price, at this and every later re-price
        )
        order_events.line_added(order=order, line=line, by=by)
    order_services.reprice(order=order, by=by)
    shipment = EnrolmentShipment.objects.create(
        enrolment=enrolment,
        event_number=number,
        scheduled_for=enrolment.next_event_date,
        order=order,
        status=EnrolmentShipment.Status.ORDERED,
    )
    return order, shipment


def renewal_ordered(*, enrolment: Enrolment, shipment: EnrolmentShipment, by) -> Enrolment:
    """The child order of a locked enrolment was submitted: move to the next event.

    The version goes up, as for any change of the enrolment: a Skip next (or any form)
    from a page read before this run is refused, instead of skipping the event after
    the one just charged and shipped."""
    events.renewal_ordered(
        enrolment=enrolment, by=by, number=shipment.event_number, order_number=shipment.order.number
    )
    enrolment.needs_attention = False
    _advance(enrolment, by=by)
    enrolment.version += 1  # a page read before the run changes nothing without a look
    enrolment.save()
    return enrolment


def renewal_held(
    *, enrolment: Enrolment, shipment: EnrolmentShipment, by, message: str
) -> Enrolment:
    """The child order could not be paid: it stays a draft on PAYMENT hold, the enrolment
    is flagged for a clerk, and the schedule moves on (the version goes up, as in
    ``renewal_ordered``)."""
    code, _created = HoldCode.objects.get_or_create(
        code=PAYMENT_HOLD,
        defaults={
            "name": "Renewal payment",
            "description": "A continuity renewal could not be charged.",
            "clear_role": ChannelUser.Role.CLERK,
        },
    )
    holds.place_hold(order=shipment.order, by=by, code=code, note=message)
    shipment.status = EnrolmentShipment.Status.HELD
    shipment.save(update_fields=["status"])
    events.renewal_declined(
        enrolment=enrolment,
        by=by,
        number=shipment.event_number,
        order_number=shipment.order.number,
        message=message,
    )
    enrolment.needs_attention = True
    _advance(enrolment, by=by)
    enrolment.version += 1  # a page read before the run changes nothing without a look
    enrolment.save()
    return enrolment


# --- What the customer changes by phone ---


def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    """Enrolments of the active call centers in which ``user`` is a channel user."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(
        call_center__channel_users__user=user, call_center__is_active=True
    )


def _lock(enrolment_id: int, *, by, version: int) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("program", "call_center")
        .get(pk=enrolment_id)
    )
    order_services.ensure_channel_user(enrolment.call_center, by)
    if version != enrolment.version:
        raise ConcurrentEdit(
            _(
                "This enrolment was changed meanwhile (the form may have been sent twice). "
                "The page now shows it as it is: check it before you change it again."
            )
        )
    if not enrolment.is_active:
        raise EnrolmentError(
            _("This enrolment is %(status)s: nothing more can be changed.")
            % {"status": enrolment.get_status_display().lower()}
        )
    return enrolment


@transaction.atomic
def skip_next(*, enrolment: Enrolment, by, version: int) -> Enrolment:
    """The next event does not ship and is not charged; the one after it keeps its date."""
    enrolment = _lock(enrolment.pk, by=by, version=version)
    EnrolmentShipment.objects.create(
        enrolment=enrolment,
        event_number=enrolment.next_event_number,
        scheduled_for=enrolment.next_event_date,
        status=EnrolmentShipment.Status.SKIPPED,
    )
    events.skipped(
        enrolment=enrolment,
        by=by,
        number=enrolment.next_event_number,
        date=enrolment.next_event_date.isoformat(),
    )
    _advance(enrolment, by=by)
    enrolment.version += 1
    enrolment.save()
    return enrolment


@transaction.atomic
def change_address(*, enrolment: Enrolment, by, version: int, address: Address) -> Enrolment:
    """Ship the next events to another of the customer's addresses (copied)."""
    enrolment = _lock(enrolment.pk, by=by, version=version)
    if address.customer_id != enrolment.customer_id:
        raise InvalidOrderData(_("Choose one of the customer's addresses."), field="address")
    old, new = enrolment.delivery_address, address.one_line()
    enrolment.delivery_address = new
    enrolment.delivery_country, enrolment.delivery_state = address.country, address.state
    events.address_changed(enrolment=enrolment, by=by, old=old, new=new)
    enrolment.version += 1
    enrolment.save()
    return enrolment


@transaction.atomic
def cancel_enrolment(*, enrolment: Enrolment, by, version: int, reason: str) -> Enrolment:
    """Stop the enrolment: no event after today is ordered or charged."""
    reason = reason.strip()
    if not reason:
        raise InvalidOrderData(_("Enter the reason for cancelling the enrolment."), field="reason")
    enrolment = _lock(enrolment.pk, by=by, version=version)
    _stop(enrolment, by=by, reason=reason)
    return enrolment


def cancel_enrolments_of(*, order: SalesOrder, by, reason: str) -> list[Enrolment]:
    """The active enrolments a cancelled order made stop with it: nothing more is shipped
    or charged for a sale that was undone. Called on the locked order by the cancel."""
    return _stop_active(Enrolment.objects.filter(original_order=order), by=by, reason=reason)


def cancel_enrolments_of_customer(*, customer_id: int, by, reason: str) -> list[Enrolment]:
    """The customer's active enrolments stop, each with its cancelled event: their
    personal data was erased (``orders.privacy``), nothing more is shipped or charged."""
    return _stop_active(Enrolment.objects.filter(customer_id=customer_id), by=by, reason=reason)


def cancel_enrolment_of_line(
    *, order: SalesOrder, line: SalesLine, by, reason: str
) -> list[Enrolment]:
    """The active enrolment a line made stops with it when the line is cancelled or
    removed from the order: nothing more is shipped or charged for it. Called on the
    locked order by ``orders.services.cancel_line`` and ``remove_line``."""
    if order.is_editable:
        return []  # a draft has enrolled nobody yet (submit does): no query
    return _stop_active(
        Enrolment.objects.filter(original_order=order, original_line_number=line.line_number),
        by=by,
        reason=reason,
    )


def change_quantity_of_line(
    *, order: SalesOrder, line: SalesLine, by, quantity: int
) -> list[Enrolment]:
    """Each renewal ships the program's items times the enrolment's quantity, copied from
    its line at submit: when the clerk changes that line's quantity on the submitted
    order, the events still to come follow it (those ordered keep theirs). Called on the
    locked order by ``orders.services.change_quantity``, ``line`` not yet changed."""
    if order.is_editable:
        return []  # a draft has enrolled nobody yet (submit does): no query
    enrolments = list(
        Enrolment.objects.select_for_update()
        .filter(
            original_order=order,
            original_line_number=line.line_number,
            status=Enrolment.Status.ACTIVE,
        )
        .exclude(quantity=quantity)
        .order_by("pk")
    )
    for enrolment in enrolments:
        events.quantity_changed(enrolment=enrolment, by=by, old=enrolment.quantity, new=quantity)
        enrolment.quantity = quantity
        enrolment.version += 1
        enrolment.save()
    return enrolments


def _stop_active(enrolments: QuerySet[Enrolment], *, by, reason: str) -> list[Enrolment]:
    """Stop the active ones of ``enrolments``, each locked, with its cancelled event."""
    stopped = list(
        enrolments.select_for_update().filter(status=Enrolment.Status.ACTIVE).order_by("pk")
    )
    for enrolment in stopped:
        _stop(enrolment, by=by, reason=reason)
    return stopped


def _stop(enrolment: Enrolment, *, by, reason: str) -> None:
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.cancel_reason = reason[:200]
    enrolment.cancelled_at = timezone.now()
    enrolment.next_event_number = enrolment.next_event_date = None
    events.cancelled(enrolment=enrolment, by=by, reason=reason)
    enrolment.version += 1
    enrolment.save()
