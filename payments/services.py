"""Taking payments, releasing them, the submit gate and cancel.

Every service locks the order row first, so two clerks (or a double click) on
the same order queue up and the second one sees what the first did; rows a
payment draws on (a gift card, the customer's credit) are locked after the
order, always in that order. Every service takes an idempotency key, unique in
the database: the same request sent twice does one thing.

Card numbers and CVVs pass through :class:`CardDetails` to the gateway and
nowhere else.
"""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, prefetch_related_objects
from django.utils.translation import gettext as _

from callcenter.money import ZERO, format_money, quantize
from customers.models import Customer
from orders import events as order_events
from orders import holds
from orders import services as order_services
from orders.continuity import cancel_enrolments_of
from orders.models import ReturnOrder, ReturnReason, SalesOrder
from orders.selectors import open_holds

from . import events
from .errors import GatewayUnavailable, PaymentDeclined, PaymentError, SubmitRefused
from .gateways import GatewayError, get_gateway
from .models import Cancellation, GiftCard, Payment, PaymentMethod, PaymentRefund
from .selectors import (
    allows_overpayment,
    amount_paid,
    as_ledger,
    available_credit,
    is_offered,
    keep_ledger,
    ledger,
    no_refunds,
    paid_by,
)

TenderType = PaymentMethod.TenderType

# Tenders that are money in hand (or on the customer's account) the moment they are taken.
CAPTURED_ON_ENTRY = {
    TenderType.CASH,
    TenderType.CHECK,
    TenderType.GIFT_CARD,
    TenderType.ON_ACCOUNT,
}


@dataclass(frozen=True)
class CardDetails:
    """A card as typed by the clerk: lives for one request, goes to the gateway only."""

    number: str = field(repr=False)
    expiry_month: int
    expiry_year: int
    cvv: str = field(repr=False)


def normalize_number(value: str) -> str:
    return "".join(ch for ch in value if ch.isalnum()).upper()


def add_payment(
    *,
    order: SalesOrder,
    by,
    method: PaymentMethod,
    amount: Decimal,
    idempotency_key: uuid.UUID,
    card: CardDetails | None = None,
    check_number: str = "",
    gift_card_number: str = "",
) -> Payment:
    """Take a payment on a draft order. Replaying the same key returns the first payment.
    The payment's ``order`` is the order as the payment left it, header relations included.

    A declined card or a gateway that did not answer leaves its payment in the
    ledger (declined, or pending) and raises; a retry of a pending payment with
    its key asks the gateway again under the same key, so it never charges twice.
    """
    try:
        with transaction.atomic():
            payment = _add_payment(
                order=order,
                by=by,
                method=method,
                amount=amount,
                idempotency_key=idempotency_key,
                card=card,
                check_number=check_number,
                gift_card_number=gift_card_number,
            )
    except IntegrityError as exc:  # nothing of this payment was kept
        raise PaymentError(_("This payment was already recorded. Reload the page.")) from exc
    if payment.status == Payment.Status.DECLINED:
        raise PaymentDeclined(payment.message)
    if payment.status == Payment.Status.PENDING:
        raise GatewayUnavailable(payment.message)
    return payment


def _add_payment(
    *, order, by, method, amount, idempotency_key, card, check_number, gift_card_number
) -> Payment:
    order = order_services.lock(order, by=by)
    # the order's payments and the one already taken with this key, if any, in one read
    read = list(
        as_ledger(
            Payment.objects.select_for_update(of=("self",)).filter(
                Q(order=order) | Q(idempotency_key=idempotency_key)
            )
        )
    )
    payments = [payment for payment in read if payment.order_id == order.pk]
    existing = next((p for p in read if p.idempotency_key == idempotency_key), None)
    if existing is not None:
        if existing.order_id != order.pk:
            raise PaymentError(
                _("This payment form was already used for another order. Reload the page.")
            )
        _ensure_same_payment(existing, method, amount)
        if existing.status == Payment.Status.PENDING:
            _retry_pending(order, existing, by, card, _paid(order, payments))
        existing.order = order  # the order as it now is, read under its lock
        return existing
    _ensure_payments_taken(order)
    if not is_offered(order.call_center, method):
        raise PaymentError(
            _("%(method)s is not accepted in this call center. Choose another payment method.")
            % {"method": method}
        )
    amount = quantize(amount)
    if amount <= 0:
        raise PaymentError(_("Enter a payment amount greater than zero."))
    paid = _paid(order, payments)
    balance = order_services.price(order).total - paid
    if not order_services.has_active_lines(order):  # read by ``price``
        raise PaymentError(_("Add at least one line before you take a payment."))
    if balance <= 0:
        raise PaymentError(_("Nothing is due on this order: the payments already cover the total."))
    tender = method.tender_type
    tendered = None
    if amount > balance:
        if tender != TenderType.CASH or not allows_overpayment(order.call_center, method):
            raise PaymentError(
                _(
                    "The payment amount is more than the balance of %(balance)s. "
                    "Enter at most %(balance)s."
                )
                % {"balance": format_money(balance)}
            )
        # cash over-tendered: only the balance is paid, the rest goes back as change
        tendered, amount = amount, balance
    payment = Payment(
        order=order,
        method=method,
        amount=amount,
        idempotency_key=idempotency_key,
        created_by=by,
        status=Payment.Status.CAPTURED if tender in CAPTURED_ON_ENTRY else Payment.Status.PENDING,
    )
    if tendered is not None:
        payment.amount_tendered, payment.change_due = tendered, tendered - amount
    if tender == TenderType.CHECK:
        payment.check_number = check_number.strip()
        if not payment.check_number:
            raise PaymentError(_("Enter the check number."))
    elif tender == TenderType.GIFT_CARD:
        payment.gift_card = _redeem_gift_card(order, gift_card_number, amount)
    elif tender == TenderType.ON_ACCOUNT:
        _ensure_credit(order, amount)
    elif tender == TenderType.CARD and card is None:
        raise PaymentError(_("Enter the card number, expiry date and CVV."))
    # a payment of another order taken with the same key at the same moment makes this
    # INSERT fail: the whole transaction is undone, and ``add_payment`` says so
    payment.save()
    no_refunds(payment)
    keep_ledger(order, [*payments, payment])  # the summary shown next reads nothing again
    captured = payment.status == Payment.Status.CAPTURED
    events.payment_created(payment=payment, by=by, captured=captured)
    if captured:
        _record(order, payment, by, paid)
    elif tender == TenderType.CARD:
        _authorize(order, payment, by, card, paid)
    if tender == TenderType.ON_ACCOUNT and order.status != SalesOrder.Status.DRAFT:
        # the submit gate, which applies the CREDIT rule to a draft's, is behind it
        holds.apply_credit_hold(order=order, by=by, credit=credit_facts([*payments, payment]))
    return payment


def _ensure_same_payment(existing: Payment, method: PaymentMethod, amount: Decimal) -> None:
    """A form posted again (a double click, a retry after the gateway did not answer)
    asks for the payment its key already took: the same method and amount (for cash
    over-tendered, the amount handed over). Another amount or method on the same form
    is refused rather than answered with the first payment as if it were the one asked."""
    entered = quantize(amount)
    if existing.method_id == method.pk and entered in (existing.amount, existing.amount_tendered):
        return
    message = _(
        "This form already took a payment of %(amount)s by %(method)s. Close this dialog "
        "and add a new payment."
    )
    if existing.status == Payment.Status.PENDING:
        message = _(
            "This form belongs to a card payment of %(amount)s that is still pending. Enter "
            "%(amount)s by %(method)s to retry it, or close this dialog and add a new payment."
        )
    raise PaymentError(
        message % {"amount": format_money(existing.amount), "method": existing.method}
    )


def _ensure_payments_taken(order: SalesOrder) -> None:
    if not order.call_center.order_completion_enabled:
        raise PaymentError(
            _("Order completion is off in call center %(code)s: no payments are taken.")
            % {"code": order.call_center.code}
        )
    if not order.is_amendable:
        raise PaymentError(
            _("Sales order %(number)s is %(status)s: no more payments can be taken on it.")
            % {"number": order.number, "status": order.get_status_display().lower()}
        )


def _paid(order: SalesOrder, payments: list[Payment]) -> Decimal:
    """What ``payments``, all the order's read under its lock, pay; kept as its ledger."""
    prefetch_related_objects(payments, "refunds")
    keep_ledger(order, payments)
    return paid_by(payments)


def _retry_pending(
    order: SalesOrder, payment: Payment, by, card: CardDetails | None, paid: Decimal
) -> None:
    """Ask the gateway again for a payment it did not answer, under the same key; ``paid``
    is what the order's other payments pay."""
    if payment.method.tender_type != TenderType.CARD or card is None:
        raise PaymentError(
            _(
                "This form belongs to a card payment that is still pending. Enter the card "
                "again to retry it, or close this dialog and add a new payment."
            )
        )
    _ensure_payments_taken(order)
    balance = order_services.price(order).total - paid
    if payment.amount > balance:
        raise PaymentError(
            _(
                "The payment amount is more than the balance of %(balance)s. "
                "Close this dialog and add a new payment."
            )
            % {"balance": format_money(max(balance, ZERO))}
        )
    _authorize(order, payment, by, card, paid)


def _authorize(
    order: SalesOrder, payment: Payment, by, card: CardDetails, paid_before: Decimal
) -> None:
    try:
        result = get_gateway().authorize(
            amount=payment.amount,
            currency=order.call_center.currency,
            card_number=card.number,
            expiry_month=card.expiry_month,
            expiry_year=card.expiry_year,
            cvv=card.cvv,
            idempotency_key=payment.idempotency_key,
        )
    except GatewayError:
        payment.message = _(
            "The card gateway did not answer in time; the payment is pending. Press OK to "
            "try again (the card cannot be charged twice) or choose another payment method."
        )
        payment.save(update_fields=["message"])
        events.gateway_error(payment=payment, by=by, message=payment.message)
        return
    payment.card_last4, payment.card_brand = result.last4, result.brand
    payment.card_expiry_month, payment.card_expiry_year = card.expiry_month, card.expiry_year
    if result.approved:
        payment.status, payment.card_token, payment.message = (
            Payment.Status.AUTHORIZED,
            result.token,
            "",
        )
        payment.save()
        events.payment_authorized(payment=payment, by=by)
        _record(order, payment, by, paid_before)
        if order.status != SalesOrder.Status.DRAFT:
            _capture_now(payment, by)
    else:
        payment.status = Payment.Status.DECLINED
        payment.message = _(
            "The card ending %(last4)s was declined: %(reason)s "
            "Ask for another card or another payment method."
        ) % {"last4": result.last4, "reason": result.message}
        payment.save()
        events.payment_declined(payment=payment, by=by, message=result.message)


def _redeem_gift_card(order: SalesOrder, number: str, amount: Decimal) -> GiftCard:
    number = normalize_number(number)
    if not number:
        raise PaymentError(_("Enter the gift card number."))
    # a card of another company is not this call center's to take: refused as a number
    # no card has, so that the answer does not tell that it exists elsewhere
    gift_card = (
        GiftCard.objects.select_for_update()
        .filter(number=number, company=order.call_center.company)
        .first()
    )
    if gift_card is None or not gift_card.is_active:
        raise PaymentError(
            _(
                "No active gift card has the number ending %(last4)s. "
                "Check the number with the caller."
            )
            % {"last4": number[-4:]}
        )
    if gift_card.currency != order.call_center.currency:
        raise PaymentError(
            _("Gift card ending %(last4)s is in %(currency)s; it cannot pay this order.")
            % {"last4": gift_card.last4, "currency": gift_card.currency}
        )
    if gift_card.balance < amount:
        raise PaymentError(
            _(
                "Gift card ending %(last4)s has a balance of %(balance)s. Enter at most "
                "%(balance)s and take the rest with another payment method."
            )
            % {"last4": gift_card.last4, "balance": format_money(gift_card.balance)}
        )
    gift_card.balance -= amount
    gift_card.save(update_fields=["balance"])
    return gift_card


def _ensure_credit(order: SalesOrder, amount: Decimal) -> None:
    # the customer row is the lock that serializes on-account payments of all their orders
    customer = Customer.objects.select_for_update().get(pk=order.customer_id)
    available = available_credit(customer=customer)
    if available is None:
        raise PaymentError(
            _("Customer %(account)s has no credit limit and cannot pay on account.")
            % {"account": customer.account_number}
        )
    if amount > available:
        raise PaymentError(
            _(
                "Customer %(account)s has %(available)s of credit available. Enter at most "
                "%(available)s on account and take the rest with another payment method."
            )
            % {"account": customer.account_number, "available": format_money(max(available, 0))}
        )


def _record(order: SalesOrder, payment: Payment, by, paid_before: Decimal) -> None:
    """Note the good ``payment`` on the locked order, which had ``paid_before`` (read
    under the same lock, before the payment was stored)."""
    order_services.record_payment(
        order=order,
        by=by,
        amount_paid=paid_before + payment.amount,
        payment_id=payment.pk,
        method=payment.method.name,
        method_fr=payment.method.name_fr,
        amount=payment.amount,
    )


def _release(payment: Payment, by, *, reason: str = "") -> tuple[Decimal, bool] | None:
    """Give back what a payment took: void what is only authorized, refund what was captured.
    Returns what went back and whether it was a void, or None when nothing did.

    Of a captured payment only what is left after earlier (partial) refunds goes back.
    Cash, checks and on-account payments are refunded by the clerk's hand (or the
    account); the ledger records it. Gift cards get their balance back.
    """
    gateway = get_gateway()
    given = None
    try:
        if payment.status == Payment.Status.PENDING:
            payment.status = Payment.Status.VOIDED
            events.payment_voided(payment=payment, by=by, reason=reason)
        elif payment.status == Payment.Status.AUTHORIZED:
            gateway.void(token=payment.card_token)
            payment.status = Payment.Status.VOIDED
            events.payment_voided(payment=payment, by=by, reason=reason)
            given = (payment.amount, True)
        elif payment.status == Payment.Status.CAPTURED:
            left = payment.counted_amount
            if left > 0:
                given = (left, False)
                _give_back(
                    payment,
                    by,
                    amount=left,
                    idempotency_key=uuid.uuid5(payment.idempotency_key, "refund"),
                    reason=reason,
                )
            payment.status = Payment.Status.REFUNDED
    except GatewayError as exc:
        raise PaymentError(
            _("The card gateway did not answer, so nothing was released. Try again in a moment.")
        ) from exc
    payment.save(update_fields=["status"])
    return given


def _given_back(order: SalesOrder, payment: Payment, by, amount: Decimal, voided=False) -> None:
    """Note in the order's history what a refund or a void gave back."""
    order_events.payment_given_back(
        order=order,
        by=by,
        payment_id=payment.pk,
        method=payment.method.name,
        method_fr=payment.method.name_fr,
        amount=amount,
        voided=voided,
    )


def _give_back(
    payment: Payment, by, *, amount: Decimal, idempotency_key: uuid.UUID, reason: str = ""
) -> PaymentRefund:
    """Refund ``amount`` of a captured payment to its tender and record it in the ledger.

    Raises :class:`GatewayError` when the card gateway does not answer (nothing is recorded).
    """
    details = {}
    if payment.card_token:
        get_gateway().refund(
            token=payment.card_token, amount=amount, idempotency_key=idempotency_key
        )
    if payment.gift_card_id:
        gift_card = GiftCard.objects.select_for_update().get(pk=payment.gift_card_id)
        gift_card.balance += amount
        gift_card.save(update_fields=["balance"])
        details["gift_card_balance"] = str(gift_card.balance)
    refund = PaymentRefund.objects.create(
        payment=payment,
        amount=amount,
        reason=reason[:200],
        idempotency_key=idempotency_key,
        created_by=by,
    )
    events.payment_refunded(payment=payment, by=by, reason=reason, refunded=str(amount), **details)
    return refund


def _refund_part(
    payment: Payment, by, *, amount: Decimal | None, idempotency_key: uuid.UUID, reason: str = ""
) -> PaymentRefund | None:
    """Refund ``amount`` (None: all that is left) of a good payment, or void an authorized one.

    The payment must be locked. An authorized card is voided whole (nothing was taken
    yet); a captured payment may be refunded in parts, up to its amount.
    """
    if payment.status not in Payment.GOOD_STATUSES:
        raise PaymentError(
            _("This payment is %(status)s: there is nothing to refund.")
            % {"status": payment.get_status_display().lower()}
        )
    left = payment.counted_amount
    if amount is not None:
        amount = quantize(amount)
        if amount <= 0:
            raise PaymentError(_("Enter a refund amount greater than zero."))
        if amount > left:
            raise PaymentError(
                _("Only %(left)s of this payment is left to refund. Enter at most %(left)s.")
                % {"left": format_money(left)}
            )
    if payment.status == Payment.Status.AUTHORIZED:
        if amount is not None and amount != left:
            raise PaymentError(
                _(
                    "An authorized card payment is voided whole: void it, then take a new "
                    "payment for what is due."
                )
            )
        _release(payment, by, reason=reason)
        return None
    try:
        refund = _give_back(
            payment,
            by,
            amount=left if amount is None else amount,
            idempotency_key=idempotency_key,
            reason=reason,
        )
    except GatewayError as exc:
        raise PaymentError(
            _("The card gateway did not answer, so nothing was refunded. Try again in a moment.")
        ) from exc
    if payment.counted_amount <= 0:
        payment.status = Payment.Status.REFUNDED
        payment.save(update_fields=["status"])
    return refund


@transaction.atomic
def refund_payment(
    *,
    order: SalesOrder,
    by,
    payment_id: int,
    idempotency_key: uuid.UUID,
    amount: Decimal | None = None,
    reason: str = "",
) -> Payment:
    """Give back one payment of a draft or not yet released submitted order, whole or in part.

    ``amount`` defaults to all that is left of the payment. An authorized card is voided
    (whole); a captured payment is refunded to its tender: cards through the gateway,
    gift cards on their balance, cash and checks recorded. Used when a payment was a
    mistake, or when the order got cheaper than what was paid (the summary then shows a
    refund due). ``Payment.amount`` stays; each refund is a :class:`PaymentRefund` row.
    """
    order = order_services.lock(order, by=by)
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("method", "gift_card")
        .filter(order=order, pk=payment_id)
        .first()
    )
    if payment is None:
        raise PaymentError(_("That payment is not on this order. Reload the page."))
    if payment.refund_key == idempotency_key:
        return payment
    done = PaymentRefund.objects.filter(idempotency_key=idempotency_key).first()
    if done is not None:
        if done.payment_id != payment.pk:
            raise PaymentError(_("This refund form was already used. Reload the page."))
        return payment
    # a void keeps its key on the payment it voided, not in a refund row
    if Payment.objects.filter(refund_key=idempotency_key).exclude(pk=payment.pk).exists():
        raise PaymentError(_("This refund form was already used. Reload the page."))
    if not order.is_amendable:
        raise PaymentError(
            _(
                "Sales order %(number)s is %(status)s: its payments are released by "
                "cancelling the order or by a return."
            )
            % {"number": order.number, "status": order.get_status_display().lower()}
        )
    if not order.is_editable:
        amount = _due_back(order, payment, amount)
    refund = _refund_part(
        payment, by, amount=amount, idempotency_key=idempotency_key, reason=reason
    )
    _given_back(order, payment, by, refund.amount if refund else payment.amount, refund is None)
    if refund is None:
        payment.refund_key = idempotency_key
        try:
            with transaction.atomic():
                payment.save(update_fields=["refund_key"])
        except IntegrityError as exc:
            raise PaymentError(_("This refund form was already used. Reload the page.")) from exc
    order.amount_paid = amount_paid(order=order)
    order_services.reprice(order=order, by=by)
    return payment


def _due_back(order: SalesOrder, payment: Payment, amount: Decimal | None) -> Decimal:
    """What a refund on a submitted order may give back: only what was paid beyond its
    total (after a line removed, say), never what pays for it; ``None`` asks for that much,
    up to what is left of ``payment``. Cancelling the order or a return gives back more."""
    due = amount_paid(order=order) - order_services.price(order).total
    if due <= 0:
        raise PaymentError(
            _(
                "Sales order %(number)s is submitted and its payments do not exceed its "
                "total: nothing is due back. To give money back, cancel the order or make "
                "a return."
            )
            % {"number": order.number}
        )
    if amount is None:
        return min(due, payment.counted_amount)
    if quantize(amount) > due:
        raise PaymentError(
            _("Only %(due)s is due back on this submitted order. Enter at most %(due)s.")
            % {"due": format_money(due)}
        )
    return amount


def refund_to_tenders(
    *, order: SalesOrder, by, amount: Decimal, idempotency_key: uuid.UUID, reason: str = ""
) -> list[PaymentRefund]:
    """Give ``amount`` back to a locked order's captured tenders: the most recent card
    first, then the other tenders, most recent first. One refund row per tender touched.

    Each refund's key is derived from ``idempotency_key`` and its payment, so a replay
    returns the refunds already made and refunds nothing twice.
    Raises :class:`PaymentError` when the tenders hold less than ``amount``.
    """
    payments = list(
        Payment.objects.select_for_update(of=("self",))
        .select_related("method", "gift_card")
        .filter(order=order, status__in=(Payment.Status.CAPTURED, Payment.Status.REFUNDED))
        .order_by("-created_at", "-pk")
    )
    keys = {payment.pk: uuid.uuid5(idempotency_key, str(payment.pk)) for payment in payments}
    done = list(PaymentRefund.objects.filter(idempotency_key__in=keys.values()).order_by("pk"))
    if done:
        return done
    payments = [p for p in payments if p.status == Payment.Status.CAPTURED]
    payments.sort(key=lambda p: p.method.tender_type != TenderType.CARD)
    left = quantize(amount)
    if left < 0:
        raise PaymentError(_("A refund cannot be negative."))
    if left > sum((p.counted_amount for p in payments), ZERO):
        raise PaymentError(
            _("The payments of sales order %(number)s hold less than %(amount)s to refund.")
            % {"number": order.number, "amount": format_money(left)}
        )
    refunds = []
    for payment in payments:
        if left <= 0:
            break
        part = min(left, payment.counted_amount)
        if part <= 0:
            continue
        refunds.append(
            _refund_part(payment, by, amount=part, idempotency_key=keys[payment.pk], reason=reason)
        )
        _given_back(order, payment, by, part)
        left -= part
    order.amount_paid = amount_paid(order=order)
    order.save(update_fields=["amount_paid", "updated_at"])
    return refunds


def refund_return(*, return_order: ReturnOrder, by, idempotency_key: uuid.UUID) -> ReturnOrder:
    """Refund a return's amount to its original order's tenders and mark it refunded.

    Locks the original order first (then the return); a return already refunded is
    returned as it is, so a replay refunds nothing twice.
    """
    with transaction.atomic():
        order = order_services.lock_order(return_order.order_id, by=by)
        return_order = ReturnOrder.objects.select_for_update().get(pk=return_order.pk)
        if return_order.status == ReturnOrder.Status.REFUNDED:
            return return_order
        refunds = []
        if return_order.amount > 0:
            refunds = refund_to_tenders(
                order=order,
                by=by,
                amount=return_order.amount,
                idempotency_key=idempotency_key,
                reason=_("Return %(number)s") % {"number": return_order.number},
            )
        return order_services.mark_return_refunded(
            return_order=return_order,
            by=by,
            amount=sum((refund.amount for refund in refunds), ZERO),
        )


def return_and_refund(
    *,
    order: SalesOrder,
    by,
    reason: ReturnReason,
    quantities: dict[int, int],
    idempotency_key: uuid.UUID,
    note: str = "",
) -> ReturnOrder:
    """Create a return of a shipped order's lines and refund it to the original tenders,
    in one transaction: either both happen or neither does."""
    with transaction.atomic():
        return_order = order_services.create_return(
            order=order,
            by=by,
            reason=reason,
            quantities=quantities,
            idempotency_key=idempotency_key,
            note=note,
        )
        return refund_return(
            return_order=return_order,
            by=by,
            idempotency_key=uuid.uuid5(idempotency_key, "refund"),
        )


def submit_order(*, order: SalesOrder, by, idempotency_key: uuid.UUID) -> SalesOrder:
    """The gate: submit only when the good payments cover the re-computed total exactly.

    Runs under the order's row lock; a replay of the submit that succeeded
    returns the submitted order, any other submit of it is refused. Authorized
    card payments are captured here, in the same transaction. A refusal for a
    balance (or a refund) due is recorded in the order's history before it is raised.

    The submitted order's ``open_holds_at_submit`` lists its open holds, oldest first:
    those it had already (read only when it had one) and those the automatic hold rules
    placed, so whoever says it is held needs no query of its own.
    """
    with transaction.atomic():
        order = order_services.lock(order, by=by, with_open_holds=True)
        if order.status == SalesOrder.Status.SUBMITTED and order.submit_key == idempotency_key:
            order.open_holds_at_submit = open_holds(order) if order.has_open_holds else []
            return order
        if not order.is_editable:
            raise SubmitRefused(
                _("Sales order %(number)s is already %(status)s.")
                % {"number": order.number, "status": order.get_status_display().lower()}
            )
        # the order's row is saved once, submitted or refused, with the new totals
        totals = order_services.reprice(order=order, by=by, save=False)
        if not order_services.has_active_lines(order):
            raise SubmitRefused(_("Add at least one line before you submit the order."))
        refusal = order_services.delivery_refusal(order) or order_services.unsold_refusal(order)
        if refusal:
            raise SubmitRefused(refusal)
        # the good payments, locked: those the balance counts are those captured below
        payments = list(
            order.payments.select_for_update(of=("self",))
            .filter(status__in=Payment.GOOD_STATUSES)
            .select_related("method")
            .prefetch_related("refunds")
            .order_by("pk")
        )
        balance = totals.total - paid_by(payments)
        if not order.call_center.order_completion_enabled or balance == 0:
            order_services.before_submit(order=order, by=by)
            try:  # before the cards are captured: a refusal here takes nothing
                order = order_services.mark_submitted(
                    order=order, by=by, idempotency_key=idempotency_key
                )
            except IntegrityError as exc:  # the key of another order's submit
                raise SubmitRefused(
                    _("This submit form was already used for another order. Reload the page.")
                ) from exc
            _capture_authorized(payments, by)
            from .continuity import enrol_order  # continuity builds on this module

            enrol_order(order=order, by=by, payments=payments)
            held = open_holds(order) if order.has_open_holds else []
            placed = holds.apply_automatic_holds(order=order, by=by, credit=credit_facts(payments))
            order.open_holds_at_submit = held + placed
            return order
        order.save()
        if balance > 0:
            reason = _(
                "Submit refused: a balance of %(balance)s is still due. "
                "Add a payment that covers the balance, then submit."
            ) % {"balance": format_money(balance)}
        else:
            reason = _(
                "Submit refused: the payments are %(refund)s more than the total. "
                "Refund a payment, take a new one for the balance, then submit."
            ) % {"refund": format_money(-balance)}
        order_events.submit_refused(order=order, by=by, reason=reason, balance=balance)
    raise SubmitRefused(reason)


def credit_facts(payments: list[Payment]) -> holds.CreditFacts:
    """What the order puts on the customer's account (``payments``: its payments, read
    under its lock; the good ones count, less their refunds): the CREDIT hold rule's input,
    at submit, for a payment on account after it, and when a submitted order changes."""
    on_account = [
        p
        for p in payments
        if p.status in Payment.GOOD_STATUSES and p.method.tender_type == TenderType.ON_ACCOUNT
    ]
    prefetch_related_objects(on_account, "refunds")
    return holds.CreditFacts(on_account=sum((p.counted_amount for p in on_account), ZERO))


def order_credit_facts(order: SalesOrder) -> holds.CreditFacts:
    """The credit facts of a locked order, from its ledger (read once per order object):
    what ``orders.holds`` asks when it re-checks a submitted order's holds."""
    return credit_facts(ledger(order))


def _capture_now(payment: Payment, by) -> None:
    """Capture a card taken on an order already submitted (for the balance a change left):
    the submit gate, which captures the cards of a draft, is behind it."""
    try:
        _capture_authorized([payment], by)
    except SubmitRefused as exc:
        raise PaymentError(
            _(
                "The card gateway did not answer while capturing the card ending %(last4)s, "
                "so nothing was taken. Try again in a moment."
            )
            % {"last4": payment.card_last4}
        ) from exc


def _capture_authorized(payments: list[Payment], by) -> None:
    """Capture the authorized ones of ``payments`` (locked by the caller)."""
    gateway = get_gateway()
    for payment in payments:
        if payment.status != Payment.Status.AUTHORIZED:
            continue
        try:
            gateway.capture(token=payment.card_token, amount=payment.amount)
        except GatewayError as exc:
            raise SubmitRefused(
                _(
                    "The card gateway did not answer while capturing the card ending "
                    "%(last4)s. Nothing was submitted: submit again in a moment."
                )
                % {"last4": payment.card_last4}
            ) from exc
        payment.status = Payment.Status.CAPTURED
        payment.save(update_fields=["status"])
        events.payment_captured(payment=payment, by=by)


def charge_stored_card(
    *,
    order: SalesOrder,
    by,
    method: PaymentMethod,
    token: str,
    card_brand: str = "",
    card_last4: str = "",
    idempotency_key: uuid.UUID,
) -> Payment:
    """Authorize the balance of a draft order on a card stored as a gateway token.

    For continuity renewals, inside the caller's transaction. A declined card is
    kept in the ledger (declined) and returned; a gateway that does not answer
    raises :class:`GatewayError`, so the caller rolls back and retries later with
    the same key, which the gateway answers without charging twice.
    """
    order = order_services.lock(order, by=by)
    existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    paid = amount_paid(order=order)
    balance = order_services.price(order).total - paid
    if balance <= 0:
        raise PaymentError(_("Nothing is due on this order: the payments already cover the total."))
    payment = Payment.objects.create(
        order=order,
        method=method,
        amount=balance,
        idempotency_key=idempotency_key,
        created_by=by,
        card_brand=card_brand,
        card_last4=card_last4,
    )
    events.payment_created(payment=payment, by=by)
    result = get_gateway().charge_token(
        token=token,
        amount=balance,
        currency=order.call_center.currency,
        idempotency_key=idempotency_key,
    )
    if result.approved:
        payment.status, payment.card_token = Payment.Status.AUTHORIZED, result.token
        payment.save(update_fields=["status", "card_token"])
        events.payment_authorized(payment=payment, by=by)
        _record(order, payment, by, paid)
    else:
        payment.status = Payment.Status.DECLINED
        payment.message = _(
            "The card ending %(last4)s was declined: %(reason)s "
            "Call the customer for another card or another payment method."
        ) % {"last4": card_last4, "reason": result.message}
        payment.save(update_fields=["status", "message"])
        events.payment_declined(payment=payment, by=by, message=result.message)
    return payment


@transaction.atomic
def cancel_order(*, order: SalesOrder, by, reason: str, idempotency_key: uuid.UUID) -> SalesOrder:
    """Cancel a draft or submitted order and release every payment on it.

    Authorized cards are voided, captured payments refunded, gift card balances
    restored, each with its payment event; then the order is cancelled.
    """
    order = order_services.lock(order, by=by)
    done = Cancellation.objects.filter(idempotency_key=idempotency_key).first()
    if done is not None:
        if done.order_id != order.pk:
            raise PaymentError(
                _("This cancel form was already used for another order. Reload the page.")
            )
        return order
    reason = reason.strip()
    if not reason:
        raise PaymentError(_("Enter the reason for cancelling the order."))
    if not order.can_become(SalesOrder.Status.CANCELLED):
        raise PaymentError(
            _("Sales order %(number)s is %(status)s and cannot be cancelled.")
            % {"number": order.number, "status": order.get_status_display().lower()}
        )
    payments = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("method")
        .filter(order=order, status__in=Payment.OPEN_STATUSES)
        .order_by("pk")
    )
    for payment in payments:
        given = _release(payment, by, reason=reason)
        if given is not None:
            _given_back(order, payment, by, *given)
    try:
        with transaction.atomic():
            Cancellation.objects.create(
                order=order, reason=reason, idempotency_key=idempotency_key, created_by=by
            )
    except IntegrityError as exc:
        raise PaymentError(_("This order was already cancelled. Reload the page.")) from exc
    order.amount_paid = amount_paid(order=order)
    order_services.release_coupons(order=order, by=by)
    order = order_services.mark_cancelled(order=order, by=by, reason=reason)
    cancel_enrolments_of(order=order, by=by, reason=reason)
    return order
