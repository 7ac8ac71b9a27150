"""Two clerks at the same instant on one order, in threads with their own connections.

On PostgreSQL the order's row lock (``select_for_update``) decides who waits; on
SQLite every write transaction starts ``IMMEDIATE`` and the database lock does.
Either way exactly one wins, and the other is told why.
"""

import uuid
from decimal import Decimal

import pytest

from orders import services
from orders.errors import ConcurrentEdit, InvalidOrderData
from orders.holds import mark_shipped, release_order
from orders.models import ReturnOrder, ReturnReason
from payments import services as payment_services
from tests.concurrency import run_together
from tests.factories import (
    TENDERS,
    ChannelUserFactory,
    PaymentMethodFactory,
    ProductFactory,
    make_order,
    offer,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def submitted(clerk, call_center):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])
    cash = offer(call_center, PaymentMethodFactory(**TENDERS["cash"]))
    payment_services.add_payment(
        order=order, by=clerk, method=cash, amount=order.total, idempotency_key=uuid.uuid4()
    )
    return payment_services.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())


@pytest.fixture
def other(call_center):
    """A second clerk of the same call center."""
    return ChannelUserFactory(call_center=call_center).user


def test_two_clerks_editing_one_version_of_a_submitted_order_one_wins(submitted, clerk, other):
    version, line = submitted.version, submitted.lines.get()
    _, errors = run_together(
        lambda: services.add_line(
            order=submitted, by=clerk, product=ProductFactory(), quantity=1, version=version
        ),
        lambda: services.change_quantity(
            order=submitted, by=other, line_id=line.pk, quantity=3, version=version
        ),
    )
    assert sum(e is None for e in errors) == 1
    assert sum(isinstance(e, ConcurrentEdit) for e in errors) == 1
    submitted.refresh_from_db()
    assert submitted.version == version + 1


def test_two_returns_of_the_last_returnable_unit_return_it_once(submitted, clerk, other):
    release_order(order=submitted, by=clerk)
    mark_shipped(number=submitted.number)
    reason = ReturnReason.objects.create(code="LATE", description="Arrived too late")
    line = submitted.lines.get()

    def give_back(by):
        return payment_services.return_and_refund(
            order=submitted,
            by=by,
            reason=reason,
            quantities={line.pk: 1},
            idempotency_key=uuid.uuid4(),
        )

    results, errors = run_together(lambda: give_back(clerk), lambda: give_back(other))
    assert sum(r is not None for r in results) == 1
    assert sum(isinstance(e, InvalidOrderData) for e in errors) == 1
    assert ReturnOrder.objects.count() == 1
    submitted.refresh_from_db()
    assert submitted.amount_paid == submitted.total - ReturnOrder.objects.get().amount
