from django.shortcuts import render
from django.views.decorators.http import require_GET

from callcenter.access import channel_user_required

from .selectors import product_suggestions


@require_GET
@channel_user_required
def suggestions(request):
    """The item number box's suggestion list (``role="option"`` items)."""
    query = request.GET.get("item_number", "")[:50]
    products = product_suggestions(query=query)
    return render(request, "catalog/_suggestions.html", {"products": products, "query": query})
