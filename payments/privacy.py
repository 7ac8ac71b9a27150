"""The personal data payments hold, for erasure (``customers.privacy``).

Payments keep what the accounting needs: methods, amounts, statuses, the gateway's
token (refunds and voids go through it), the card's brand, last four digits and
expiry, check numbers and gift cards. Cards are never stored in full (see
``payments.models.Payment``) and no card holder's name is taken. What clerks typed
about the customer is erased: the reasons for cancelling an order, for refunding a
payment and for voiding one, on the records and in the payments' history.
"""

from customers import privacy
from customers.privacy import ERASED, erase_in_events, erased_keys

from .models import Cancellation, Payment, PaymentEvent, PaymentRefund

#: the free-text parameters of each kind of payment event (a gateway's message is the
#: gateway's, not the customer's)
_EVENT_TEXT = {
    PaymentEvent.Type.VOIDED: ("reason",),
    PaymentEvent.Type.REFUNDED: ("reason",),
}


def erased_event_parameters(type_: str, parameters: dict) -> dict | None:
    return erased_keys(parameters, _EVENT_TEXT.get(type_, ()))


def erase(customer, *, by) -> None:
    payments = Payment.objects.filter(order__customer=customer)
    Cancellation.objects.filter(order__customer=customer).update(reason=ERASED)
    PaymentRefund.objects.filter(payment__in=payments).exclude(reason="").update(reason=ERASED)
    erase_in_events(
        PaymentEvent.objects.filter(payment__in=payments, type__in=list(_EVENT_TEXT)),
        erased_event_parameters,
    )


def register() -> None:
    privacy.register(eraser=erase)
