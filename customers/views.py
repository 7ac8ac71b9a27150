from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from callcenter.access import (
    channel_user_required,
    companies_of,
    current_call_center,
    require_permission,
)

from .forms import CustomerSearchForm, CustomerSelectForm
from .models import Customer
from .selectors import customer_search

RESULTS_PER_PAGE = 25


def _search_page(request, *, select_form, status=200):
    """The customer service page, with the results dialog when a search was made.

    The search covers the customers of the current call center's company.
    """
    form = CustomerSearchForm(request.GET if request.GET.get("q") is not None else None)
    page = None
    if form.is_valid():
        company = current_call_center(request).company
        results = customer_search(query=form.cleaned_data["q"], companies=[company])
        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    elif form.is_bound:
        status = 400
    context = {"form": form, "page": page, "select_form": select_form}
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
    visible = Customer.objects.of_companies(companies_of(request)).prefetch_related("addresses")
    customer = get_object_or_404(visible, pk=pk)
    return render(request, "customers/customer_detail.html", {"customer": customer})
