"""Holds on the order page, the supervisors' hold queue, release, and the warehouse export.

Views parse the form, call one service in ``orders.holds`` and go back where the
user came from (the order page or the queue) with a message; a refusal is shown
in the page's alert.
"""

import itertools
import json
from operator import itemgetter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from callcenter.access import centers_where, channel_user_required, require_permission
from callcenter.csv_export import csv_lines
from callcenter.fields import form_errors
from callcenter.models import CallCenter
from callcenter.redirects import posted_next

from . import holds
from .errors import OrderError
from .hold_filters import HoldQueueFilter
from .hold_forms import CheckOutForm, ClearHoldForm, HoldForm
from .models import OrderHold, SalesOrder
from .selectors import FULFILMENT_COLUMNS, lines_to_ship, order_for_user
from .views import refused

QUEUE_PAGE_SIZE = 25
#: the session key of the hold whose reason box the queue gives the focus to, once
QUEUE_FOCUS = "hold_queue_focus"
#: and of the hold whose change the queue's form was refused: its box is marked invalid
QUEUE_REFUSED = "hold_queue_refused"


def _mark_in_queue(request, key: str = QUEUE_FOCUS) -> None:
    """Back in the queue (a form posted from it), the posted hold's reason box gets the
    focus (``QUEUE_FOCUS``: the one just checked out, or the one whose clearing was
    refused, what to type next) or is marked invalid (``QUEUE_REFUSED``)."""
    if posted_next(request):
        request.session[key] = request.POST.get("hold", "")


def _back(request, order: SalesOrder):
    """Back to the page the form was on (the queue) when it said so, else the order page."""
    target = posted_next(request)
    if target:
        return redirect(target)
    return redirect(reverse("orders:detail", args=[order.number]) + "#holds")


def _hold_change(request, order: SalesOrder, form, change, done: str, *, reason=False):
    """Run ``change(form.cleaned_data)`` on a valid form; say how it went, then go back.

    A form that does not validate (a field left out or tampered with) is said, like the
    service's refusals: nothing is changed silently or dropped without a word. A refused
    ``reason`` form from the queue (Clear) comes back with the hold's reason box marked."""
    if not form.is_valid():
        if reason:
            _mark_in_queue(request, QUEUE_REFUSED)
        return refused(request, order.number, form_errors(form))
    try:
        change(form.cleaned_data)
    except OrderError as error:
        if reason:
            _mark_in_queue(request, QUEUE_REFUSED)
        return refused(request, order.number, error.message, error=error)
    messages.success(request, done % {"number": order.number})
    return _back(request, order)


@require_POST
def place_hold(request, number: str):
    require_permission(request, "orders.add_orderhold")
    order = order_for_user(user=request.user, number=number)
    return _hold_change(
        request,
        order,
        HoldForm(request.POST),
        lambda data: holds.place_hold(
            order=order, by=request.user, code=data["code"], note=data["note"]
        ),
        _("Sales order %(number)s is on hold."),
    )


@require_POST
def check_out_hold(request, number: str):
    require_permission(request, "orders.clear_hold")
    order = order_for_user(user=request.user, number=number)
    _mark_in_queue(request)
    return _hold_change(
        request,
        order,
        CheckOutForm(request.POST),
        lambda data: holds.check_out_hold(order=order, by=request.user, hold_id=data["hold"]),
        _("You are working the hold on %(number)s."),
    )


@require_POST
def clear_hold(request, number: str):
    require_permission(request, "orders.view_salesorder")
    order = order_for_user(user=request.user, number=number)
    _mark_in_queue(request)
    return _hold_change(
        request,
        order,
        ClearHoldForm(request.POST),
        lambda data: holds.clear_hold(
            order=order, by=request.user, hold_id=data["hold"], reason=data["reason"]
        ),
        _("The hold on %(number)s is cleared."),
        reason=True,
    )


@require_POST
def release_order(request, number: str):
    require_permission(request, "orders.release_order")
    order = order_for_user(user=request.user, number=number)
    try:
        holds.release_order(order=order, by=request.user)
    except OrderError as error:
        return refused(request, order.number, error.message, error=error)
    else:
        messages.success(
            request,
            _("Sales order %(number)s is released to fulfilment.") % {"number": order.number},
        )
    return redirect("orders:detail", number=order.number)


@require_GET
@channel_user_required
def hold_queue(request):
    require_permission(request, "orders.view_hold_queue")
    # the centers whose holds their role there lets them see (a supervisor of one center
    # who is a clerk of another sees the first's holds only)
    centers = centers_where(request, "orders.view_hold_queue")
    if not centers:
        raise PermissionDenied
    # the orders of the user's active call centers (``orders_visible_to``), by the call
    # center each hold carries: counted and paged from the open holds' own index
    queryset = (
        OrderHold.objects.open()
        .filter(call_center__in=[center.pk for center in centers])
        .select_related("code", "order__customer", "order__call_center", "created_by")
        .select_related("checked_out_by")
        .order_by("created_at", "pk")
    )
    queue = HoldQueueFilter(
        request.GET or None,
        queryset=queryset,
        call_centers=CallCenter.objects.filter(pk__in=[c.pk for c in centers]),
    )
    filtered = queue.is_bound and queue.is_valid()
    rows = queue.qs if filtered else queue.queryset
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    narrowed = filtered and any(
        request.GET.get(name) for name in ("code", "call_center", "age", "amount_min", "amount_max")
    )
    return render(
        request,
        "orders/hold_queue.html",
        {
            "queue": queue,
            "page": page,
            "next": request.get_full_path(),
            "narrowed": narrowed,
            "focus_hold": request.session.pop(QUEUE_FOCUS, ""),
            "refused_hold": request.session.pop(QUEUE_REFUSED, ""),
        },
        status=400 if queue.errors else 200,
    )


def _lines_to_ship(request):
    """Each line to ship as a dict of ``FULFILMENT_COLUMNS``, a missing value as ""."""
    names = [name for name, _lookup in FULFILMENT_COLUMNS]
    # the centers whose role there exports for the warehouse
    centers = [center.pk for center in centers_where(request, "orders.export_fulfilment")]
    for row in lines_to_ship(request.user, call_center_ids=centers):
        yield {name: "" if value is None else value for name, value in zip(names, row, strict=True)}


# the warehouse's file: one row per line to ship, its order's fields repeated
CSV_COLUMNS = [
    "number",
    "warehouse",
    "customer",
    "name",
    "delivery_address",
    "mode_of_delivery",
    "line",
    "item",
    "quantity",
]
# the JSON: each order's fields, then its lines', as FULFILMENT_COLUMNS reads them
ORDER_FIELDS = [name for name, lookup in FULFILMENT_COLUMNS if lookup.startswith("order__")]
LINE_FIELDS = [name for name, lookup in FULFILMENT_COLUMNS if not lookup.startswith("order__")]


@require_GET
@channel_user_required
def fulfilment_csv(request):
    """Released orders, one row per line to ship, for the warehouse; streamed as read."""
    require_permission(request, "orders.export_fulfilment")
    rows = itertools.chain(
        [CSV_COLUMNS], ([line[name] for name in CSV_COLUMNS] for line in _lines_to_ship(request))
    )
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fulfilment.csv"'
    return response


def _orders_to_ship(request):
    """``{"orders": [...]}`` written out an order at a time, with its lines to ship."""
    yield '{"orders": ['
    by_order = itertools.groupby(_lines_to_ship(request), key=itemgetter("number"))
    for position, (_number, lines) in enumerate(by_order):
        lines = list(lines)
        order = {name: lines[0][name] for name in ORDER_FIELDS}
        order["lines"] = [{name: line[name] for name in LINE_FIELDS} for line in lines]
        yield ("," if position else "") + json.dumps(order)
    yield "]}"


@require_GET
@channel_user_required
def fulfilment_json(request):
    """Released orders with their lines to ship, for the warehouse; streamed as read."""
    require_permission(request, "orders.export_fulfilment")
    return StreamingHttpResponse(_orders_to_ship(request), content_type="application/json")
