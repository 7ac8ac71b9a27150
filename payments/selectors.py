from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum

from callcenter.money import ZERO, quantize
from orders.models import SalesOrder

from .models import CallCenterPaymentMethod, Payment, PaymentMethod, PaymentRefund


def amount_paid(*, order: SalesOrder) -> Decimal:
    """The sum of the order's good payments (authorized or captured) less their partial
    refunds, from the ledger."""
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


def allows_overpayment(call_center, method: PaymentMethod) -> bool:
    return CallCenterPaymentMethod.objects.filter(
        call_center=call_center, payment_method=method, allow_overpayment=True
    ).exists()


def payment_methods_for(call_center) -> QuerySet[PaymentMethod]:
    return PaymentMethod.objects.filter(is_active=True, call_centers=call_center).order_by("name")


def default_payment_method(call_center, methods) -> int | None:
    """The method preselected in the payment dialog: the center's default, else the only one."""
    default = (
        CallCenterPaymentMethod.objects.filter(
            call_center=call_center, is_default=True, payment_method__in=methods
        )
        .values_list("payment_method_id", flat=True)
        .first()
    )
    if default is None and len(methods) == 1:
        return methods[0].pk
    return default


@dataclass(frozen=True)
class OrderSummary:
    order: SalesOrder
    payments: list[Payment]
    paid: Decimal
    #: what is still to collect (never negative)
    balance: Decimal
    #: what was paid beyond the total, after the order got cheaper: a refund to issue
    refund_due: Decimal


def order_summary(*, order: SalesOrder) -> OrderSummary:
    payments = list(
        order.payments.select_related("method", "gift_card")
        .prefetch_related("refunds")
        .order_by("created_at", "pk")
    )
    paid = quantize(
        sum((p.counted_amount for p in payments if p.status in Payment.GOOD_STATUSES), ZERO)
    )
    difference = order.total - paid
    return OrderSummary(
        order=order,
        payments=payments,
        paid=paid,
        balance=max(difference, ZERO),
        refund_due=max(-difference, ZERO),
    )
