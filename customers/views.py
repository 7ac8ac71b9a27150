from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from callcenter.access import channel_user_required

from .forms import CustomerSearchForm, CustomerSelectForm
from .models import Customer
from .selectors import customer_search

RESULTS_PER_PAGE = 25


@require_GET
@channel_user_required
def customer_service(request):
    """The page every call starts on: search the caller, pick them from the results."""
    form = CustomerSearchForm(request.GET or None)
    page = None
    if form.is_valid():
        results = customer_search(query=form.cleaned_data["q"])
        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    status = 400 if form.is_bound and not form.is_valid() else 200
    context = {
        "form": form,
        "page": page,
        "select_form": CustomerSelectForm(),
    }
    return render(request, "customers/service.html", context, status=status)


@require_GET
@channel_user_required
def customer_select(request):
    form = CustomerSelectForm(request.GET)
    if form.is_valid():
        return redirect("customers:detail", pk=form.cleaned_data["customer"].pk)
    search_form = CustomerSearchForm(request.GET if request.GET.get("q") else None)
    page = None
    if search_form.is_valid():
        results = customer_search(query=search_form.cleaned_data["q"])
        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": search_form,
        "page": page,
        "select_form": form,
    }
    return render(request, "customers/service.html", context, status=400)


@require_GET
@channel_user_required
def customer_detail(request, pk: int):
    customer = get_object_or_404(Customer.objects.prefetch_related("addresses"), pk=pk)
    return render(request, "customers/customer_detail.html", {"customer": customer})
