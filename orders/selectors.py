from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from callcenter import reference
from callcenter.access import call_centers_of
from callcenter.money import DECIMAL_PLACES, MAX_DIGITS, ZERO
from catalog.models import SourceCode

from .models import OrderHold, PriceOverrideReason, SalesLine, SalesOrder
from .models_returns import ReturnOrder

#: a sum of amounts, as SQL gives it: two digits more than any one amount holds
MONEY_SUM = DecimalField(max_digits=MAX_DIGITS + 2, decimal_places=DECIMAL_PLACES)


def orders_visible_to(user) -> QuerySet[SalesOrder]:
    """Orders of the active call centers in which ``user`` is a channel user."""
    if not user.is_authenticated:
        return SalesOrder.objects.none()
    return SalesOrder.objects.filter(visible_order(user))


def visible_order(user, *, to: str = "") -> Q:
    """The condition an order (reached by the lookup ``to``, e.g. ``"order__"``) meets when
    ``user`` may see it: by the call centers read with their request, else by a join on
    its call center's channel users."""
    centers = call_centers_of(user)
    if centers is not None:  # read with the request
        return Q(**{f"{to}call_center_id__in": list(centers)})
    return Q(**{f"{to}call_center__channel_users__user": user, f"{to}call_center__is_active": True})


# Read with the order in the same query: every page and service needs them. The
# others (mode of delivery, source code, coupon, clerk) are read when used and set:
# on PostgreSQL each further LEFT JOIN costs more to plan than a lookup by key.
HEADER_RELATIONS = ("call_center", "customer")


def order_for_user(*, user, number: str, customer: bool = True) -> SalesOrder:
    """The order with its header relations, or a 404 for anyone outside its call center.

    In a request, its call center is the one read with the user's memberships.
    ``customer=False`` leaves the customer to be read when used: for a view that hands
    the order to a service, which re-reads it with its customer under the row lock.
    """
    centers = call_centers_of(user)
    if centers is None:
        return get_object_or_404(
            orders_visible_to(user).select_related(*HEADER_RELATIONS), number=number
        )
    orders = orders_visible_to(user)
    if customer:
        orders = orders.select_related("customer")
    order = get_object_or_404(orders, number=number)
    order.call_center = centers[order.call_center_id]
    return order


def order_to_change(*, user, number: str) -> SalesOrder:
    """The order a view hands to a service, which reads it under its row lock
    (``services.lock``): left unread here when it can only be in one call center.

    A user who works in one call center can only reach that center's orders: the order
    is then named by its number and that center, and the service's locked read is the
    request's only read of it (a 404 when it is not there). Otherwise it is read here,
    without its customer, as ``order_for_user`` reads it. An unread order has no id;
    ``order_read`` reads it for a page that shows it.
    """
    centers = call_centers_of(user)
    if centers is not None and len(centers) == 1:
        (center,) = centers.values()
        return SalesOrder(number=number, call_center=center)
    return order_for_user(user=user, number=number, customer=False)


def order_read(order: SalesOrder, *, user, again: bool = False) -> SalesOrder:
    """``order`` with its header relations, for a page that shows it: read now if
    ``order_to_change`` left it unread (a 404 when it is not there); else as it is, or,
    ``again``, read again (``reread``: a service may have changed it since)."""
    if order.pk is None:
        return order_for_user(user=user, number=order.number)
    return reread(order) if again else order


def reread(order: SalesOrder) -> SalesOrder:
    """Re-read the order after a service changed it, with its header relations, in one query."""
    order.refresh_from_db(from_queryset=SalesOrder.objects.select_related(*HEADER_RELATIONS))
    return order


# Read with the lines in the same query; their source codes and override reasons come
# from the call center's setup data (``attach_line_setup``): two joins fewer per read.
LINE_RELATIONS = ("product__image",)


def order_lines(order: SalesOrder) -> list[SalesLine]:
    """Every line of the order, cancelled ones too, by line number, with their source
    code, override reason, product and its picture.

    Read once per order object: the page's panels share the list, and a service that
    re-priced the order leaves the lines it priced (see ``keep_lines``);
    ``refresh_from_db`` forgets them.
    """
    lines = getattr(order, "_lines_read", None)
    if lines is None:
        lines = read_lines(order)
        keep_lines(order, lines)
    return lines


def read_lines(order: SalesOrder) -> list[SalesLine]:
    """The order's lines from the database, as ``order_lines`` gives them. Sorted here:
    an ORDER BY costs Django more to compile than the sort, on a query this wide."""
    lines = list(order.lines.select_related(*LINE_RELATIONS).order_by())
    lines.sort(key=lambda line: line.line_number)
    attach_line_setup(order.call_center, lines)
    return lines


def attach_line_setup(call_center, lines: list[SalesLine]) -> None:
    """Set each line's source code and price override reason, as kept with the call
    center's setup data (``callcenter.reference``; read once, when first used)."""
    codes = reference.cached_each(
        call_center,
        "source_code",
        {line.source_code_id for line in lines if line.source_code_id is not None},
        SourceCode.objects.in_bulk,
    )
    reasons = reference.cached_each(
        call_center,
        "override_reason",
        {line.override_reason_id for line in lines if line.override_reason_id is not None},
        PriceOverrideReason.objects.in_bulk,
    )
    for line in lines:
        if line.source_code_id is not None:
            line.source_code = codes[line.source_code_id]
        if line.override_reason_id is not None:
            line.override_reason = reasons[line.override_reason_id]


def keep_lines(order: SalesOrder, lines: list[SalesLine]) -> None:
    """``lines`` are the order's lines as they now are in the database (all of them)."""
    order._lines_read = lines


def order_history(*, customer, user) -> QuerySet[SalesOrder]:
    """The customer's orders the user may see, newest first."""
    return (
        orders_visible_to(user)
        .filter(customer=customer)
        .select_related("call_center")
        .annotate(
            on_hold=Exists(OrderHold.objects.open().filter(order=OuterRef("pk"))),
            returned=returned_amount(OuterRef("pk")),
        )
        .order_by("-created_at", "-pk")
    )


def sum_per_order(queryset, field: str) -> Coalesce:
    """The sum of ``field`` over ``queryset`` (rows of one order, correlated with
    ``OuterRef``; an ``order`` column or annotation), 0 when there are none: a subquery,
    no join that would multiply the order's rows."""
    summed = queryset.order_by().values("order").annotate(s=Sum(field)).values("s")
    return Coalesce(Subquery(summed, output_field=MONEY_SUM), Value(ZERO), output_field=MONEY_SUM)


def returned_amount(order) -> Coalesce:
    """What the returns of ``order`` (an order, or OuterRef to one) refunded, as an SQL
    expression: a subquery of the return's index on its original order."""
    return sum_per_order(ReturnOrder.objects.filter(order=order), "amount_refunded")


def open_holds(order: SalesOrder) -> list[OrderHold]:
    """The open holds of an order (locked, when they are to change), oldest first, with
    their codes."""
    return list(order.holds.open().select_related("code").order_by("created_at", "pk"))


def override_reasons(call_center) -> tuple[PriceOverrideReason, ...]:
    """The active price override reasons, as the clerk chooses from them (read-only)."""
    return reference.cached(
        call_center,
        "override_reasons",
        lambda: tuple(PriceOverrideReason.objects.filter(is_active=True)),
    )


#: what the warehouse export gives of each line to ship, in this order
FULFILMENT_COLUMNS = (
    ("number", "order__number"),
    ("call_center", "order__call_center__code"),
    # the warehouse that ships it: the call center's default one (blank: not set)
    ("warehouse", "order__call_center__default_warehouse"),
    ("customer", "order__customer__account_number"),
    ("name", "order__customer__name"),
    ("delivery_address", "order__delivery_address"),
    ("mode_of_delivery", "order__delivery_mode__code"),
    ("line", "line_number"),
    ("item", "item_number"),
    ("quantity", "quantity"),
)


def lines_to_ship(user, *, call_center_ids):
    """The lines the warehouse ships: those of the released orders of those call centers
    ``user`` may see, not cancelled, oldest release first, by line number; as tuples of
    ``FULFILMENT_COLUMNS``.

    One query read in chunks (a server-side cursor on PostgreSQL), so an export of any
    size holds one chunk in memory rather than every order and line as objects.
    """
    return (
        SalesLine.objects.filter(
            visible_order(user, to="order__"),
            order__call_center_id__in=call_center_ids,
            order__status=SalesOrder.Status.PROCESSING,
            cancelled_at__isnull=True,
        )
        .order_by("order__submitted_at", "order_id", "line_number")
        .values_list(*(lookup for _name, lookup in FULFILMENT_COLUMNS))
        .iterator(chunk_size=2000)
    )
