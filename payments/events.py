"""One small function per kind of payment event.

Parameters name a card by its brand and last four digits only.
"""

from .models import Payment, PaymentEvent


def _write(payment: Payment, type_: str, by, **parameters) -> PaymentEvent:
    return PaymentEvent.objects.create(payment=payment, type=type_, user=by, parameters=parameters)


def payment_created(*, payment: Payment, by, captured: bool = False) -> list[PaymentEvent]:
    """The payment's creation; with ``captured``, its capture on entry too (one INSERT)."""
    parameters = {"method": payment.method.code, "amount": str(payment.amount)}
    if payment.amount_tendered is not None:
        parameters["tendered"] = str(payment.amount_tendered)
        parameters["change_due"] = str(payment.change_due)
    if payment.reference:
        parameters["reference"] = payment.reference
    events = [(PaymentEvent.Type.CREATED, parameters)]
    if captured:
        events.append((PaymentEvent.Type.CAPTURED, {"amount": str(payment.amount)}))
    return PaymentEvent.objects.bulk_create(
        PaymentEvent(payment=payment, type=type_, user=by, parameters=parameters)
        for type_, parameters in events
    )


def payment_authorized(*, payment: Payment, by) -> PaymentEvent:
    return _write(
        payment,
        PaymentEvent.Type.AUTHORIZED,
        by,
        amount=str(payment.amount),
        card=payment.reference,
    )


def payment_captured(*, payment: Payment, by) -> PaymentEvent:
    return _write(payment, PaymentEvent.Type.CAPTURED, by, amount=str(payment.amount))


def payment_declined(*, payment: Payment, by, message: str) -> PaymentEvent:
    return _write(
        payment, PaymentEvent.Type.DECLINED, by, card=payment.reference, message=str(message)
    )


def gateway_error(*, payment: Payment, by, message: str) -> PaymentEvent:
    return _write(payment, PaymentEvent.Type.GATEWAY_ERROR, by, message=str(message))


def payment_voided(*, payment: Payment, by, reason: str = "") -> PaymentEvent:
    return _write(payment, PaymentEvent.Type.VOIDED, by, amount=str(payment.amount), reason=reason)


def payment_refunded(*, payment: Payment, by, reason: str = "", **details) -> PaymentEvent:
    return _write(
        payment,
        PaymentEvent.Type.REFUNDED,
        by,
        amount=str(payment.amount),
        reason=reason,
        **details,
    )
