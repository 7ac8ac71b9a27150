"""What the payments app adds to the sales order page: Complete (or Submit)."""

from orders.slots import ORDER_ACTIONS

from .forms import SubmitForm


def _actions_context(request, *, order):
    if not order.is_editable:
        return None
    return {
        "completion_enabled": order.call_center.order_completion_enabled,
        "submit_form": SubmitForm(),
    }


def register() -> None:
    ORDER_ACTIONS.register("payments/_order_actions.html", get_context=_actions_context)
