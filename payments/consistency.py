"""The consistency checker: what must always hold between orders, their lines and payments.

``manage.py check_consistency`` runs it; operators run it in production (it only
reads), the soak benchmark runs it after its traffic, and the tests run it
after corrupting one thing at a time. Each rule is one query over every order
(no per-order queries), so it finishes on millions of orders.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum

from callcenter.money import ZERO
from orders.models import OrderEvent, OrderHold, ReturnLine, ReturnOrder, SalesLine, SalesOrder
from orders.selectors import MONEY_SUM, returned_amount, sum_per_order

from .models import Payment, PaymentRefund


@dataclass(frozen=True)
class Problem:
    rule: str
    subject: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.subject}: {self.detail}"


def _orders():
    good = Payment.objects.filter(order=OuterRef("pk"), status__in=Payment.GOOD_STATUSES)
    refunded = PaymentRefund.objects.filter(
        payment__order=OuterRef("pk"), payment__status__in=Payment.GOOD_STATUSES
    ).annotate(order=F("payment__order"))
    lines = SalesLine.objects.filter(order=OuterRef("pk"), cancelled_at__isnull=True)
    return SalesOrder.objects.order_by("pk").annotate(
        ledger_paid=sum_per_order(good, "amount") - sum_per_order(refunded, "amount"),
        lines_net=sum_per_order(lines, "line_amount"),
        # what returns gave back: paid once, so it still counts towards the total
        returned=returned_amount(OuterRef("pk")),
    )


def _totals_add_up() -> Iterator[Problem]:
    wrong = _orders().exclude(
        total=F("subtotal") - F("discount_total") + F("charges_total") + F("tax_total")
    )
    for order in wrong.iterator(chunk_size=2000):
        yield Problem(
            "totals",
            order.number,
            f"total {order.total} is not subtotal {order.subtotal} - discounts "
            f"{order.discount_total} + charges {order.charges_total} + tax {order.tax_total}",
        )


def _lines_add_up() -> Iterator[Problem]:
    wrong = _orders().exclude(lines_net=F("subtotal") - F("discount_total") + F("coupon_discount"))
    for order in wrong.iterator(chunk_size=2000):
        yield Problem(
            "lines",
            order.number,
            f"the lines come to {order.lines_net}, the order says "
            f"{order.subtotal - order.discount_total + order.coupon_discount}",
        )


def _charges_add_up() -> Iterator[Problem]:
    orders = SalesOrder.objects.exclude(charges_total=0, charge_lines=[]).only(
        "number", "charges_total", "charge_lines"
    )
    for order in orders.iterator(chunk_size=2000):
        listed = sum((Decimal(c["amount"]) for c in order.charge_lines), ZERO)
        if listed != order.charges_total:
            yield Problem(
                "charges",
                order.number,
                f"charges total {order.charges_total}, charge lines {listed}",
            )


def _paid_matches_ledger() -> Iterator[Problem]:
    for order in _orders().exclude(amount_paid=F("ledger_paid")).iterator(chunk_size=2000):
        yield Problem(
            "paid",
            order.number,
            f"the order says {order.amount_paid} paid, its payments {order.ledger_paid}",
        )


def _submitted_orders_are_paid() -> Iterator[Problem]:
    unpaid = _orders().filter(
        ~Q(status__in=[SalesOrder.Status.DRAFT, SalesOrder.Status.CANCELLED]),
        call_center__order_completion_enabled=True,
        ledger_paid__lt=F("total") - F("returned"),
    )
    for order in unpaid.iterator(chunk_size=2000):
        # a submitted order edited since submit really is in this state until the clerk
        # collects the difference; it is reported, so nobody forgets it (release refuses it)
        edited = order.status == SalesOrder.Status.SUBMITTED
        yield Problem(
            "unpaid",
            order.number,
            ("balance due after edit: " if edited else "")
            + f"{order.get_status_display()} with {order.ledger_paid} paid of {order.total}"
            + (f" ({order.returned} refunded by returns)" if order.returned else ""),
        )


def _submitted_orders_owe_no_refund() -> Iterator[Problem]:
    overpaid = _orders().filter(
        status=SalesOrder.Status.SUBMITTED,
        call_center__order_completion_enabled=True,
        ledger_paid__gt=F("total"),
    )
    for order in overpaid.iterator(chunk_size=2000):
        yield Problem(
            "refund-due",
            order.number,
            f"refund due after edit: {order.ledger_paid} paid of {order.total}",
        )


def _cancelled_orders_hold_no_money() -> Iterator[Problem]:
    held = Payment.objects.filter(
        order__status=SalesOrder.Status.CANCELLED, status__in=Payment.OPEN_STATUSES
    ).select_related("order")
    for payment in held.order_by("pk").iterator(chunk_size=2000):
        yield Problem(
            "cancelled",
            payment.order.number,
            f"payment {payment.pk} ({payment.amount}) is still {payment.get_status_display()}",
        )


def _no_card_charged_twice() -> Iterator[Problem]:
    twice = (
        Payment.objects.filter(status__in=Payment.GOOD_STATUSES)
        .exclude(card_token="")
        .values("card_token")
        .annotate(uses=Count("pk"))
        .filter(uses__gt=1)
        .order_by("card_token")
    )
    for row in twice.iterator(chunk_size=2000):
        yield Problem(
            "duplicate",
            f"card token …{row['card_token'][-6:]}",
            f"{row['uses']} payments count the same authorization",
        )


def _released_orders_hold_no_open_hold() -> Iterator[Problem]:
    held = OrderHold.objects.open().filter(order__status__in=SalesOrder.RELEASED_STATUSES)
    for hold in held.select_related("order", "code").order_by("pk").iterator(chunk_size=2000):
        yield Problem(
            "held",
            hold.order.number,
            f"{hold.order.get_status_display()} with an open {hold.code.code} hold",
        )


def _refunds_within_payments() -> Iterator[Problem]:
    refunded = Subquery(
        PaymentRefund.objects.filter(payment=OuterRef("pk"))
        .order_by()
        .values("payment")
        .annotate(s=Sum("amount"))
        .values("s"),
        output_field=MONEY_SUM,
    )
    over = Payment.objects.annotate(refunded=refunded).filter(refunded__gt=F("amount"))
    for payment in over.select_related("order").order_by("pk").iterator(chunk_size=2000):
        yield Problem(
            "refunds",
            payment.order.number,
            f"payment {payment.pk} ({payment.amount}) was refunded {payment.refunded}",
        )


def _returns_within_their_amount() -> Iterator[Problem]:
    over = ReturnOrder.objects.filter(amount_refunded__gt=F("amount")).select_related("order")
    for return_order in over.order_by("pk").iterator(chunk_size=2000):
        yield Problem(
            "return-refund",
            return_order.order.number,
            f"return {return_order.number} ({return_order.amount}) "
            f"was refunded {return_order.amount_refunded}",
        )


def _returns_within_quantities_sold() -> Iterator[Problem]:
    over = (
        ReturnLine.objects.order_by()
        .values("line", "line__quantity", "line__line_number", "line__order__number")
        .annotate(returned=Sum("quantity"))
        .filter(returned__gt=F("line__quantity"))
    )
    for row in over.order_by("line").iterator(chunk_size=2000):
        yield Problem(
            "returned",
            row["line__order__number"],
            f"line {row['line__line_number']}: {row['returned']} returned "
            f"of {row['line__quantity']} sold",
        )


def _events_name_their_order_s_customer() -> Iterator[Problem]:
    """The customer page's activity reads events by their customer: it must be the order's."""
    wrong = (
        OrderEvent.objects.exclude(customer=F("order__customer"))
        .order_by()
        .values("order__number")
        .annotate(events=Count("pk"))
    )
    for row in wrong.order_by("order__number").iterator(chunk_size=2000):
        yield Problem(
            "event-customer",
            row["order__number"],
            f"{row['events']} events name another customer than the order's",
        )


def _holds_name_their_order_s_call_center() -> Iterator[Problem]:
    """The hold queue reads holds by their call center: it must be the order's."""
    wrong = OrderHold.objects.exclude(call_center=F("order__call_center"))
    for hold in wrong.select_related("order", "code").order_by("pk").iterator(chunk_size=2000):
        yield Problem(
            "hold-call-center",
            hold.order.number,
            f"its {hold.code.code} hold names another call center than the order's",
        )


RULES = (
    _totals_add_up,
    _lines_add_up,
    _charges_add_up,
    _paid_matches_ledger,
    _submitted_orders_are_paid,
    _submitted_orders_owe_no_refund,
    _cancelled_orders_hold_no_money,
    _no_card_charged_twice,
    _released_orders_hold_no_open_hold,
    _refunds_within_payments,
    _returns_within_their_amount,
    _returns_within_quantities_sold,
    _events_name_their_order_s_customer,
    _holds_name_their_order_s_call_center,
)


def find_problems() -> Iterator[Problem]:
    for rule in RULES:
        yield from rule()
