"""One small function per kind of payment event."""

from .models import Payment, PaymentEvent


def payment_created(*, payment: Payment, by) -> PaymentEvent:
    return PaymentEvent.objects.create(
        payment=payment,
        type=PaymentEvent.Type.CREATED,
        user=by,
        parameters={"method": payment.method.code, "amount": str(payment.amount)},
    )


def payment_captured(*, payment: Payment, by) -> PaymentEvent:
    return PaymentEvent.objects.create(
        payment=payment,
        type=PaymentEvent.Type.CAPTURED,
        user=by,
        parameters={"amount": str(payment.amount)},
    )
