"""Taking payments and the submit gate.

Both lock the order row first, so two clerks (or a double click) on the same
order queue up, and the second one sees what the first did. Both take an
idempotency key: the same request sent twice does one thing.
"""

import uuid
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from callcenter.money import format_money, quantize
from orders import events as order_events
from orders import services as order_services
from orders.models import SalesOrder

from . import events
from .errors import PaymentError, SubmitRefused
from .models import Payment, PaymentMethod
from .selectors import amount_paid, payment_methods_for

# Tenders that are money in hand the moment they are taken.
CAPTURED_ON_ENTRY = {PaymentMethod.TenderType.CASH, PaymentMethod.TenderType.CHECK}


@transaction.atomic
def add_payment(
    *,
    order: SalesOrder,
    by,
    method: PaymentMethod,
    amount: Decimal,
    idempotency_key: uuid.UUID,
) -> Payment:
    """Take a payment on a draft order. Replaying the same key returns the first payment."""
    order = order_services.lock_order(order.pk, by=by)
    existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.order_id != order.pk:
            raise PaymentError(
                _("This payment form was already used for another order. Reload the page.")
            )
        return existing
    if not order.call_center.order_completion_enabled:
        raise PaymentError(
            _("Order completion is off in call center %(code)s: no payments are taken.")
            % {"code": order.call_center.code}
        )
    if not order.is_editable:
        raise PaymentError(
            _("Sales order %(number)s is %(status)s: no more payments can be taken on it.")
            % {"number": order.number, "status": order.get_status_display().lower()}
        )
    if not payment_methods_for(order.call_center).filter(pk=method.pk).exists():
        raise PaymentError(
            _("%(method)s is not accepted in this call center. Choose another payment method.")
            % {"method": method}
        )
    amount = quantize(amount)
    if amount <= 0:
        raise PaymentError(_("Enter a payment amount greater than zero."))
    totals = order_services.price(order)
    balance = totals.total - amount_paid(order=order)
    if balance <= 0:
        raise PaymentError(_("Nothing is due on this order: the payments already cover the total."))
    if amount > balance:
        raise PaymentError(
            _(
                "The payment amount is more than the balance of %(balance)s. "
                "Enter at most %(balance)s."
            )
            % {"balance": format_money(balance)}
        )
    status = (
        Payment.Status.CAPTURED
        if method.tender_type in CAPTURED_ON_ENTRY
        else Payment.Status.AUTHORIZED
    )
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                order=order,
                method=method,
                amount=amount,
                status=status,
                idempotency_key=idempotency_key,
                created_by=by,
            )
    except IntegrityError as exc:
        raise PaymentError(_("This payment was already recorded. Reload the page.")) from exc
    events.payment_created(payment=payment, by=by)
    if status == Payment.Status.CAPTURED:
        events.payment_captured(payment=payment, by=by)
    order_services.record_payment(
        order=order,
        by=by,
        amount_paid=amount_paid(order=order),
        payment_id=payment.pk,
        method=method.name,
        amount=amount,
    )
    return payment


def submit_order(*, order: SalesOrder, by, idempotency_key: uuid.UUID) -> SalesOrder:
    """The gate: submit only when the good payments cover the re-computed total.

    Runs under the order's row lock; a replay of the submit that succeeded
    returns the submitted order, any other submit of it is refused. A refusal
    for a balance due is recorded in the order's history before it is raised.
    """
    with transaction.atomic():
        order = order_services.lock_order(order.pk, by=by)
        if order.status == SalesOrder.Status.SUBMITTED and order.submit_key == idempotency_key:
            return order
        if not order.is_editable:
            raise SubmitRefused(
                _("Sales order %(number)s is already %(status)s.")
                % {"number": order.number, "status": order.get_status_display().lower()}
            )
        if not order.lines.exists():
            raise SubmitRefused(_("Add at least one line before you submit the order."))
        totals = order_services.reprice(order=order, by=by)
        balance = totals.total - amount_paid(order=order)
        if not order.call_center.order_completion_enabled or balance <= 0:
            return order_services.mark_submitted(
                order=order, by=by, idempotency_key=idempotency_key
            )
        reason = _(
            "Submit refused: a balance of %(balance)s is still due. "
            "Add a payment that covers the balance, then submit."
        ) % {"balance": format_money(balance)}
        order_events.submit_refused(order=order, by=by, reason=reason, balance=balance)
    raise SubmitRefused(reason)
