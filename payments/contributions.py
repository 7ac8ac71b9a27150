"""What the payments app adds to the sales order page (Complete or Submit, Cancel order),
the hold queue (Cancel order) and the customer page (the on-account balance and the credit
left), and to the erasure of a customer's personal data (``payments.privacy``)."""

from callcenter.money import ZERO
from customers.slots import CUSTOMER_DETAILS
from orders import services as order_services
from orders.models import SalesOrder
from orders.slots import HOLD_QUEUE_ACTIONS, ORDER_ACTIONS

from . import privacy
from .forms import CancelForm, SubmitForm
from .selectors import available_credit


def _actions_context(request, *, order):
    can_cancel = order.can_become(SalesOrder.Status.CANCELLED)
    if not order.is_editable and not can_cancel:
        return None
    difference = ZERO
    if order.status == SalesOrder.Status.SUBMITTED and order.call_center.order_completion_enabled:
        difference = order.total - order.amount_paid
    return {
        "completion_enabled": order.call_center.order_completion_enabled,
        "submit_form": SubmitForm() if order.is_editable else None,
        "cancel_form": CancelForm(auto_id="cancel_%s") if can_cancel else None,
        # a submitted order edited since: what is still to collect, or to refund
        "difference": difference,
        "refund_due": -difference,
    }


def _return_context(request, *, order):
    if order.status not in order_services.RETURNABLE_STATUSES:
        return None
    return {}


def _queue_cancel_context(request, *, order):
    if not order.can_become(SalesOrder.Status.CANCELLED):
        return None
    # back to the queue's page (its filters and page) once cancelled
    return {"cancel_form": CancelForm(), "next": request.get_full_path()}


def _account_context(request, *, customer):
    available = available_credit(customer=customer)
    if available is None:
        return None
    return {"available_credit": available, "on_account": customer.credit_limit - available}


def register() -> None:
    ORDER_ACTIONS.register("payments/_order_actions.html", get_context=_actions_context)
    ORDER_ACTIONS.register("payments/_order_return.html", get_context=_return_context)
    HOLD_QUEUE_ACTIONS.register(
        "payments/_hold_queue_cancel.html", get_context=_queue_cancel_context
    )
    CUSTOMER_DETAILS.register("payments/_customer_account.html", get_context=_account_context)
    privacy.register()
