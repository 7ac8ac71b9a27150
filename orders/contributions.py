"""What the orders app adds to the customer page: New sales order, order history,
and from guided selling Quick quote and catalog requests."""

from django.core.paginator import Paginator

from callcenter.access import current_call_center
from customers.selectors import register_search_matcher
from customers.slots import CUSTOMER_ACTIONS, CUSTOMER_DETAILS, CUSTOMER_SECTIONS

from . import continuity_contributions, hold_contributions, privacy
from .filters import OrderHistoryFilter
from .history import describe
from .models import CustomerPriceGroup, OrderEvent
from .search import order_number_matcher
from .selectors import order_history, visible_order

HISTORY_PAGE_SIZE = 10


def _new_order_context(request, *, customer):
    return {"call_center": current_call_center(request)}


def _history_context(request, *, customer):
    history = OrderHistoryFilter(
        request.GET or None, queryset=order_history(customer=customer, user=request.user)
    )
    orders = history.qs if history.is_bound and history.is_valid() else history.queryset
    page = Paginator(orders, HISTORY_PAGE_SIZE).get_page(request.GET.get("orders_page"))
    return {"history": history, "page": page}


def _price_group_context(request, *, customer):
    assignment = (
        CustomerPriceGroup.objects.filter(customer=customer).select_related("price_group").first()
    )
    return {"price_group": assignment.price_group if assignment else None}


ACTIVITY_SHOWN = 15


def _activity_context(request, *, customer):
    """The latest events of the customer's orders (those the user may see), newest first:
    read from the start of the events' customer index, however many orders they have.

    The orders are kept to the user's call centers by a join on each event's order, not
    by a list of the customer's orders (PostgreSQL would then read every event of each)."""
    events = (
        OrderEvent.objects.filter(visible_order(request.user, to="order__"), customer=customer)
        .select_related("order", "user")
        .order_by("-created_at", "-pk")[:ACTIVITY_SHOWN]
    )
    return {"activity": [(event, describe(event)) for event in events]}


def register() -> None:
    register_search_matcher(order_number_matcher)
    privacy.register()
    CUSTOMER_DETAILS.register("orders/_customer_price_group.html", get_context=_price_group_context)
    CUSTOMER_ACTIONS.register("orders/_customer_new_order.html", get_context=_new_order_context)
    CUSTOMER_SECTIONS.register("orders/_customer_orders.html", get_context=_history_context)
    CUSTOMER_SECTIONS.register(
        "orders/_customer_activity.html", get_context=_activity_context, order=105
    )
    hold_contributions.register()
    continuity_contributions.register()
    _register_guided_selling()


def _register_guided_selling() -> None:
    from .views_guided import catalog_requests_context, quick_quote_context

    CUSTOMER_ACTIONS.register(
        "orders/_customer_quick_quote.html", get_context=quick_quote_context, order=110
    )
    CUSTOMER_SECTIONS.register(
        "orders/_customer_catalog_requests.html",
        get_context=catalog_requests_context,
        order=120,
    )
