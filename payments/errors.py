from orders.errors import OrderError


class PaymentError(OrderError):
    """A payment that cannot be taken; the message says why and what to do."""


class PaymentDeclined(PaymentError):
    """The card was declined. The declined payment is kept in the ledger; it counts for nothing."""


class GatewayUnavailable(PaymentError):
    """The gateway did not answer. The payment stays pending; retrying with the same key
    cannot charge twice."""


class SubmitRefused(OrderError):
    """The order cannot be submitted yet; the message says what is missing."""
