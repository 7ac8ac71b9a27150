"""Domain errors of sales orders: each carries the message a clerk reads."""


class OrderError(Exception):
    """Base class: ``str(error)`` is a sentence for the clerk saying what to do."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class OrderNotEditable(OrderError):
    pass


class NotAChannelUser(OrderError):
    pass


class ConcurrentEdit(OrderError):
    pass


class InvalidTransition(OrderError):
    pass


class InvalidOrderData(OrderError):
    """A value the order cannot take (an inactive mode of delivery, an expired source code...)."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class CouponError(InvalidOrderData):
    """A coupon that cannot be used: unknown, expired, used up, or its minimum not reached."""

    def __init__(self, message) -> None:
        super().__init__(message, field="coupon_code")


class OverrideNeedsApproval(InvalidOrderData):
    """A price override beyond the user's limit: only a supervisor may apply it."""

    def __init__(self, message) -> None:
        super().__init__(message, field="price")
