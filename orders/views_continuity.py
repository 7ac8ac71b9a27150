"""The customer page's enrolment actions: skip the next event, change the delivery
address, cancel. Plain form posts answered by the customer page (with the refusal in
an alert) or a redirect back to it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from callcenter.access import require_permission
from callcenter.fields import form_errors
from customers.views import render_customer_page

from . import continuity
from .continuity_forms import EnrolmentAddressForm, EnrolmentCancelForm, EnrolmentForm
from .errors import InvalidOrderData, OrderError


def _enrolment(request, pk: int):
    require_permission(request, "orders.change_salesorder")
    return get_object_or_404(
        continuity.enrolments_visible_to(request.user).select_related("customer", "program"),
        pk=pk,
    )


def _refused(request, enrolment, form=None, error=None):
    if error is not None:
        alert, status = error.message, 400 if isinstance(error, InvalidOrderData) else 409
    else:
        alert = form_errors(form)
        status = 400
    return render_customer_page(request, enrolment.customer, alert=alert, status=status)


def _done(request, enrolment, message):
    messages.success(request, message)
    return redirect(reverse("customers:detail", args=[enrolment.customer_id]) + "#enrolments")


@require_POST
def enrolment_skip(request, pk: int):
    enrolment = _enrolment(request, pk)
    form = EnrolmentForm(request.POST)
    if not form.is_valid():
        return _refused(request, enrolment, form)
    try:
        enrolment = continuity.skip_next(
            enrolment=enrolment, by=request.user, version=form.cleaned_data["version"]
        )
    except OrderError as error:
        return _refused(request, enrolment, error=error)
    return _done(
        request,
        enrolment,
        _("The next event of %(program)s was skipped.") % {"program": enrolment.program.name},
    )


@require_POST
def enrolment_address(request, pk: int):
    enrolment = _enrolment(request, pk)
    form = EnrolmentAddressForm(request.POST, customer=enrolment.customer)
    if not form.is_valid():
        return _refused(request, enrolment, form)
    try:
        enrolment = continuity.change_address(
            enrolment=enrolment,
            by=request.user,
            version=form.cleaned_data["version"],
            address=form.cleaned_data["address"],
        )
    except OrderError as error:
        return _refused(request, enrolment, error=error)
    return _done(
        request,
        enrolment,
        _("The next events of %(program)s ship to %(address)s.")
        % {"program": enrolment.program.name, "address": enrolment.delivery_address},
    )


@require_POST
def enrolment_cancel(request, pk: int):
    enrolment = _enrolment(request, pk)
    form = EnrolmentCancelForm(request.POST)
    if not form.is_valid():
        return _refused(request, enrolment, form)
    try:
        enrolment = continuity.cancel_enrolment(
            enrolment=enrolment,
            by=request.user,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except OrderError as error:
        return _refused(request, enrolment, error=error)
    return _done(
        request,
        enrolment,
        _("The enrolment in %(program)s was cancelled: no further events.")
        % {"program": enrolment.program.name},
    )
