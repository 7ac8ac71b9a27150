import copy
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import QuerySet, Sum

from callcenter import reference
from callcenter.money import ZERO, quantize
from orders import services as order_services
from orders.models import SalesOrder

from .models import CallCenterPaymentMethod, Payment, PaymentMethod, PaymentRefund


def amount_paid(*, order: SalesOrder) -> Decimal:
    """The sum of the order's good payments (authorized or captured) less their partial
    refunds, from the ledger. (Two plain aggregates: one query with both as subqueries
    was slower to build than the second round trip, on SQLite and PostgreSQL alike.)"""
    total = order.payments.filter(status__in=Payment.GOOD_STATUSES).aggregate(s=Sum("amount"))["s"]
    refunded = PaymentRefund.objects.filter(
        payment__order=order, payment__status__in=Payment.GOOD_STATUSES
    ).aggregate(s=Sum("amount"))["s"]
    return quantize((total or ZERO) - (refunded or ZERO))


def available_credit(*, customer) -> Decimal | None:
    """What the customer may still buy on account; None when they have no credit limit.

    The open balance is every captured on-account payment of their orders that are not cancelled.
    """
    if customer.credit_limit is None:
        return None
    used = (
        Payment.objects.filter(
            order__customer=customer,
            method__tender_type=PaymentMethod.TenderType.ON_ACCOUNT,
            status=Payment.Status.CAPTURED,
        )
        .exclude(order__status=SalesOrder.Status.CANCELLED)
        .aggregate(s=Sum("amount"))["s"]
    )
    given_back = (
        PaymentRefund.objects.filter(
            payment__order__customer=customer,
            payment__method__tender_type=PaymentMethod.TenderType.ON_ACCOUNT,
            payment__status=Payment.Status.CAPTURED,
        )
        .exclude(payment__order__status=SalesOrder.Status.CANCELLED)
        .aggregate(s=Sum("amount"))["s"]
    )
    return quantize(customer.credit_limit - (used or ZERO) + (given_back or ZERO))


@dataclass(frozen=True)
class CenterMethods:
    """How a call center takes payments: kept with its setup data (callcenter/reference.py)."""

    offered: frozenset[int]  # active methods of the center
    overpayment: frozenset[int]  # those that may be over-tendered (cash: change given)
    default: int | None  # preselected in the payment dialog
    #: the offered methods by name, as ``payment_methods_for`` reads them; shared by every
    #: request: hand out copies (``method_offered``)
    methods: tuple[PaymentMethod, ...] = ()


def center_methods(call_center) -> CenterMethods:
    def load() -> CenterMethods:
        rows = CallCenterPaymentMethod.objects.filter(
            call_center=call_center, payment_method__is_active=True
        ).values_list("payment_method_id", "allow_overpayment", "is_default")
        offered = frozenset(method for method, _over, _default in rows)
        default = next((method for method, _over, default in rows if default), None)
        if default is None and len(offered) == 1:
            (default,) = offered  # the only method the center takes
        return CenterMethods(
            offered=offered,
            overpayment=frozenset(method for method, over, _default in rows if over),
            default=default,
            methods=tuple(payment_methods_for(call_center)),
        )

    return reference.cached(call_center, "payment_methods", load)


def allows_overpayment(call_center, method: PaymentMethod) -> bool:
    return method.pk in center_methods(call_center).overpayment


def is_offered(call_center, method: PaymentMethod) -> bool:
    return method.pk in center_methods(call_center).offered


def method_offered(call_center, pk) -> PaymentMethod | None:
    """The call center's active payment method with primary key ``pk`` (a posted value),
    from its kept setup data: a copy of its own."""
    for method in center_methods(call_center).methods:
        if str(method.pk) == str(pk):
            return copy.copy(method)
    return None


def payment_methods_for(call_center) -> QuerySet[PaymentMethod]:
    return PaymentMethod.objects.filter(is_active=True, call_centers=call_center).order_by("name")


def default_payment_method(call_center) -> int | None:
    """The method preselected in the payment dialog: the center's default, else the only one."""
    return center_methods(call_center).default


@dataclass(frozen=True)
class OrderSummary:
    order: SalesOrder
    payments: list[Payment]
    paid: Decimal
    #: what is still to collect (never negative)
    balance: Decimal
    #: what was paid beyond the total, after the order got cheaper: a refund to issue
    refund_due: Decimal
    #: what the order's returns refunded (no longer owed: the total stays as sold)
    returned: Decimal = ZERO

    @cached_property  # asked by each payment row of the summary
    def refund_from(self) -> Payment | None:
        """The payment the summary proposes to refund the refund due from: the latest
        captured one that covers it (its refund box comes filled in with the refund due)."""
        if not self.refund_due:
            return None
        return next(
            (
                payment
                for payment in reversed(self.payments)
                if payment.counts
                and payment.status == Payment.Status.CAPTURED
                and payment.counted_amount >= self.refund_due
            ),
            None,
        )


def ledger(order: SalesOrder) -> list[Payment]:
    """The order's payments, oldest first, with their method, gift card and refunds.

    Read once per order object: a service that took a payment leaves the ledger it
    read under the order's lock with the new payment (``keep_ledger``), so the summary
    shown after it reads nothing again; ``refresh_from_db`` forgets it.
    """
    payments = getattr(order, "_ledger_read", None)
    if payments is None:
        payments = list(as_ledger(order.payments.all()).prefetch_related("refunds"))
        keep_ledger(order, payments)
    return payments


def as_ledger(payments: QuerySet[Payment]) -> QuerySet[Payment]:
    """``payments`` read as the ledger shows them: with their method and gift card, oldest
    first (their refunds are read apart)."""
    return payments.select_related("method", "gift_card").order_by("created_at", "pk")


def keep_ledger(order: SalesOrder, payments: list[Payment]) -> None:
    """``payments`` are all the order's payments as they now are in the database, with
    their refunds read (``no_refunds`` for a payment just stored)."""
    order._ledger_read = payments


def no_refunds(payment: Payment) -> None:
    """A payment just stored has no refunds: say so, rather than ask the database."""
    payment._prefetched_objects_cache = {"refunds": PaymentRefund.objects.none()}


def paid_by(payments: list[Payment]) -> Decimal:
    """What ``payments`` pay: the good ones (authorized or captured) less their refunds,
    as ``amount_paid`` counts it from the ledger's sums."""
    return quantize(
        sum((p.counted_amount for p in payments if p.status in Payment.GOOD_STATUSES), ZERO)
    )


def order_summary(*, order: SalesOrder) -> OrderSummary:
    payments = ledger(order)
    paid = paid_by(payments)
    returned = _returned(order)
    difference = order.owed(returned) - paid
    return OrderSummary(
        order=order,
        payments=payments,
        paid=paid,
        balance=max(difference, ZERO),
        refund_due=max(-difference, ZERO),
        returned=returned,
    )


def _returned(order: SalesOrder) -> Decimal:
    """What the order's returns refunded; only a shipped order has returns."""
    if order.status not in order_services.RETURNABLE_STATUSES:
        return ZERO
    return order.returns.aggregate(total=Sum("amount_refunded"))["total"] or ZERO
