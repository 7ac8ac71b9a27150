"""Customer search finds a customer by one of their order numbers."""

from django.db.models import QuerySet

from .models import SalesOrder


def order_number_matcher(word: str) -> QuerySet | None:
    """The customer of the order numbered ``word``, as a queryset of customer ids."""
    if "-" not in word:  # order numbers read PREFIX-000001
        return None
    return SalesOrder.objects.filter(number=word.upper()).values_list("customer_id", flat=True)
