"""Holds on the order page, the supervisors' hold queue, release, and the warehouse export.

Views parse the form, call one service in ``orders.holds`` and go back where the
user came from (the order page or the queue) with a message; a refusal is shown
in the page's alert.
"""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from callcenter.access import channel_user_required, memberships, require_permission
from callcenter.models import CallCenter

from . import holds
from .errors import OrderError
from .hold_filters import HoldQueueFilter
from .hold_forms import CheckOutForm, ClearHoldForm, HoldForm
from .models import OrderHold, SalesOrder
from .selectors import order_for_user, orders_visible_to

QUEUE_PAGE_SIZE = 25


def _back(request, order: SalesOrder):
    """Back to the page the form was on (the queue) when it said so, else the order page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse("orders:detail", args=[order.number]) + "#holds")


def _errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _hold_change(request, order: SalesOrder, form, change, done: str):
    """Run ``change(form.cleaned_data)`` on a valid form; say how it went, then go back.

    A form that does not validate (a field left out or tampered with) is said, like the
    service's refusals: nothing is changed silently or dropped without a word."""
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _back(request, order)
    try:
        change(form.cleaned_data)
    except OrderError as error:
        messages.error(request, error.message)
    else:
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
    return _hold_change(
        request,
        order,
        ClearHoldForm(request.POST),
        lambda data: holds.clear_hold(
            order=order, by=request.user, hold_id=data["hold"], reason=data["reason"]
        ),
        _("The hold on %(number)s is cleared."),
    )


@require_POST
def release_order(request, number: str):
    require_permission(request, "orders.release_order")
    order = order_for_user(user=request.user, number=number)
    try:
        holds.release_order(order=order, by=request.user)
    except OrderError as error:
        messages.error(request, error.message)
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
    centers = [member.call_center for member in memberships(request)]
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
    rows = queue.qs if queue.is_bound and queue.is_valid() else queue.queryset
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/hold_queue.html",
        {"queue": queue, "page": page, "next": request.get_full_path()},
    )


def _released_orders(request):
    return (
        orders_visible_to(request.user)
        .filter(status=SalesOrder.Status.PROCESSING)
        .select_related("customer", "delivery_mode", "call_center")
        .prefetch_related("lines")
        .order_by("submitted_at", "pk")
    )


@require_GET
@channel_user_required
def fulfilment_csv(request):
    """Released orders, one row per line, for the warehouse."""
    require_permission(request, "orders.export_fulfilment")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fulfilment.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "number",
            "customer",
            "name",
            "delivery_address",
            "mode_of_delivery",
            "line",
            "item",
            "quantity",
        ]
    )
    for order in _released_orders(request):
        for line in order.lines.all():
            writer.writerow(
                [
                    order.number,
                    order.customer.account_number,
                    order.customer.name,
                    order.delivery_address,
                    order.delivery_mode.code if order.delivery_mode else "",
                    line.line_number,
                    line.item_number,
                    line.quantity,
                ]
            )
    return response


@require_GET
@channel_user_required
def fulfilment_json(request):
    require_permission(request, "orders.export_fulfilment")
    return JsonResponse(
        {
            "orders": [
                {
                    "number": order.number,
                    "call_center": order.call_center.code,
                    "customer": order.customer.account_number,
                    "name": order.customer.name,
                    "delivery_address": order.delivery_address,
                    "mode_of_delivery": order.delivery_mode.code if order.delivery_mode else "",
                    "lines": [
                        {
                            "line": line.line_number,
                            "item": line.item_number,
                            "quantity": line.quantity,
                        }
                        for line in order.lines.all()
                    ],
                }
                for order in _released_orders(request)
            ]
        }
    )
