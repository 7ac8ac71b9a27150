"""What the orders app adds to the customer page: New sales order, order history."""

from callcenter.access import current_call_center
from customers.slots import CUSTOMER_ACTIONS, CUSTOMER_SECTIONS

from .selectors import order_history


def _new_order_context(request, *, customer):
    return {"call_center": current_call_center(request)}


def _history_context(request, *, customer):
    return {"orders": order_history(customer=customer, user=request.user)}


def register() -> None:
    CUSTOMER_ACTIONS.register("orders/_customer_new_order.html", get_context=_new_order_context)
    CUSTOMER_SECTIONS.register("orders/_customer_orders.html", get_context=_history_context)
