"""Sales order pages. Views parse input, call one service, and render.

The same view answers htmx (a partial: the header, the lines, the totals) and a
plain form post (a redirect back to the full page), so the page works without
JavaScript.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from callcenter.access import (
    channel_user_required,
    companies_of,
    current_call_center,
    require_permission,
)
from callcenter.fields import form_errors, labelled_form_errors
from callcenter.htmx import said_in_place
from callcenter.money import format_money
from callcenter.redirects import posted_next
from customers.models import Customer
from customers.selectors import delivery_addresses
from customers.views import render_customer_page

from . import services
from .errors import ConcurrentEdit, InvalidOrderData, OrderError
from .forms import (
    AddLineForm,
    CancelLineForm,
    CouponForm,
    HeaderForm,
    LineQuantityForm,
    PriceOverrideForm,
    RemoveLineForm,
)
from .history import asks_for_everything, timeline
from .models import SalesOrder
from .selectors import (
    order_for_user,
    order_lines,
    order_read,
    order_to_change,
    override_reasons,
)


def _header_form(order, data=None):
    initial = {
        "delivery_mode": order.delivery_mode_id,
        "source_code": order.source_code_id,
        "delivery_address": order.delivery_address,
        "delivery_country": order.delivery_country,
        "delivery_state": order.delivery_state,
        "version": order.version,
    }
    return HeaderForm(
        data,
        initial=initial,
        call_center=order.call_center,
        addresses=delivery_addresses(order.customer_id) if order.is_amendable else None,
    )


def _line_form(order, data=None):
    return AddLineForm(data, call_center=order.call_center)


LINES = "orders/_lines.html"
COUPON = "orders/_coupon.html"


def _render(
    request,
    order,
    *,
    partial=None,
    status=200,
    header_form=None,
    line_form=None,
    alert=None,
    coupon_form=None,
    override_form=None,
    line_error=None,
    announce=None,
):
    context = {
        "order": order,
        "lines": order_lines(order),
        # built when a template shows them: the lines' partial shows neither
        "header_form": header_form or SimpleLazyObject(lambda: _header_form(order)),
        "line_form": line_form or _line_form(order),
        "coupon_form": coupon_form or SimpleLazyObject(CouponForm),
        "override_form": override_form,
        # a line's change refused for one of its fields: that line's box is open on it
        "line_error": line_error,
        # a change made: said to a screen reader (the page's polite live region)
        "announce": announce,
        "override_reasons": [
            (str(reason.pk), reason.description) for reason in override_reasons(order.call_center)
        ],
        "alert": alert,
        # only a shipped order has returns: a draft's page does not look for them
        "returns": (
            order.returns.select_related("reason").order_by("created_at", "pk")
            if order.status != SalesOrder.Status.DRAFT
            else ()
        ),
    }
    if request.htmx and partial:
        return render(request, partial, context, status=status)
    # the whole page (opened, or swapped in after a submit): a submitted order's new
    # line box does not take the focus, an edit of it does once the clerk is in it
    context["full_page"] = True
    return render(request, "orders/order_detail.html", context, status=status)


def _status_for(error: OrderError) -> int:
    return 400 if isinstance(error, InvalidOrderData) else 409


def refused(request, number: str, message, *, error: OrderError | None = None):
    """The answer to a refused form of the order page (cancel, holds, release): 409, or
    400 for a form that does not validate or a value the order cannot take. The message
    is said in place to an htmx click; a plain post gets the order page with the message
    in its alert; a plain post from the hold queue (its ``next``) goes back there, the
    message said on it. Nothing was changed."""
    back = posted_next(request)
    if back and not request.htmx:
        messages.error(request, message)
        return redirect(back)
    status = 400 if error is None else _status_for(error)
    said = said_in_place(request, status, str(message))
    if said is not None:
        return said
    order = order_for_user(user=request.user, number=number)
    return _render(request, order, status=status, alert=message)


@require_POST
@channel_user_required
def order_create(request, customer_pk: int):
    require_permission(request, "orders.add_salesorder")
    customer = get_object_or_404(
        Customer.objects.of_companies(companies_of(request)), pk=customer_pk
    )
    call_center = current_call_center(request)
    try:
        order = services.create_order(call_center=call_center, customer=customer, by=request.user)
    except OrderError as error:
        return render_customer_page(request, customer, alert=error.message, status=409)
    return redirect("orders:detail", number=order.number)


@require_GET
def order_detail(request, number: str):
    require_permission(request, "orders.view_salesorder")
    order = order_for_user(user=request.user, number=number)
    return _render(request, order)


@require_GET
def order_history(request, number: str):
    """The order's History section alone: the order page reads it again after a change."""
    require_permission(request, "orders.view_salesorder")
    order = order_for_user(user=request.user, number=number, customer=False)
    context = {"order": order, **timeline(order, everything=asks_for_everything(request))}
    return render(request, "orders/_order_history.html", context)


@require_POST
def order_header(request, number: str):
    require_permission(request, "orders.change_salesorder")
    order = order_for_user(user=request.user, number=number)
    form = _header_form(order, request.POST)
    if not form.is_valid():
        return _render(request, order, partial="orders/_header.html", status=400, header_form=form)
    try:
        order = services.update_header(
            order=order,
            by=request.user,
            version=form.cleaned_data["version"],
            delivery_mode=form.cleaned_data["delivery_mode"],
            source_code=form.cleaned_data.get("source_code"),
            **form.address_change(),
        )
    except OrderError as error:
        order = order_for_user(user=request.user, number=number)
        alert = error.message
        if isinstance(error, InvalidOrderData) and error.field in form.fields:
            form.add_error(error.field, error.message)
            alert = None
        elif isinstance(error, ConcurrentEdit):
            form = None  # show the order as it is now, with its current version
        return _render(
            request,
            order,
            partial="orders/_header.html",
            status=_status_for(error),
            header_form=form,
            alert=alert,
        )
    if request.htmx:
        announce = _("Header saved: mode of delivery %(mode)s, total %(total)s.") % {
            "mode": order.delivery_mode or _("(none)"),
            "total": format_money(order.total),
        }
        return _render(request, order, partial="orders/_header.html", announce=announce)
    return redirect(reverse("orders:detail", args=[order.number]) + "#header")


@require_POST
def order_add_line(request, number: str):
    require_permission(request, "orders.change_salesorder")
    order = order_to_change(user=request.user, number=number)
    form = _line_form(order, request.POST)
    if not form.is_valid():
        order = order_read(order, user=request.user)
        return _render(request, order, partial="orders/_lines.html", status=400, line_form=form)
    try:
        line = services.add_line(
            order=order,
            by=request.user,
            item_number=form.cleaned_data["item_number"],
            quantity=form.cleaned_data["quantity"],
            source_code=form.cleaned_data.get("source_code"),
            version=form.cleaned_data.get("version"),
        )
    except OrderError as error:
        alert = error.message
        if isinstance(error, InvalidOrderData) and error.field in form.fields:
            form.add_error(error.field, error.message)
            alert = None
        # after a concurrent edit, the order as it is now, with its current version
        order = order_read(order, user=request.user, again=isinstance(error, ConcurrentEdit))
        return _render(
            request,
            order,
            partial="orders/_lines.html",
            status=_status_for(error),
            line_form=form,
            alert=alert,
        )
    order = line.order  # the order as the service left it, header relations included
    if request.htmx:
        announce = line_added(line, order)
        return _render(request, order, partial="orders/_lines.html", announce=announce)
    return redirect(reverse("orders:detail", args=[order.number]) + "#lines")


def line_added(line, order) -> str:
    """What adding ``line`` did, said by the page's polite live region (``order``: after it)."""
    return _("Line %(line)s added: %(quantity)s × %(item)s %(name)s, total %(total)s.") % {
        "line": line.line_number,
        "quantity": line.quantity,
        "item": line.item_number,
        "name": line.product_name,
        "total": format_money(order.total),
    }


@require_POST
def order_remove_line(request, number: str):
    require_permission(request, "orders.change_salesorder")
    order = order_to_change(user=request.user, number=number)
    form = RemoveLineForm(request.POST)

    def done(removed, order):  # the service hands back the line it removed
        return _("Line %(line)s removed, total %(total)s.") % {
            "line": removed.line_number,
            "total": format_money(order.total),
        }

    return _line_change(request, order, form, services.remove_line, done)


def _line_change(request, order, form, service, done, **fields):
    """Run one line service with the form's line, version and ``fields``; re-show the lines.

    ``done(result, order)`` says what was done (the service's result, the order after it):
    announced to an htmx click, the notice of a plain post.

    ``order`` may be left unread or come without its customer (``order_to_change``): it
    is read again, header relations included, before the lines are shown."""
    alert, status, line_error, result = None, 200, None, None
    if form.is_valid():
        try:
            result = service(
                order=order,
                by=request.user,
                line_id=form.cleaned_data["line"],
                version=form.cleaned_data.get("version"),
                **{name: form.cleaned_data[name] for name in fields},
            )
        except OrderError as error:
            alert, status = error.message, _status_for(error)
            if isinstance(error, InvalidOrderData) and error.field in fields:
                line_error = _line_error(form, error.field, error.message)
    else:
        alert, status = labelled_form_errors(form), 400  # "Quantity: ..."
        wrong = next((name for name in fields if name in form.errors), None)
        if wrong:
            line_error = _line_error(form, wrong, form.errors[wrong][0])
    order = order_read(order, user=request.user, again=True)
    announce = done(result, order) if status == 200 else None
    if request.htmx or status != 200:
        return _render(
            request,
            order,
            partial="orders/_lines.html",
            status=status,
            alert=alert,
            line_error=line_error,
            announce=announce,
        )
    messages.success(request, announce)
    return redirect(reverse("orders:detail", args=[order.number]) + "#lines")


def _line_error(form, field: str, message) -> dict | None:
    """The line and the field of a refused line change, with what to mend: the lines
    show that line's change box open, the field marked, with the focus."""
    line = form.cleaned_data.get("line") if hasattr(form, "cleaned_data") else None
    if line is None:
        return None
    return {"line": line, "field": field, "message": message, "value": form.data.get(field, "")}


@require_POST
def order_line_quantity(request, number: str):
    require_permission(request, "orders.change_salesorder")
    order = order_to_change(user=request.user, number=number)
    return _line_change(
        request,
        order,
        LineQuantityForm(request.POST),
        services.change_quantity,
        lambda line, order: (
            _("Line %(line)s: quantity %(quantity)s, total %(total)s.")
            % {
                "line": line.line_number,
                "quantity": line.quantity,
                "total": format_money(order.total),
            }
        ),
        quantity=True,
    )


@require_POST
def order_cancel_line(request, number: str):
    require_permission(request, "orders.change_salesorder")
    order = order_to_change(user=request.user, number=number)
    return _line_change(
        request,
        order,
        CancelLineForm(request.POST),
        services.cancel_line,
        lambda line, order: (
            _("Line %(line)s cancelled, total %(total)s.")
            % {"line": line.line_number, "total": format_money(order.total)}
        ),
        reason=True,
    )


@require_POST
def order_coupon(request, number: str):
    """Apply the coupon code typed on the header, or (``remove_coupon``) take the coupon off.

    (Not ``remove``: a button of that name hides the form's own remove(), which htmx
    calls when it swaps the form.)"""
    require_permission(request, "orders.change_salesorder")
    order = order_for_user(user=request.user, number=number)
    form = CouponForm(request.POST)
    try:
        if "remove_coupon" in request.POST:
            services.remove_coupon(order=order, by=request.user)
            notice = _("Coupon removed.")
        elif form.is_valid():
            order = services.apply_coupon(
                order=order, by=request.user, code=form.cleaned_data["coupon_code"]
            )
            notice = _("Coupon %(code)s applied.") % {"code": order.coupon.code}
        else:
            alert = form_errors(form)  # said in an alert, not only under the box
            return _render(
                request, order, partial=COUPON, status=400, coupon_form=form, alert=alert
            )
    except OrderError as error:
        order = order_for_user(user=request.user, number=number)
        return _render(
            request,
            order,
            partial=COUPON,
            status=_status_for(error),
            coupon_form=form,
            alert=error.message,
        )
    if request.htmx:  # the coupon block itself says what is on the order now
        return _render(request, order_for_user(user=request.user, number=number), partial=COUPON)
    messages.success(request, notice)
    return redirect(reverse("orders:detail", args=[order.number]) + "#header")


@require_POST
def order_override_price(request, number: str):
    """Set or clear a clerk's price on one line; beyond the clerk's limit a supervisor must."""
    require_permission(request, "orders.change_salesorder")
    order = order_for_user(user=request.user, number=number)
    form = PriceOverrideForm(request.POST)
    if not form.is_valid():
        return _render(
            request,
            order,
            partial=LINES,
            status=400,
            override_form=form,
            alert=_("The price was not changed: %(errors)s") % {"errors": form_errors(form)},
        )
    data = form.cleaned_data
    try:
        services.override_price(
            order=order,
            by=request.user,
            line_id=data["line"],
            price=None if data["clear"] else data["price"],
            reason=data["reason"],
        )
    except OrderError as error:
        order = order_for_user(user=request.user, number=number)
        return _render(
            request,
            order,
            partial=LINES,
            status=_status_for(error),
            override_form=form,
            alert=error.message,
        )
    if request.htmx:
        return _render(request, order_for_user(user=request.user, number=number), partial=LINES)
    messages.success(request, _("Price changed."))
    return redirect(reverse("orders:detail", args=[order.number]) + "#lines")


@require_GET
def return_detail(request, number: str, return_number: str):
    """A return (RMA): its lines, reason, amount and history, linked to the original order."""
    require_permission(request, "orders.view_salesorder")
    order = order_for_user(user=request.user, number=number)
    return_order = get_object_or_404(
        order.returns.select_related("reason", "created_by"), number=return_number
    )
    context = {
        "order": order,
        "return_order": return_order,
        "lines": return_order.lines.select_related("line").order_by("line__line_number"),
        "events": return_order.events.select_related("user"),
    }
    return render(request, "orders/return_detail.html", context)
