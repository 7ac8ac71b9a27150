"""The status pipeline: every pair of statuses, allowed or refused with a message."""

import pytest

from orders.errors import InvalidTransition
from orders.models import SalesOrder

S = SalesOrder.Status
ALLOWED = {
    (S.DRAFT, S.SUBMITTED),
    (S.DRAFT, S.CANCELLED),
    (S.SUBMITTED, S.PROCESSING),
    (S.SUBMITTED, S.CANCELLED),
    (S.PROCESSING, S.SHIPPED),
    (S.SHIPPED, S.INVOICED),
}
PAIRS = [(current, new) for current in S for new in S]


@pytest.mark.parametrize(("current", "new"), PAIRS, ids=[f"{c}->{n}" for c, n in PAIRS])
def test_transition_table(current, new):
    order = SalesOrder(status=current)
    if (current, new) in ALLOWED:
        order.set_status(new)
        assert order.status == new
    else:
        with pytest.raises(InvalidTransition) as refused:
            order.set_status(new)
        assert str(refused.value) == (
            f"A {current.label.lower()} order cannot become {new.label.lower()}."
        )
        assert order.status == current


def test_released_orders_are_neither_amended_nor_cancelled():
    for status in SalesOrder.RELEASED_STATUSES:
        order = SalesOrder(status=status)
        assert order.is_released and not order.is_amendable
        assert not order.can_become(S.CANCELLED)


def test_on_hold_is_not_a_status():
    assert "on_hold" not in S.values
