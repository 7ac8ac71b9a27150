"""Finding the caller from whatever they say: name, account, phone, e-mail, postal code,
order number."""

import re
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from .models import Address, Customer
from .normalize import (
    digits_only,
    phone_digits,
    phone_suffixes,
    postal_code_forms,
    search_text,
    spaced_postal_code,
)

MIN_PHONE_DIGITS = 4
# at most this many customers found by one identifier (a postal code, a phone's last digits)
MAX_IDENTIFIED = 5000
PHONE_LIKE = re.compile(r"^[\d\s()+.\-/]+$")

# Higher apps add what else a search word may be (orders: an order number), as a
# function from the word to a queryset of matching customer ids, or None.
_extra_matchers: list[Callable[[str], QuerySet | None]] = []


def register_search_matcher(matcher: Callable[[str], QuerySet | None]) -> None:
    if matcher not in _extra_matchers:
        _extra_matchers.append(matcher)


def _identified_ids(word: str, companies) -> list[int]:
    """Customers of ``companies`` (every company: None) a word designates by an identifier
    rather than by name: account number, e-mail, postal code, phone digits, order number
    (one query; each lookup indexed). Each branch keeps the companies' customers alone, so
    another company's never take the places of ``MAX_IDENTIFIED``."""
    ids = _of(companies).order_by().values_list("pk", flat=True)
    addresses = Address.objects.filter(postal_code__in=postal_code_forms(word))
    if companies is not None:
        addresses = addresses.filter(customer__company__in=companies)
    branches = [
        ids.filter(account_number__in={word, word.upper()}),
        ids.filter(email=word.lower()),
        addresses.order_by().values_list("customer_id", flat=True),
    ]
    digits = digits_only(word)
    if len(digits) >= MIN_PHONE_DIGITS:
        for suffix in phone_suffixes(digits):  # "0123456789" ends no +33…: also 123456789
            branches.append(ids.filter(phone_digits__endswith=suffix))
    for matcher in _extra_matchers:
        extra = matcher(word)
        if extra is not None:
            branches.append(extra.order_by() if companies is None else ids.filter(pk__in=extra))
    return list(branches[0].union(*branches[1:])[:MAX_IDENTIFIED])


def _pk_in(ids: list[int]) -> Q:
    """``pk IN ids``; on PostgreSQL as one array parameter (``id = ANY(%s)``), which costs
    the same to send and plan for 5,000 ids as for 5, where a list is one parameter each."""
    if connection.vendor != "postgresql":
        return Q(pk__in=ids)
    table = Customer._meta.db_table
    return Q(RawSQL(f'"{table}"."id" = ANY(%s)', (ids,), output_field=BooleanField()))


def _of(companies) -> QuerySet[Customer]:
    """The customers of ``companies``; of every company when None (the admin)."""
    if companies is None:
        return Customer.objects.all()
    return Customer.objects.of_companies(companies)


def customer_search(*, query: str, companies) -> QuerySet[Customer]:
    """Customers of the companies (every company: None) matching the query, best
    matches first.

    Every word must match (name words in any order, accents and case ignored:
    "berg karen", "Bérg"); a phone may be typed in any format ("(555) 010-2001",
    "+1 555 010 2001") or by its last digits. Exact account, phone and e-mail
    matches come first, then names starting with the query.

    The final condition stays on the customer table — (every word in the name)
    OR (id in a short list found by identifiers) — so PostgreSQL combines its
    trigram and primary-key indexes instead of scanning.
    """
    digits = digits_only(query)
    if len(digits) >= MIN_PHONE_DIGITS and PHONE_LIKE.match(query):
        words = [digits]  # a phone typed with spaces or punctuation: "(555) 010-2001"
    elif postal_code := spaced_postal_code(query):
        words = [postal_code]  # "K1A 0B1": one postal code, not two words
    else:
        words = query.split()
    if not words:
        return Customer.objects.none()
    by_name = Q()
    for word in words:
        by_name &= Q(name_search__contains=search_text(word))
    identified = {word: _identified_ids(word, companies) for word in words}
    condition = by_name
    seeds = [ids for ids in identified.values() if ids]
    if len(words) == 1 and seeds:
        condition |= _pk_in(seeds[0])
    elif seeds:
        # customers an identifier designates, whose other words match an identifier or the name
        mixed = _of(companies).filter(pk__in=min(seeds, key=len))
        for word in words:
            mixed = mixed.filter(
                Q(pk__in=identified[word]) | Q(name_search__contains=search_text(word))
            )
        condition |= _pk_in(list(mixed.values_list("pk", flat=True)[:MAX_IDENTIFIED]))
    text = search_text(query)
    rank = Case(
        When(account_number__in={query.strip(), query.strip().upper()}, then=Value(0)),
        When(
            Q(email=query.strip().lower()) | Q(phone_digits=phone_digits(query) or "-"),
            then=Value(1),
        ),
        When(name_search__startswith=text, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        _of(companies)
        .filter(condition)
        .annotate(rank=rank)
        .select_related("customer_group")
        .prefetch_related(
            Prefetch("addresses", queryset=Address.objects.order_by("-is_primary", "pk"))
        )
        .order_by("rank", "name", "account_number")
    )


def within_limit(results: QuerySet[Customer]) -> QuerySet[Customer] | None:
    """``results`` when at most ``CUSTOMER_SEARCH_LIMIT`` customers match, else None.

    Reads up to one id more than the limit, in no order, so the database stops there
    instead of reading every match to rank and count it. Within the limit, the results
    are those ids: the page then reads them by primary key rather than searching again.
    """
    limit = settings.CUSTOMER_SEARCH_LIMIT
    ids = list(results.order_by().values_list("pk", flat=True)[: limit + 1])
    if len(ids) > limit:
        return None
    return results.filter(_pk_in(ids))


def possible_duplicates(
    *, company: str, name: str, phone: str, email: str, postal_code: str, exclude=None
) -> QuerySet[Customer]:
    """Customers that may be the same person: same phone, same e-mail, or same name and
    postal code."""
    condition = Q()
    digits = phone_digits(phone)
    if digits:
        condition |= Q(phone_digits=digits)
    if email:
        condition |= Q(email=email.strip().lower())
    if name and postal_code:
        condition |= Q(
            name_search=search_text(name),
            pk__in=Address.objects.filter(postal_code__in=postal_code_forms(postal_code)).values(
                "customer_id"
            ),
        )
    if not condition:
        return Customer.objects.none()
    duplicates = Customer.objects.filter(company=company).filter(condition)
    if exclude is not None:
        duplicates = duplicates.exclude(pk=exclude.pk)
    return duplicates.prefetch_related("addresses").order_by("name")[:10]


def delivery_addresses(customer_id: int) -> QuerySet[Address]:
    """The customer's delivery addresses, the primary one first: those an order may be
    delivered to."""
    return Address.objects.filter(
        customer_id=customer_id, purpose=Address.Purpose.DELIVERY
    ).order_by("-is_primary", "pk")
