"""What holds add to the order page (badge, Holds, History) and the customer page (Open holds)."""

from django.contrib.auth import get_user_model

from callcenter.access import membership_in, role_may
from callcenter.fields import keep_options
from customers.slots import CUSTOMER_SECTIONS

from .history import asks_for_everything, timeline
from .hold_forms import HoldForm
from .models import OrderHold, SalesOrder
from .selectors import orders_visible_to
from .slots import ORDER_SECTIONS, ORDER_STATUS


def _holds(order) -> list[OrderHold]:
    """The order's holds, read once for the badge and the Holds section of a page.

    Most orders have none: the holds are read with their code only, and the people
    who placed, worked and cleared them in a second query when there are any (three
    more joins on the user table cost a hold-less page more than that query).
    """
    holds = getattr(order, "_holds_read", None)
    if holds is None:
        holds = list(order.holds.select_related("code").order_by("created_at", "pk"))
        _attach_people(holds)
        order._holds_read = holds
    return holds


HOLD_PEOPLE = ("created_by", "checked_out_by", "cleared_by")


def _attach_people(holds: list[OrderHold]) -> None:
    """Set each hold's ``created_by``, ``checked_out_by`` and ``cleared_by`` from one query."""
    ids = {
        user_id
        for hold in holds
        for name in HOLD_PEOPLE
        if (user_id := getattr(hold, f"{name}_id")) is not None
    }
    if not ids:
        return
    people = get_user_model().objects.in_bulk(ids)
    for hold in holds:
        for name in HOLD_PEOPLE:
            user_id = getattr(hold, f"{name}_id")
            if user_id is not None:
                setattr(hold, name, people[user_id])


def _status_context(request, *, order):
    if not any(hold.is_open for hold in _holds(order)):
        return None
    return {}


def _hold_form(order) -> HoldForm:
    form = HoldForm(auto_id="hold_%s")
    keep_options(form.fields["code"], order.call_center, "hold_codes")
    return form


def _holds_context(request, *, order):
    holds = _holds(order)
    may_hold = order.status in (SalesOrder.Status.DRAFT, SalesOrder.Status.SUBMITTED)
    member = membership_in(request, order.call_center_id)  # their role there
    open_holds = [hold for hold in holds if hold.is_open]
    for hold in open_holds:  # the Clear form only for whom the hold's code allows
        hold.may_clear = member is not None and member.has_role(hold.code.clear_role)
    return {
        "open_holds": open_holds,
        "cleared_holds": [hold for hold in holds if not hold.is_open],
        "hold_form": _hold_form(order) if may_hold else None,
        "may_release": order.status == SalesOrder.Status.SUBMITTED
        and role_may(request.user, "orders.release_order", order.call_center),
    }


def _history_context(request, *, order):
    return timeline(order, everything=asks_for_everything(request))


def _customer_holds_context(request, *, customer):
    holds = list(
        OrderHold.objects.open()
        .filter(order__in=orders_visible_to(request.user).filter(customer=customer))
        .select_related("code", "order", "created_by")
        .order_by("created_at", "pk")
    )
    return {"customer_holds": holds} if holds else None


def register() -> None:
    ORDER_STATUS.register("orders/_order_hold_badge.html", get_context=_status_context)
    ORDER_SECTIONS.register("orders/_order_holds.html", get_context=_holds_context, order=10)
    ORDER_SECTIONS.register("orders/_order_history.html", get_context=_history_context, order=20)
    CUSTOMER_SECTIONS.register(
        "orders/_customer_holds.html", get_context=_customer_holds_context, order=50
    )
