"""The order summary, payment capture and submit.

With htmx the summary and payment dialogs are swapped into the page's dialog
host; without JavaScript each is a page of its own and every post redirects.
"""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseLocation, retarget

from callcenter.access import require_permission
from callcenter.fields import form_errors, labelled_form_errors
from callcenter.money import format_money
from callcenter.redirects import posted_next
from orders import services as order_services
from orders.errors import OrderError
from orders.selectors import order_for_user, order_read, order_to_change, reread
from orders.views import refused

from . import services
from .errors import GatewayUnavailable, PaymentDeclined
from .forms import CancelForm, PaymentForm, RefundForm, ReturnForm, SubmitForm
from .selectors import order_summary

# the card's secrets are left out of error reports (they are never stored or logged)
CARD_FIELDS = ("card_number", "card_cvv", "card_expiry")


def _order(
    request, number: str, *, permission: str, completion: bool = True, to_service: bool = False
):
    """The order, for a channel user whose role carries ``permission``.

    The summary and payment capture belong to the Order completion feature
    group: when the order's call center has it off, they are refused.
    ``to_service``: the order goes to a service, which reads it under its lock; it may
    be left unread here (``order_to_change``), and ``order_read`` reads it for a page.
    """
    require_permission(request, permission)
    if to_service:
        order = order_to_change(user=request.user, number=number)
    else:
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


def _order_summary(order):
    """The order's summary, each counted payment with its Refund (or Void) form."""
    summary = order_summary(order=order)
    for payment in summary.payments:
        # one key per button: each refund is a request of its own
        payment.refund_form = RefundForm(
            initial={"payment": payment.pk}, auto_id=f"refund-{payment.pk}-%s"
        )
    return summary


def _summary(request, order, *, status=200, alert=None, submit_form=None, notice=None):
    summary = _order_summary(order)
    context = {
        "order": order,
        "summary": summary,
        "submit_form": submit_form or SubmitForm(),
        "alert": alert,
        "notice": notice,
    }
    template = "payments/_summary_dialog.html" if request.htmx else "payments/summary.html"
    return render(request, template, context, status=status)


def _payment(request, order, form, *, status=200, alert=None, recorded=False):
    """The payment dialog. ``recorded``: the refused attempt left a payment in the ledger (a
    declined card, a pending one after a timeout); with htmx the summary behind the dialog
    gets its list of payments again (out of band), so it shows the attempt."""
    form.fields["method"].widget.attrs.update(
        {
            "hx-get": reverse("payments:payment_fields", args=[order.number]),
            "hx-target": "#tender-fields",
            "hx-trigger": "change",
        }
    )
    context = {"order": order, "form": form, "alert": alert, "only_chosen": bool(request.htmx)}
    if recorded and request.htmx:
        context["summary"] = _order_summary(order)
    template = "payments/_payment_dialog.html" if request.htmx else "payments/payment.html"
    response = render(request, template, context, status=status)
    if request.htmx and request.method == "POST":
        response = retarget(response, "#payment-host")
    return response


@require_POST
def order_complete(request, number: str):
    order = _order(request, number, permission="orders.change_salesorder", to_service=True)
    try:
        order = order_services.complete_order(order=order, by=request.user)
    except OrderError as error:
        order = order_read(order, user=request.user)
        return _summary(request, order, status=409, alert=error.message)
    if request.htmx:
        return _summary(request, order)
    return redirect("payments:summary", number=order.number)


@require_GET
def summary(request, number: str):
    order = _order(request, number, permission="payments.view_payment")
    return _summary(request, order)


def _payment_form(order, data=None):
    """The payment form; a blank one offers the balance due (a posted one needs no initial)."""
    initial = {}
    if data is None:
        balance = order_summary(order=order).balance
        initial["amount"] = balance if balance > 0 else None
    return PaymentForm(data, initial=initial, call_center=order.call_center)


@require_GET
def payment_new(request, number: str):
    order = _order(request, number, permission="payments.add_payment")
    return _payment(request, order, _payment_form(order))


@require_GET
def payment_fields(request, number: str):
    """The chosen method's detail fields (card, check, gift card), swapped in by htmx."""
    order = _order(request, number, permission="payments.add_payment")
    form = _payment_form(order)
    form.initial["method"] = request.GET.get("method")
    return render(request, "payments/_tender_fields.html", {"form": form, "only_chosen": True})


@sensitive_post_parameters(*CARD_FIELDS)
@require_POST
def payment_create(request, number: str):
    order = _order(request, number, permission="payments.add_payment", to_service=True)
    form = _payment_form(order, request.POST)
    if not form.is_valid():
        form.focus_first_error()
        return _payment(request, order_read(order, user=request.user), form, status=400)
    try:
        payment = services.add_payment(
            order=order,
            by=request.user,
            method=form.cleaned_data["method"],
            amount=form.cleaned_data["amount"],
            idempotency_key=form.cleaned_data["idempotency_key"],
            card=form.card(),
            check_number=form.cleaned_data.get("check_number", ""),
            gift_card_number=form.cleaned_data.get("gift_card_number", ""),
        )
    except OrderError as error:
        if isinstance(error, PaymentDeclined):
            # the declined payment is final: another card is another payment
            form = _payment_form(order, _with_new_key(request.POST))
            form.is_valid()
            form.errors.clear()  # the blanked card fields are to fill in, not mistakes
            form.focus_on("card_number")
        form.add_error(None, error.message)
        recorded = isinstance(error, (PaymentDeclined, GatewayUnavailable))
        order = order_read(order, user=request.user)
        return _payment(request, order, form, status=409, recorded=recorded)
    order = payment.order  # as the service left it
    notice = None
    if payment.change_due:
        notice = _("Change due: %(amount)s") % {"amount": format_money(payment.change_due)}
    if request.htmx:
        return _summary(request, order, notice=notice)
    if notice:
        messages.success(request, notice)
    return redirect("payments:summary", number=order.number)


def _with_new_key(data):
    data = data.copy()
    for name in ("card_number", "card_cvv"):
        data.pop(name, None)
    data["idempotency_key"] = str(uuid.uuid4())
    return data


@require_POST
def payment_refund(request, number: str):
    """Void an authorized payment or refund a captured one (whole or part), before release."""
    order = _order(request, number, permission="payments.add_payment")
    form = RefundForm(request.POST)
    if not form.is_valid():
        return _summary(request, order, status=400, alert=form_errors(form))
    try:
        payment = services.refund_payment(
            order=order,
            by=request.user,
            payment_id=form.cleaned_data["payment"],
            amount=form.cleaned_data["amount"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except OrderError as error:
        reread(order)
        return _summary(request, order, status=409, alert=error.message)
    reread(order)
    if payment.counts and form.cleaned_data["amount"]:  # a part refunded: the rest stays
        notice = _("Refunded %(amount)s of %(payment)s.") % {
            "amount": format_money(form.cleaned_data["amount"]),
            "payment": str(payment.method),
        }
    else:
        notice = _("%(payment)s: %(status)s.") % {
            "payment": str(payment.method),
            "status": payment.get_status_display(),
        }
    if request.htmx:
        return _summary(request, order, notice=notice)
    messages.success(request, notice)
    return redirect("payments:summary", number=order.number)


@require_POST
def order_cancel(request, number: str):
    """Cancel the order and release its payments; back to the order page either way."""
    order = _order(request, number, permission="orders.change_salesorder", completion=False)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return refused(request, order.number, form_errors(form))
    try:
        services.cancel_order(
            order=order,
            by=request.user,
            reason=form.cleaned_data["reason"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except OrderError as error:
        return refused(request, order.number, error.message, error=error)
    messages.success(request, _("Sales order %(number)s is cancelled.") % {"number": order.number})
    back = posted_next(request)
    if back and not request.htmx:
        return redirect(back)  # the hold queue's page the form was on
    return _to_order_page(request, order)


@require_POST
def order_submit(request, number: str):
    order = _order(
        request, number, permission="orders.change_salesorder", completion=False, to_service=True
    )
    form = SubmitForm(request.POST)
    if not form.is_valid():
        order = order_read(order, user=request.user)
        return _summary(request, order, status=400, alert=form_errors(form))
    try:
        order = services.submit_order(
            order=order,
            by=request.user,
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except OrderError as error:
        # a refusal is recorded in the order's history: shown as the order now is
        order = order_read(order, user=request.user, again=True)
        return _summary(request, order, status=409, alert=error.message)
    # said on the order page it goes back to (role="status"): the clerk hears it is done,
    # and that it waits for a supervisor when it is on hold (the holds the submit left open,
    # which the service hands back: no query of its own)
    held = order.open_holds_at_submit
    if held:
        messages.success(
            request,
            _(
                "Sales order %(number)s is submitted and on hold (%(holds)s): "
                "a supervisor must clear it before it is released."
            )
            % {
                "number": order.number,
                "holds": "; ".join(
                    _("%(code)s: %(note)s") % {"code": hold.code.code, "note": hold.shown_note}
                    if hold.shown_note
                    else hold.code.code
                    for hold in held
                ),
            },
        )
    else:
        messages.success(
            request, _("Sales order %(number)s is submitted.") % {"number": order.number}
        )
    return _to_order_page(request, order)


def _to_order_page(request, order):
    """Back to the order page: with htmx its content is fetched and swapped in (no reload)."""
    if request.htmx:
        return HttpResponseLocation(order_url(order), target="body")
    return redirect(order_url(order))


def order_url(order) -> str:
    return reverse("orders:detail", args=[order.number])


def _return_form(order, data=None):
    already = order_services.returned_quantities(order)
    lines = [
        (line, line.quantity - already.get(line.pk, 0))
        for line in order.lines.filter(cancelled_at__isnull=True).order_by("line_number")
    ]
    return ReturnForm(data, lines=[(line, left) for line, left in lines if left > 0])


#: a return made this recently is named on the return form: the page may be the one
#: the clerk came back to (the browser's Back) after making it
RECENT_RETURN = timedelta(minutes=15)


def _return_page(request, order, form, *, status=200, alert=None):
    latest = order.returns.order_by("-created_at", "-pk").first()
    recent = latest if latest and latest.created_at > timezone.now() - RECENT_RETURN else None
    context = {"order": order, "form": form, "alert": alert, "recent_return": recent}
    return render(request, "payments/return.html", context, status=status)


@require_http_methods(["GET", "POST"])
def order_return(request, number: str):
    """Create a return (RMA) of a shipped order's lines; the refund goes to its tenders."""
    order = _order(request, number, permission="orders.change_salesorder", completion=False)
    if request.method == "GET":
        try:  # the form of an order that takes no return would only be refused when sent
            order_services.ensure_returnable(order)
        except OrderError as error:
            return _return_page(request, order, None, status=409, alert=error.message)
        return _return_page(request, order, _return_form(order))
    form = _return_form(order, request.POST)
    if not form.is_valid():
        alert = labelled_form_errors(form)  # which line's quantity
        return _return_page(request, order, form, status=400, alert=alert)
    try:
        return_order = services.return_and_refund(
            order=order,
            by=request.user,
            reason=form.cleaned_data["reason"],
            quantities=form.quantities(),
            idempotency_key=form.cleaned_data["idempotency_key"],
            note=form.cleaned_data["note"],
        )
    except OrderError as error:
        return _return_page(request, order, _return_form(order), status=409, alert=error.message)
    messages.success(
        request,
        _("Return %(number)s: %(amount)s refunded to the original payments.")
        % {"number": return_order.number, "amount": format_money(return_order.amount_refunded)},
    )
    return redirect("orders:return_detail", number=order.number, return_number=return_order.number)
