from django.db.models import Q, QuerySet

from .models import Product

SUGGESTION_LIMIT = 10


def product_by_item_number(item_number: str) -> Product | None:
    """The active product with this item number, in any case ("g000123" finds G000123),
    with its picture."""
    return (
        Product.objects.active()
        .filter(item_number__iexact=item_number)
        .select_related("image")
        .first()
    )


def product_suggestions(*, query: str, limit: int = SUGGESTION_LIMIT) -> QuerySet[Product]:
    """Active products whose item number starts with, or whose name contains, the query."""
    query = query.strip()
    if not query:
        return Product.objects.none()
    return (
        Product.objects.active()
        .filter(Q(item_number__istartswith=query) | Q(name__icontains=query))
        .order_by("item_number")[:limit]
    )
