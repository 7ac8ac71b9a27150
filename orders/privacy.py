"""The copies of a customer's personal data that orders hold, for export and erasure.

Erasure keeps what the accounting needs: order and return numbers, dates, amounts,
lines, codes (hold, return reason, source, coupon), statuses, and the orders' tax
jurisdiction (country and state, in the orders and in their history). It replaces
with the erased marker what is personal: the delivery addresses of the orders, of
their history (``header_changed``) and of continuity enrolments (and their
history), the mailing names and addresses of catalog requests, and the free text
clerks typed about the customer: notes of holds placed by hand, reasons for
clearing holds and for cancelling orders, lines and enrolments, notes of returns.
The customer's active enrolments are cancelled (nothing more is shipped or
charged to a blocked customer) with their usual cancelled event.
"""

from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from customers import privacy
from customers.privacy import ERASED, erase_in_events, erase_keys, erased_keys

from . import continuity
from .models import (
    CatalogRequest,
    Enrolment,
    EnrolmentEvent,
    OrderEvent,
    OrderHold,
    ReturnOrder,
    SalesLine,
    SalesOrder,
)

#: the free-text parameters of each kind of order event (a hold's note only when a
#: person wrote it: an automatic hold's is worded from its details)
_ORDER_EVENT_TEXT = {
    OrderEvent.Type.HOLD_PLACED: ("note",),
    OrderEvent.Type.HOLD_CLEARED: ("reason",),
    OrderEvent.Type.CANCELLED: ("reason",),
    OrderEvent.Type.LINE_CANCELLED: ("reason",),
}
#: the header changes that name the delivery address (its jurisdiction is kept)
_ADDRESS_CHANGES = ("delivery_address",)
#: the personal parameters of each kind of enrolment event
_ENROLMENT_EVENT_TEXT = {
    EnrolmentEvent.Type.ADDRESS_CHANGED: ("old", "new"),
    EnrolmentEvent.Type.CANCELLED: ("reason",),
}


def export(customer) -> dict[str, Any]:
    orders = SalesOrder.objects.filter(customer=customer).order_by("created_at", "pk")
    requests = CatalogRequest.objects.filter(customer=customer).order_by("requested_at", "pk")
    enrolments = (
        Enrolment.objects.filter(customer=customer)
        .select_related("program", "original_order", "delivery_mode")
        .prefetch_related("shipments__order")
        .order_by("created_at", "pk")
    )
    return {
        "orders": [
            {
                "number": order.number,
                "created_at": order.created_at.isoformat(),
                "status": order.status,
                "delivery_address": order.delivery_address,
                "total": str(order.total),
            }
            for order in orders
        ],
        "catalog_requests": [
            {
                "requested_at": request.requested_at.isoformat(),
                "catalog": str(request.catalog),
                "name": request.name,
                "address": ", ".join(
                    part
                    for part in [
                        request.street,
                        request.city,
                        request.state,
                        request.postal_code,
                        request.country,
                    ]
                    if part
                ),
            }
            for request in requests.select_related("catalog")
        ],
        "enrolments": [_export_enrolment(enrolment) for enrolment in enrolments],
    }


def _export_enrolment(enrolment: Enrolment) -> dict[str, Any]:
    program = enrolment.program
    return {
        "program": program.code,
        "program_name": program.name,
        "original_order": enrolment.original_order.number,
        "enrolled_at": enrolment.created_at.isoformat(),
        "status": enrolment.status,
        "quantity": enrolment.quantity,
        "schedule": {
            "start_date": enrolment.start_date.isoformat(),
            "every": program.interval,
            "unit": program.interval_unit,
            "events": program.event_count,
            "events_done": enrolment.events_done,
            "next_event": enrolment.next_event_number,
            "next_date": enrolment.next_event_date.isoformat()
            if enrolment.next_event_date
            else None,
        },
        "delivery_mode": enrolment.delivery_mode.code if enrolment.delivery_mode else "",
        "delivery_address": enrolment.delivery_address,
        "delivery_country": enrolment.delivery_country,
        "delivery_state": enrolment.delivery_state,
        "payment_method": enrolment.payment_method_code,
        "card": enrolment.card_reference,
        "cancelled_at": enrolment.cancelled_at.isoformat() if enrolment.cancelled_at else None,
        "cancel_reason": enrolment.cancel_reason,
        "shipments": [
            {
                "event": shipment.event_number,
                "scheduled_for": shipment.scheduled_for.isoformat(),
                "status": shipment.status,
                "order": shipment.order.number if shipment.order else "",
            }
            for shipment in enrolment.shipments.all()
        ],
    }


def erased_order_event_parameters(type_: str, parameters: dict) -> dict | None:
    """An order event's parameters with their personal values replaced by the erased
    marker; None when it has none."""
    erased = dict(parameters)
    if type_ == OrderEvent.Type.HEADER_CHANGED:
        changes = dict(erased.get("changes") or {})
        for field in _ADDRESS_CHANGES:
            if field in changes:
                changes[field] = {"from": ERASED, "to": ERASED}
        erased["changes"] = changes
    keys = _ORDER_EVENT_TEXT.get(type_, ())
    if type_ == OrderEvent.Type.HOLD_PLACED and erased.get("source") != OrderHold.Source.MANUAL:
        keys = ()
    erase_keys(erased, keys)
    return erased if erased != parameters else None


def erased_enrolment_event_parameters(type_: str, parameters: dict) -> dict | None:
    return erased_keys(parameters, _ENROLMENT_EVENT_TEXT.get(type_, ()))


def erase(customer, *, by) -> None:
    orders = SalesOrder.objects.filter(customer=customer)
    # first the orders (the UPDATE waits for a clerk's change under way), then their history
    orders.update(delivery_address=ERASED)
    erase_in_events(
        OrderEvent.objects.filter(customer=customer, type__in=_events_with_personal_data()),
        erased_order_event_parameters,
    )
    SalesLine.objects.filter(order__in=orders).exclude(cancel_reason="").update(
        cancel_reason=ERASED
    )
    holds = OrderHold.objects.filter(order__in=orders)
    holds.filter(source=OrderHold.Source.MANUAL).exclude(note="").update(note=ERASED)
    holds.exclude(clear_reason="").update(clear_reason=ERASED)
    ReturnOrder.objects.filter(order__in=orders).exclude(note="").update(note=ERASED)
    CatalogRequest.objects.filter(customer=customer).update(
        name=ERASED, street="", city="", state="", postal_code="", country=""
    )
    _erase_enrolments(customer, by=by)


def _events_with_personal_data() -> list[str]:
    return [OrderEvent.Type.HEADER_CHANGED, *_ORDER_EVENT_TEXT]


def _erase_enrolments(customer, *, by) -> None:
    enrolments = Enrolment.objects.filter(customer=customer)
    # the address, and the card token renewals were charged with; the brand and last
    # four digits stay, as on the payments
    enrolments.update(
        delivery_address=ERASED,
        delivery_country="",
        delivery_state="",
        card_token="",
        version=F("version") + 1,
    )
    enrolments.exclude(cancel_reason="").update(cancel_reason=ERASED)
    erase_in_events(
        EnrolmentEvent.objects.filter(
            enrolment__customer=customer, type__in=list(_ENROLMENT_EVENT_TEXT)
        ),
        erased_enrolment_event_parameters,
    )
    continuity.cancel_enrolments_of_customer(
        customer_id=customer.pk, by=by, reason=_("The customer's personal data was erased.")
    )


def register() -> None:
    privacy.register(exporter=export, eraser=erase)
