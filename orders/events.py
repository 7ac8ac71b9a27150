"""One small function per kind of order event. History is only ever appended to."""

from decimal import Decimal

from .models import OrderEvent, ReturnEvent, ReturnOrder, SalesLine, SalesOrder


def _write(order: SalesOrder, type_: str, by, **parameters) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order,
        customer_id=order.customer_id,
        type=type_,
        user=by,
        parameters=parameters,
    )


def _write_all(order: SalesOrder, by, *events: tuple[str, dict]) -> list[OrderEvent]:
    """Several events of one change, in their order, with one INSERT."""
    return OrderEvent.objects.bulk_create(
        OrderEvent(
            order=order,
            customer_id=order.customer_id,
            type=type_,
            user=by,
            parameters=parameters,
        )
        for type_, parameters in events
    )


def _amount(value: Decimal) -> str:
    return str(value)


def order_created(*, order: SalesOrder, by) -> OrderEvent:
    return _write(
        order,
        OrderEvent.Type.CREATED,
        by,
        number=order.number,
        customer=order.customer.account_number,
        call_center=order.call_center.code,
    )


def header_changed(*, order: SalesOrder, by, changes: dict[str, tuple[str, str]]) -> OrderEvent:
    return _write(
        order,
        OrderEvent.Type.HEADER_CHANGED,
        by,
        changes={field: {"from": old, "to": new} for field, (old, new) in changes.items()},
    )


def line_added(*, order: SalesOrder, line: SalesLine, by) -> OrderEvent:
    return _write(
        order,
        OrderEvent.Type.LINE_ADDED,
        by,
        line=line.line_number,
        item_number=line.item_number,
        quantity=line.quantity,
        unit_price=_amount(line.unit_price),
        source_code=line.source_code.code if line.source_code else "",
    )


def line_removed(*, order: SalesOrder, line: SalesLine, by) -> OrderEvent:
    return _write(
        order,
        OrderEvent.Type.LINE_REMOVED,
        by,
        line=line.line_number,
        item_number=line.item_number,
        quantity=line.quantity,
    )


def order_completed(*, order: SalesOrder, by) -> OrderEvent:
    return _write(order, OrderEvent.Type.COMPLETED, by, total=_amount(order.total))


def payment_added(
    *,
    order: SalesOrder,
    by,
    payment_id: int,
    method: str,
    amount: Decimal,
    status_change: tuple[str, str] | None = None,
    method_fr: str = "",
) -> list[OrderEvent]:
    """The payment, and the payment status change (old, new) it made, if any."""
    events = [(OrderEvent.Type.PAYMENT_ADDED, _payment(payment_id, method, method_fr, amount))]
    if status_change is not None:
        old, new = status_change
        events.append((OrderEvent.Type.PAYMENT_STATUS_CHANGED, {"old": old, "new": new}))
    return _write_all(order, by, *events)


def payment_given_back(
    *,
    order: SalesOrder,
    by,
    payment_id: int,
    method: str,
    amount: Decimal,
    voided: bool = False,
    method_fr: str = "",
) -> OrderEvent:
    """A payment refunded (in part or whole) or, for a card only authorized, voided: the
    ledger's change, seen in the order's history next to the payment it gives back."""
    type_ = OrderEvent.Type.PAYMENT_VOIDED if voided else OrderEvent.Type.PAYMENT_REFUNDED
    return _write(order, type_, by, **_payment(payment_id, method, method_fr, amount))


def _payment(payment_id: int, method: str, method_fr: str, amount: Decimal) -> dict:
    """A payment as an event names it: the method's name kept as it was then, with its
    French name when it has one."""
    parameters = {"payment": payment_id, "method": method, "amount": _amount(amount)}
    if method_fr:
        parameters["method_fr"] = method_fr
    return parameters


def upsell_answered(*, order: SalesOrder, by, items: list[str], accepted: bool) -> OrderEvent:
    """The clerk's answer to the upsell prompt: the suggested items added, or dismissed."""
    type_ = OrderEvent.Type.UPSELL_ACCEPTED if accepted else OrderEvent.Type.UPSELL_DISMISSED
    return _write(order, type_, by, items=items)


def payment_status_changed(*, order: SalesOrder, by, old: str, new: str) -> OrderEvent:
    return _write(order, OrderEvent.Type.PAYMENT_STATUS_CHANGED, by, old=old, new=new)


def submit_refused(*, order: SalesOrder, by, reason: str, balance: Decimal) -> OrderEvent:
    return _write(
        order,
        OrderEvent.Type.SUBMIT_REFUSED,
        by,
        reason=reason,
        balance=_amount(balance),
    )


def order_submitted(*, order: SalesOrder, by) -> OrderEvent:
    return _write(
        order,
        OrderEvent.Type.SUBMITTED,
        by,
        total=_amount(order.total),
        paid=_amount(order.amount_paid),
    )


def order_cancelled(*, order: SalesOrder, by, reason: str) -> OrderEvent:
    return _write(order, OrderEvent.Type.CANCELLED, by, reason=reason)


def coupon_applied(*, order: SalesOrder, by, code: str, replaced: str = "") -> OrderEvent:
    return _write(order, OrderEvent.Type.COUPON_APPLIED, by, code=code, replaced=replaced)


def coupon_removed(*, order: SalesOrder, by, code: str) -> OrderEvent:
    return _write(order, OrderEvent.Type.COUPON_REMOVED, by, code=code)


def coupon_redeemed(*, order: SalesOrder, by, code: str) -> OrderEvent:
    return _write(order, OrderEvent.Type.COUPON_REDEEMED, by, code=code)


def coupon_released(*, order: SalesOrder, by, code: str) -> OrderEvent:
    return _write(order, OrderEvent.Type.COUPON_RELEASED, by, code=code)


def price_overridden(
    *,
    order: SalesOrder,
    line: SalesLine,
    by,
    old: Decimal | None,
    new: Decimal | None,
    reason: str,
    computed: Decimal | None = None,
    beyond_limit: bool = False,
) -> OrderEvent:
    """A line's price set (or given back to the computed price, ``new`` None) by hand."""
    return _write(
        order,
        OrderEvent.Type.PRICE_OVERRIDDEN,
        by,
        line=line.line_number,
        item_number=line.item_number,
        old="" if old is None else _amount(old),
        new="" if new is None else _amount(new),
        computed="" if computed is None else _amount(computed),
        reason=reason,
        beyond_limit=beyond_limit,
        approved_by=by.get_username() if beyond_limit else "",
    )


def hold_placed(*, order: SalesOrder, hold, by) -> OrderEvent:
    return _write(
        order,
        OrderEvent.Type.HOLD_PLACED,
        by,
        hold=hold.pk,
        code=hold.code.code,
        source=hold.source,
        note=hold.note,
        **hold.details,
    )


def hold_checked_out(*, order: SalesOrder, hold, by) -> OrderEvent:
    return _write(order, OrderEvent.Type.HOLD_CHECKED_OUT, by, hold=hold.pk, code=hold.code.code)


def hold_cleared(*, order: SalesOrder, hold, by, cancelled: bool = False) -> OrderEvent:
    """``cancelled``: cleared by the order's cancellation, whose reason it keeps."""
    extra = {"cancelled": True} if cancelled else {}
    return _write(
        order,
        OrderEvent.Type.HOLD_CLEARED,
        by,
        hold=hold.pk,
        code=hold.code.code,
        reason=hold.clear_reason,
        **extra,
    )


def order_released(*, order: SalesOrder, by) -> OrderEvent:
    return _write(order, OrderEvent.Type.RELEASED, by, total=_amount(order.total))


def order_shipped(*, order: SalesOrder, by, tracking: str = "") -> OrderEvent:
    return _write(order, OrderEvent.Type.SHIPPED, by, tracking=tracking)


def line_cancelled(*, order: SalesOrder, line: SalesLine, by, reason: str) -> OrderEvent:
    return _write(
        order,
        OrderEvent.Type.LINE_CANCELLED,
        by,
        line=line.line_number,
        item_number=line.item_number,
        quantity=line.quantity,
        amount=_amount(line.line_amount),
        reason=reason,
    )


def return_created(*, order: SalesOrder, by, number: str, amount: Decimal, reason: str):
    return _write(
        order,
        OrderEvent.Type.RETURN_CREATED,
        by,
        number=number,
        amount=_amount(amount),
        reason=reason,
    )


def return_event(*, return_order: ReturnOrder, type_: str, by, **parameters) -> ReturnEvent:
    """An event in a return's own history (created, refunded)."""
    return ReturnEvent.objects.create(
        return_order=return_order, type=type_, user=by, parameters=parameters
    )
