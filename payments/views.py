"""The order summary, payment capture and submit.

With htmx the summary and payment dialogs are swapped into the page's dialog
host; without JavaScript each is a page of its own and every post redirects.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, retarget

from callcenter.access import require_permission
from orders import services as order_services
from orders.errors import OrderError
from orders.selectors import order_for_user

from . import services
from .forms import PaymentForm, SubmitForm
from .selectors import order_summary


def _order(request, number: str, *, permission: str, completion: bool = True):
    """The order, for a channel user whose role carries ``permission``.

    The summary and payment capture belong to the Order completion feature
    group: when the order's call center has it off, they are refused.
    """
    require_permission(request, permission)
    order = order_for_user(user=request.user, number=number)
    if completion and not order.call_center.order_completion_enabled:
        raise PermissionDenied(
            _(
                "Order completion is off in call center %(code)s: "
                "orders are submitted without payment capture."
            )
            % {"code": order.call_center.code}
        )
    return order


def _summary(request, order, *, status=200, alert=None, submit_form=None):
    context = {
        "order": order,
        "summary": order_summary(order=order),
        "submit_form": submit_form or SubmitForm(),
        "alert": alert,
    }
    template = "payments/_summary_dialog.html" if request.htmx else "payments/summary.html"
    return render(request, template, context, status=status)


def _payment(request, order, form, *, status=200, alert=None):
    context = {"order": order, "form": form, "alert": alert}
    template = "payments/_payment_dialog.html" if request.htmx else "payments/payment.html"
    response = render(request, template, context, status=status)
    if request.htmx and request.method == "POST":
        response = retarget(response, "#payment-host")
    return response


@require_POST
def order_complete(request, number: str):
    order = _order(request, number, permission="orders.change_salesorder")
    try:
        order = order_services.complete_order(order=order, by=request.user)
    except OrderError as error:
        return _summary(request, order, status=409, alert=error.message)
    if request.htmx:
        return _summary(request, order)
    return redirect("payments:summary", number=order.number)


@require_GET
def summary(request, number: str):
    order = _order(request, number, permission="payments.view_payment")
    return _summary(request, order)


def _payment_form(order, data=None):
    summary = order_summary(order=order)
    initial = {"amount": summary.balance if summary.balance > 0 else None}
    return PaymentForm(data, initial=initial, call_center=order.call_center)


@require_GET
def payment_new(request, number: str):
    order = _order(request, number, permission="payments.add_payment")
    return _payment(request, order, _payment_form(order))


@require_POST
def payment_create(request, number: str):
    order = _order(request, number, permission="payments.add_payment")
    form = _payment_form(order, request.POST)
    if not form.is_valid():
        return _payment(request, order, form, status=400)
    try:
        services.add_payment(
            order=order,
            by=request.user,
            method=form.cleaned_data["method"],
            amount=form.cleaned_data["amount"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except OrderError as error:
        form.add_error(None, error.message)
        return _payment(request, order, form, status=409)
    order.refresh_from_db()
    if request.htmx:
        return _summary(request, order)
    return redirect("payments:summary", number=order.number)


@require_POST
def order_submit(request, number: str):
    order = _order(request, number, permission="orders.change_salesorder", completion=False)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _summary(request, order, status=400, alert=form.errors.as_text())
    try:
        order = services.submit_order(
            order=order,
            by=request.user,
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except OrderError as error:
        order.refresh_from_db()
        return _summary(request, order, status=409, alert=error.message)
    if request.htmx:
        return HttpResponseClientRedirect(order_url(order))
    return redirect(order_url(order))


def order_url(order) -> str:
    return reverse("orders:detail", args=[order.number])
