from django.db.models import Prefetch, Q, QuerySet

from .models import Address, Customer, digits_only

MIN_PHONE_DIGITS = 4


def customer_search(*, query: str, companies) -> QuerySet[Customer]:
    """Customers matching what the caller said: name words, account, phone, e-mail, postal code.

    Every word of the query must match one of the fields, so "berg karen" finds
    Karen Berg. Exact account matches come first.
    """
    words = query.split()
    if not words:
        return Customer.objects.none()
    condition = Q()
    for word in words:
        word_condition = (
            Q(name__icontains=word)
            | Q(account_number__iexact=word)
            | Q(email__iexact=word)
            | Q(addresses__postal_code__iexact=word)
        )
        digits = digits_only(word)
        if len(digits) >= MIN_PHONE_DIGITS:
            word_condition |= Q(phone_digits__endswith=digits)
        condition &= word_condition
    digits = digits_only(query)
    if len(digits) >= MIN_PHONE_DIGITS and len(words) > 1:
        # a phone number typed with spaces: "555 010 2001"
        condition |= Q(phone_digits__endswith=digits)
    matches = Customer.objects.of_companies(companies).filter(condition).values("pk")
    return (
        Customer.objects.filter(pk__in=matches)
        .prefetch_related(Prefetch("addresses", queryset=Address.objects.order_by("-is_primary")))
        .order_by("name", "account_number")
    )
