"""What the payments app adds to the sales order page: Complete (or Submit), Cancel order."""

from orders.models import SalesOrder
from orders.slots import ORDER_ACTIONS

from .forms import CancelForm, SubmitForm


def _actions_context(request, *, order):
    can_cancel = order.can_become(SalesOrder.Status.CANCELLED)
    if not order.is_editable and not can_cancel:
        return None
    return {
        "completion_enabled": order.call_center.order_completion_enabled,
        "submit_form": SubmitForm() if order.is_editable else None,
        "cancel_form": CancelForm(auto_id="cancel_%s") if can_cancel else None,
    }


def register() -> None:
    ORDER_ACTIONS.register("payments/_order_actions.html", get_context=_actions_context)
