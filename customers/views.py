from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from callcenter.access import (
    channel_user_required,
    companies_of,
    current_call_center,
    require_permission,
    role_may,
)
from callcenter.pagination import CountedPaginator

from . import privacy, services
from .errors import ConcurrentCustomerEdit, CustomerErased
from .filters import CustomerResultsFilter, keep_group_options
from .forms import CustomerForm, CustomerSearchForm, CustomerSelectForm, NoteForm
from .models import Customer, CustomerEvent
from .normalize import digits_only, phone_suffixes
from .selectors import MIN_PHONE_DIGITS, customer_search, possible_duplicates, within_limit

RESULTS_PER_PAGE = 25
NOTES_SHOWN = 20
EVENTS_SHOWN = 10
# the page shows what changed; who looked or exported is the audit trail in the admin
HISTORY_SHOWN = [
    CustomerEvent.Type.CREATED,
    CustomerEvent.Type.CHANGED,
    CustomerEvent.Type.NOTE_ADDED,
    CustomerEvent.Type.ERASED,
]


def _search_page(request, *, select_form, status=200):
    """The customer service page, with the results dialog when a search was made.

    The search covers the customers of the current call center's company.
    """
    if request.GET.get("q") is not None:
        form = CustomerSearchForm(request.GET)
    else:  # back from the results: the box keeps what was typed, to change a word of it
        form = CustomerSearchForm(initial={"q": request.GET.get("again", "")[:200]})
    page = filters = broad = None
    if form.is_valid():
        center = current_call_center(request)
        results = customer_search(query=form.cleaned_data["q"], companies=[center.company])
        filters = CustomerResultsFilter(request.GET, queryset=results)
        keep_group_options(filters, center)
        if filters.is_valid():
            results = filters.qs
        results = within_limit(results)
        if results is None:  # none listed: the clerk adds a word or narrows the results
            broad = settings.CUSTOMER_SEARCH_LIMIT
            results = Customer.objects.none()
        page = CountedPaginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    elif form.is_bound:
        status = 400
    context = {
        "form": form,
        "page": page,
        "select_form": select_form,
        "filters": filters,
        "too_many": broad,
    }
    return render(request, "customers/service.html", context, status=status)


@require_GET
@channel_user_required
def customer_service(request):
    """The page every call starts on: search the caller, pick them from the results."""
    require_permission(request, "customers.view_customer")
    return _search_page(request, select_form=CustomerSelectForm(companies=companies_of(request)))


@require_GET
@channel_user_required
def customer_select(request):
    require_permission(request, "customers.view_customer")
    form = CustomerSelectForm(request.GET, companies=companies_of(request))
    if form.is_valid():
        return redirect("customers:detail", pk=form.cleaned_data["customer"].pk)
    return _search_page(request, select_form=form, status=400)


@require_GET
@channel_user_required
def customer_detail(request, pk: int):
    require_permission(request, "customers.view_customer")
    customer = _visible_customer(request, pk)
    privacy.record_view(customer=customer, by=request.user)
    return render_customer_page(request, customer)


def render_customer_page(
    request, customer: Customer, *, alert: str = "", status: int = 200, note_form=None
):
    """The customer page; other apps render it too, with an alert, when an action from it
    is refused (a new sales order for a blocked customer)."""
    context = {
        "customer": customer,
        "notes": customer.notes.select_related("author")[:NOTES_SHOWN],
        "events": customer.events.filter(type__in=HISTORY_SHOWN)
        .select_related("user")
        .order_by("-created_at", "-pk")[:EVENTS_SHOWN],
        "note_form": note_form or NoteForm(),
        "alert": alert,
    }
    return render(request, "customers/customer_detail.html", context, status=status)


def _visible_customer(request, pk: int) -> Customer:
    visible = Customer.objects.of_companies(companies_of(request))
    return get_object_or_404(visible.prefetch_related("addresses"), pk=pk)


def _may_set_credit_limit(request) -> bool:
    """Whether the user's role in the call center they work in gives credit (supervisors)."""
    return role_may(request.user, "customers.set_credit_limit", current_call_center(request))


@require_http_methods(["GET", "POST"])
@channel_user_required
def customer_create(request):
    """A new customer during a call; possible duplicates are shown before anything is saved."""
    require_permission(request, "customers.add_customer")
    company = current_call_center(request).company
    form = CustomerForm(
        request.POST or None,
        initial={"phone": request.GET.get("phone", "")},
        may_set_credit_limit=_may_set_credit_limit(request),
    )
    duplicates = []
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["confirm_new"]:
            duplicates = list(
                possible_duplicates(
                    company=company,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                    email=form.cleaned_data["email"],
                    postal_code=form.cleaned_data["postal_code"],
                )
            )
        if not duplicates:
            customer = services.create_customer(
                company=company,
                by=request.user,
                customer=form.customer_values(),
                address=form.address_values(),
            )
            messages.success(
                request,
                _("Customer %(account)s created.") % {"account": customer.account_number},
            )
            return redirect("customers:detail", pk=customer.pk)
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    context = {"form": form, "duplicates": duplicates, "customer": None}
    return render(request, "customers/customer_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@channel_user_required
def customer_edit(request, pk: int):
    require_permission(request, "customers.change_customer")
    customer = _visible_customer(request, pk)
    try:
        services.ensure_not_erased(customer)
    except CustomerErased as error:  # the customer page says why, with no edit on it
        return render_customer_page(request, customer, alert=error.message, status=409)
    may_set_credit_limit = _may_set_credit_limit(request)
    form = CustomerForm(
        request.POST or None, customer=customer, may_set_credit_limit=may_set_credit_limit
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_customer(
                customer=customer,
                by=request.user,
                values=form.customer_values(),
                address=form.address_values(),
                version=form.cleaned_data["version"],
            )
        except CustomerErased as error:  # erased meanwhile
            customer = _visible_customer(request, pk)
            return render_customer_page(request, customer, alert=error.message, status=409)
        except ConcurrentCustomerEdit as error:
            # the customer as they are now, with their current version, to change again
            customer = _visible_customer(request, pk)
            form = CustomerForm(customer=customer, may_set_credit_limit=may_set_credit_limit)
            context = {"form": form, "duplicates": [], "customer": customer}
            context["alert"] = error.message
            return render(request, "customers/customer_form.html", context, status=409)
        messages.success(request, _("Customer %(account)s saved.") % {"account": customer})
        return redirect("customers:detail", pk=customer.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "duplicates": [], "customer": customer}
    return render(request, "customers/customer_form.html", context, status=status)


@require_POST
@channel_user_required
def note_add(request, pk: int):
    require_permission(request, "customers.add_customernote")
    customer = _visible_customer(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render_customer_page(
            request,
            customer,
            alert=_("The note was not added: %(error)s") % {"error": " ".join(form.errors["text"])},
            status=400,
            note_form=form,
        )
    try:
        services.add_note(customer=customer, by=request.user, text=form.cleaned_data["text"])
    except CustomerErased as error:
        customer = _visible_customer(request, pk)
        return render_customer_page(request, customer, alert=error.message, status=409)
    return redirect(reverse("customers:detail", args=[customer.pk]) + "#notes")


@require_GET
@channel_user_required
def lookup(request):
    """Screen-pop for telephony: the caller's number opens their page, the results, or a new
    customer form with the number filled in."""
    require_permission(request, "customers.view_customer")
    phone = request.GET.get("phone", "").strip()[:40]
    digits = digits_only(phone)
    if len(digits) < MIN_PHONE_DIGITS:
        return redirect("customers:service")
    company = current_call_center(request).company
    same_number = Q()
    for suffix in phone_suffixes(digits):  # typed the national way too: "01 23 45 67 89"
        same_number |= Q(phone_digits__endswith=suffix[-10:])
    matches = list(
        Customer.objects.filter(same_number, company=company).values_list("pk", flat=True)[:2]
    )
    if len(matches) == 1:
        return redirect("customers:detail", pk=matches[0])
    if matches:
        return redirect(reverse("customers:service") + "?" + urlencode({"q": phone}))
    return redirect(reverse("customers:create") + "?" + urlencode({"phone": phone}))
