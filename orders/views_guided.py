"""Guided selling pages: upsell answers on the order page, catalog requests and their
mail house export, quick quotes. Views parse input, call one service, and render."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from callcenter.access import (
    channel_user_required,
    companies_of,
    current_call_center,
    require_permission,
    role_may,
)
from callcenter.csv_export import csv_lines
from callcenter.fields import form_errors
from customers.models import Customer
from customers.views import render_customer_page

from . import guided_selling
from .errors import InvalidOrderData, OrderError
from .guided_forms import CatalogRequestFilter, CatalogRequestForm, QuickQuoteForm
from .models import CatalogRequest
from .selectors import order_for_user, reread
from .views import _render, _status_for, line_added

EXPORT_PAGE_SIZE = 50
CSV_COLUMNS = [
    ("requested_at", "requested"),
    ("customer__account_number", "account"),
    ("name", "name"),
    ("street", "street"),
    ("city", "city"),
    ("state", "state"),
    ("postal_code", "postal_code"),
    ("country", "country"),
    ("catalog__code", "catalog"),
    ("source_code__code", "source_code"),
]


def _visible_customer(request, pk: int) -> Customer:
    return get_object_or_404(
        Customer.objects.of_companies(companies_of(request)).prefetch_related("addresses"), pk=pk
    )


def _require_direct_selling(request):
    center = current_call_center(request)
    if not center.direct_selling_enabled:
        raise PermissionDenied(guided_selling.direct_selling_refusal(center))
    return center


# --- Upsell prompts on the order page ---


@require_POST
def accept_upsell(request, number: str, offer_id: int):
    require_permission(request, "orders.change_salesorder")
    order = order_for_user(user=request.user, number=number)
    try:
        line = guided_selling.accept_upsell(order=order, by=request.user, offer_id=offer_id)
    except OrderError as error:
        reread(order)
        return _render(
            request,
            order,
            partial="orders/_lines.html",
            status=_status_for(error),
            alert=error.message,
        )
    reread(order)
    if request.htmx:  # announced as a line typed in is
        announce = line_added(line, order)
        return _render(request, order, partial="orders/_lines.html", announce=announce)
    return redirect(reverse("orders:detail", args=[order.number]) + "#lines")


@require_POST
def dismiss_upsell(request, number: str):
    require_permission(request, "orders.change_salesorder")
    order = order_for_user(user=request.user, number=number)
    rule = request.POST.get("rule", "")
    # "²".isdigit() is true and int("²") fails: ASCII digits, within a database integer
    rule_id = int(rule) if re.fullmatch(r"[0-9]{1,18}", rule) else None
    guided_selling.dismiss_upsell(order=order, by=request.user, rule_id=rule_id)
    if request.htmx:
        return render(request, "orders/_upsell_prompt_response.html", {"order": order})
    return redirect(reverse("orders:detail", args=[order.number]) + "#lines")


# --- Catalog requests ---


def catalog_requests_context(request, *, customer):
    """The customer page's catalog requests section; None (hidden) without direct selling."""
    center = current_call_center(request)
    if center is None or not center.direct_selling_enabled:
        return None
    requests_ = customer.catalog_requests.select_related("catalog", "source_code", "requested_by")
    return {
        "catalog_requests": requests_[:10],
        "catalog_request_form": CatalogRequestForm(customer=customer, call_center=center),
        "can_request": role_may(request.user, "orders.add_catalogrequest", center),
        "can_export": role_may(request.user, "orders.export_catalogrequest", center),
    }


@require_POST
@channel_user_required
def catalog_request_create(request, customer_pk: int):
    require_permission(request, "orders.add_catalogrequest")
    center = _require_direct_selling(request)
    customer = _visible_customer(request, customer_pk)
    form = CatalogRequestForm(request.POST, customer=customer, call_center=center)
    if not form.is_valid():
        errors = form_errors(form)
        return render_customer_page(request, customer, alert=errors, status=400)
    try:
        catalog_request = guided_selling.record_catalog_request(
            customer=customer,
            call_center=center,
            catalog=form.cleaned_data["catalog"],
            source_code=form.cleaned_data["source_code"],
            address=form.cleaned_data["address"],
            by=request.user,
        )
    except OrderError as error:
        status = 400 if isinstance(error, InvalidOrderData) else 409
        return render_customer_page(request, customer, alert=error.message, status=status)
    messages.success(
        request,
        _("Catalog %(name)s will be mailed to %(customer)s.")
        % {"name": catalog_request.catalog.name, "customer": customer.name},
    )
    return redirect(reverse("customers:detail", args=[customer.pk]) + "#catalog-requests")


def _requests_filter(request, center):
    queryset = CatalogRequest.objects.filter(call_center=center).select_related(
        "customer", "catalog", "source_code", "requested_by"
    )
    data = request.GET if request.method == "GET" else request.POST
    return CatalogRequestFilter(data or None, queryset=queryset, call_center=center)


@require_GET
@channel_user_required
def catalog_requests(request):
    """The requests of the current call center, by date, for the mail house export."""
    center = _require_direct_selling(request)
    require_permission(request, "orders.export_catalogrequest", call_center=center)
    filtered = _requests_filter(request, center)
    rows = filtered.qs if filtered.is_bound and filtered.is_valid() else filtered.queryset
    page = Paginator(rows, EXPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/catalog_requests.html",
        {"filter": filtered, "page": page, "call_center": center},
        status=400 if filtered.is_bound and not filtered.is_valid() else 200,
    )


@require_POST
@channel_user_required
def catalog_requests_export(request):
    """Stream the filtered requests as CSV and mark the new ones exported.

    Marked first, in one statement, then streamed: a request is in the file
    that marked it, and never again unless already-exported ones are asked for.
    """
    center = _require_direct_selling(request)
    require_permission(request, "orders.export_catalogrequest", call_center=center)
    filtered = _requests_filter(request, center)
    if not filtered.is_valid():
        return redirect("orders:catalog_requests")
    now = timezone.now()
    matching = filtered.qs
    if request.POST.get("include_exported") == "on":
        # what matched before the marking: the rows marked now may no longer match a status
        rows = filtered.queryset.filter(Q(pk__in=matching.values("pk")) | Q(exported_at=now))
    else:
        rows = filtered.queryset.filter(exported_at=now)
    guided_selling.mark_exported(matching, at=now)
    values = rows.order_by("requested_at", "pk").values_list(*[c for c, _h in CSV_COLUMNS])

    def rows():
        yield [header for _c, header in CSV_COLUMNS]
        for row in values.iterator(chunk_size=2000):
            yield [row[0].isoformat(timespec="seconds"), *row[1:]]

    response = StreamingHttpResponse(csv_lines(rows()), content_type="text/csv; charset=utf-8")
    filename = f"catalog-requests-{center.code}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Quick quote ---


def quick_quote_context(request, *, customer):
    """The customer page's "Quick quote" action."""
    return {} if request.user.has_perm("orders.add_salesorder") else None


@require_http_methods(["GET"])
@channel_user_required
def quick_quote(request, customer_pk: int):
    """Price and availability of items for the customer, without creating an order."""
    require_permission(request, "orders.add_salesorder")
    customer = _visible_customer(request, customer_pk)
    center = current_call_center(request)
    form = QuickQuoteForm(request.GET if "items" in request.GET else None, call_center=center)
    quote, alert, status = None, "", 200
    if form.is_bound:
        if form.is_valid():
            try:
                quote = guided_selling.quick_quote(
                    customer=customer,
                    call_center=center,
                    by=request.user,
                    items=form.cleaned_data["items"],
                    delivery_mode=form.cleaned_data["delivery_mode"],
                    source_code=form.cleaned_data.get("source_code"),
                )
            except OrderError as error:
                alert, status = error.message, _status_for(error)
        else:
            status = 400
    return render(
        request,
        "orders/quick_quote.html",
        {"customer": customer, "form": form, "quote": quote, "alert": alert},
        status=status,
    )
