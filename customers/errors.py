"""Domain errors of customers: each carries the message a clerk reads."""


class CustomerError(Exception):
    """Base class: ``str(error)`` is a sentence for the clerk saying what to do."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class CustomerErased(CustomerError):
    """The customer's personal data were erased: nothing personal is written back."""


class ConcurrentCustomerEdit(CustomerError):
    """The form saw an older version of the customer than the one saved now."""
