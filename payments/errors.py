from orders.errors import OrderError


class PaymentError(OrderError):
    """A payment that cannot be taken; the message says why and what to do."""


class SubmitRefused(OrderError):
    """The order cannot be submitted yet; the message says what is missing."""
