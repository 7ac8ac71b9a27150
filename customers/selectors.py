"""Finding the caller from whatever they say: name, account, phone, e-mail, postal code,
order number."""

from collections.abc import Callable

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from .models import Address, Customer
from .normalize import digits_only, search_text

MIN_PHONE_DIGITS = 4

# Higher apps add what else a search word may be (orders: an order number), as a
# function from the word to a condition on customers, or None when it cannot be one.
_extra_matchers: list[Callable[[str], Q | None]] = []


def register_search_matcher(matcher: Callable[[str], Q | None]) -> None:
    if matcher not in _extra_matchers:
        _extra_matchers.append(matcher)


def _word_matches(word: str) -> Q:
    text = search_text(word)
    condition = (
        Q(name_search__contains=text)
        | Q(account_number__in={word, word.upper()})
        | Q(email=word.lower())
        | Q(pk__in=Address.objects.filter(postal_code=word.upper()).values("customer_id"))
    )
    digits = digits_only(word)
    if len(digits) >= MIN_PHONE_DIGITS:
        condition |= Q(phone_digits__endswith=digits)
    for matcher in _extra_matchers:
        extra = matcher(word)
        if extra is not None:
            condition |= extra
    return condition


def customer_search(*, query: str, companies) -> QuerySet[Customer]:
    """Customers of the companies matching the query, best matches first.

    Every word must match (name words in any order, accents and case ignored:
    "berg karen", "Bérg"); a phone may be typed in any format ("(555) 010-2001",
    "+1 555 010 2001") or by its last digits. Exact account, phone and e-mail
    matches come first, then names starting with the query.
    """
    words = query.split()
    if not words:
        return Customer.objects.none()
    condition = Q()
    for word in words:
        condition &= _word_matches(word)
    digits = digits_only(query)
    if len(words) > 1 and len(digits) >= MIN_PHONE_DIGITS and len(digits) > len(words):
        # a phone number typed with spaces: "555 010 2001"
        condition |= Q(phone_digits__endswith=digits)
    text = search_text(query)
    rank = Case(
        When(account_number__in={query.strip(), query.strip().upper()}, then=Value(0)),
        When(Q(email=query.strip().lower()) | Q(phone_digits=digits or "-"), then=Value(1)),
        When(name_search__startswith=text, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        Customer.objects.of_companies(companies)
        .filter(condition)
        .annotate(rank=rank)
        .select_related("customer_group")
        .prefetch_related(
            Prefetch("addresses", queryset=Address.objects.order_by("-is_primary", "pk"))
        )
        .order_by("rank", "name", "account_number")
    )


def possible_duplicates(
    *, company: str, name: str, phone: str, email: str, postal_code: str, exclude=None
) -> QuerySet[Customer]:
    """Customers that may be the same person: same phone, same e-mail, or same name and
    postal code."""
    condition = Q()
    digits = digits_only(phone)
    if digits:
        condition |= Q(phone_digits=digits)
    if email:
        condition |= Q(email=email.strip().lower())
    if name and postal_code:
        condition |= Q(
            name_search=search_text(name),
            pk__in=Address.objects.filter(postal_code=postal_code.upper()).values("customer_id"),
        )
    if not condition:
        return Customer.objects.none()
    duplicates = Customer.objects.filter(company=company).filter(condition)
    if exclude is not None:
        duplicates = duplicates.exclude(pk=exclude.pk)
    return duplicates.prefetch_related("addresses").order_by("name")[:10]
