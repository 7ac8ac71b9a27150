"""Continuity programs, the payments side: the enrolment keeps how the original order
was paid, and the processor turns every due event into a child order, charged with
the stored card token and submitted through the same gate as any order.

Idempotent: each enrolment event is done in one transaction with the enrolment
row locked (``skip_locked``: two runs at once split the work instead of waiting),
its child order is unique per (enrolment, event) in the database, and the
gateway is asked under a key derived from the enrolment and the event number,
so a run interrupted after the charge and retried charges the card once.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orders import continuity
from orders.errors import OrderError
from orders.models import ContinuityProgram, Enrolment, SalesOrder

from . import services
from .gateways import GatewayError
from .models import Payment, PaymentMethod

logger = logging.getLogger(__name__)


def enrol_order(*, order: SalesOrder, by, payments: list[Payment]) -> list[Enrolment]:
    """Enrol the customer of a locked order being submitted in the programs it sells,
    with the card token of its card payment (else the method of its first payment).

    ``payments``: the order's good payments by id, with their methods.
    """
    card = next((payment for payment in payments if payment.card_token), None)
    chosen = card or (payments[0] if payments else None)
    return continuity.enrol_submitted_order(
        order=order,
        by=by,
        payment_method_code=chosen.method.code if chosen else "",
        card_token=card.card_token if card else "",
        card_brand=card.card_brand if card else "",
        card_last4=card.card_last4 if card else "",
    )


@dataclass
class Outcome:
    submitted: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def _key(enrolment: Enrolment, number: int, purpose: str) -> uuid.UUID:
    return uuid.uuid5(enrolment.key, f"{purpose}-{number}")


def _charge(enrolment: Enrolment, order: SalesOrder, by, number: int) -> str:
    """Pay the child order; the reason it could not be paid, or "" when it was."""
    method = PaymentMethod.objects.filter(code=enrolment.payment_method_code).first()
    if not enrolment.card_token or method is None:
        return _(
            "No card is stored for this enrolment (paid by %(method)s): call the customer "
            "to take the payment of this renewal."
        ) % {"method": method or enrolment.payment_method_code or "—"}
    payment = services.charge_stored_card(
        order=order,
        by=by,
        method=method,
        token=enrolment.card_token,
        card_brand=enrolment.card_brand,
        card_last4=enrolment.card_last4,
        idempotency_key=_key(enrolment, number, "charge"),
    )
    if payment.status == Payment.Status.DECLINED:
        return payment.message
    return ""


def process_enrolment(*, enrolment_id: int, today: datetime.date) -> tuple[str, str] | None:
    """Do the enrolment's next event if it is due: ("submitted" or "held", order number).

    None when it is not due, or another run is doing it right now.
    """
    with transaction.atomic():
        enrolment = continuity.lock_due_enrolment(enrolment_id=enrolment_id, today=today)
        if enrolment is None:
            return None
        by, number = enrolment.clerk, enrolment.next_event_number
        order, shipment = continuity.create_renewal_order(enrolment=enrolment, by=by)
        up_front = enrolment.program.billing == ContinuityProgram.Billing.UP_FRONT
        refusal = "" if up_front and order.total == 0 else _charge(enrolment, order, by, number)
        if refusal:
            continuity.renewal_held(enrolment=enrolment, shipment=shipment, by=by, message=refusal)
            return "held", order.number
        services.submit_order(order=order, by=by, idempotency_key=_key(enrolment, number, "submit"))
        continuity.renewal_ordered(enrolment=enrolment, shipment=shipment, by=by)
        return "submitted", order.number


def process_due(*, today: datetime.date | None = None) -> Outcome:
    """Do every due event of every active enrolment, each in its own transaction.

    An enrolment behind by several events catches up one event at a time. One that
    fails (the gateway down, the clerk no longer a channel user) is left as it was,
    logged, and tried again by the next run.
    """
    today = today or timezone.localdate()
    outcome = Outcome()
    failed: set[int] = set()
    while True:
        due = [pk for pk in continuity.due_enrolment_ids(today=today) if pk not in failed]
        progressed = False
        for enrolment_id in due:
            try:
                done = process_enrolment(enrolment_id=enrolment_id, today=today)
            except (OrderError, GatewayError) as error:
                failed.add(enrolment_id)
                outcome.failed.append((enrolment_id, str(error)))
                logger.warning("continuity enrolment %s not processed: %s", enrolment_id, error)
                continue
            if done is None:
                continue
            progressed = True
            status, number = done
            (outcome.submitted if status == "submitted" else outcome.held).append(number)
        if not progressed:
            return outcome
