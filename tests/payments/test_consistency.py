"""The consistency checker finds nothing in orders the services made, and each corruption."""

import uuid
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from orders.holds import mark_shipped, place_hold, release_order
from orders.models import HoldCode, OrderHold, ReturnOrder, ReturnReason, SalesOrder
from payments.consistency import find_problems
from payments.models import Payment
from payments.services import return_and_refund
from tests.factories import CallCenterFactory, CustomerFactory
from tests.payments.conftest import cancel, card, pay, submit

pytestmark = pytest.mark.django_db


def rules(problems) -> list[str]:
    return [problem.rule for problem in problems]


@pytest.fixture
def submitted(order, clerk, tender):
    """The 120.00 order paid by split tender (100.00 card, 20.00 cash) and submitted."""
    pay(order, clerk, tender("card"), "100.00", card=card())
    pay(order, clerk, tender("cash"), "20.00")
    return submit(order, clerk)


def test_orders_made_by_the_services_are_consistent(submitted):
    assert submitted.status == SalesOrder.Status.SUBMITTED
    assert list(find_problems()) == []


def test_a_cancelled_order_with_its_payments_released_is_consistent(order, clerk, tender):
    pay(order, clerk, tender("card"), "50.00", card=card())
    cancel(order, clerk)
    assert list(find_problems()) == []


def test_a_submitted_order_without_its_payments_is_found(submitted):
    Payment.objects.filter(order=submitted).update(status=Payment.Status.VOIDED)
    assert set(rules(find_problems())) == {"paid", "unpaid"}


def test_totals_that_do_not_add_up_are_found(submitted):
    SalesOrder.objects.filter(pk=submitted.pk).update(tax_total=Decimal("9.99"))
    assert "totals" in rules(find_problems())


def test_lines_that_do_not_add_up_are_found(submitted):
    submitted.lines.update(line_amount=Decimal("99.00"))
    assert rules(find_problems()) == ["lines"]


def test_events_naming_another_customer_than_their_order_s_are_found(submitted):
    """Every event the services wrote names the order's customer (the orders made in the
    fixture are consistent); one naming another is found."""
    events = submitted.events.all()
    assert events.count() > 5
    assert set(events.values_list("customer_id", flat=True)) == {submitted.customer_id}
    events.filter(pk=events.first().pk).update(customer=CustomerFactory())
    assert rules(find_problems()) == ["event-customer"]


def test_a_hold_naming_another_call_center_than_its_order_s_is_found(order, clerk):
    """The hold queue reads holds by their call center: it must be the order's."""
    hold = place_hold(order=order, by=clerk, code=HoldCode.objects.create(code="R"), note="n")
    assert list(find_problems()) == []
    OrderHold.objects.filter(pk=hold.pk).update(call_center=CallCenterFactory())
    problems = list(find_problems())
    assert rules(problems) == ["hold-call-center"]
    assert problems[0].subject == order.number


def test_charge_lines_that_do_not_add_up_are_found(submitted):
    SalesOrder.objects.filter(pk=submitted.pk).update(charge_lines=[])
    assert rules(find_problems()) == ["charges"]


def test_money_kept_on_a_cancelled_order_is_found(submitted):
    SalesOrder.objects.filter(pk=submitted.pk).update(status=SalesOrder.Status.CANCELLED)
    assert rules(find_problems()) == ["cancelled", "cancelled"]


def test_one_authorization_counted_twice_is_found(order, clerk, tender):
    first = pay(order, clerk, tender("card"), "60.00", card=card())
    second = pay(order, clerk, tender("card"), "60.00", card=card())
    Payment.objects.filter(pk=second.pk).update(card_token=first.card_token)
    assert rules(find_problems()) == ["duplicate"]


def test_the_command_says_so_and_fails_when_something_is_wrong(submitted, capsys):
    call_command("check_consistency")
    assert "No inconsistencies found." in capsys.readouterr().out
    SalesOrder.objects.filter(pk=submitted.pk).update(amount_paid=Decimal("1.00"))
    with pytest.raises(CommandError, match="1 inconsistencies found"):
        call_command("check_consistency")
    assert f"paid: {submitted.number}" in capsys.readouterr().out


def test_a_released_order_with_an_open_hold_is_found(submitted, clerk):
    from orders import holds
    from orders.models import HoldCode

    held = holds.place_hold(
        order=submitted, by=clerk, code=HoldCode.objects.create(code="RESEARCH"), note="x"
    )
    assert list(find_problems()) == []
    SalesOrder.objects.filter(pk=submitted.pk).update(status=SalesOrder.Status.PROCESSING)
    problems = list(find_problems())
    assert rules(problems) == ["held"]
    assert "open RESEARCH hold" in problems[0].detail
    held.refresh_from_db()


@pytest.fixture
def returned(submitted, clerk):
    """The 120.00 order shipped, and its one unit returned and refunded."""
    release_order(order=submitted, by=clerk)
    mark_shipped(number=submitted.number)
    reason = ReturnReason.objects.create(code="LATE", description="Arrived too late")
    return return_and_refund(
        order=submitted,
        by=clerk,
        reason=reason,
        quantities={submitted.lines.get().pk: 1},
        idempotency_key=uuid.uuid4(),
    )


def test_a_shipped_order_returned_and_refunded_is_not_unpaid(returned):
    assert returned.amount > 0
    assert list(find_problems()) == []


def test_a_shipped_order_refunded_beyond_its_returns_is_unpaid(returned):
    ReturnOrder.objects.filter(pk=returned.pk).update(amount_refunded=Decimal("1.00"))
    assert "unpaid" in rules(find_problems())


def test_a_return_refunded_more_than_its_amount_is_found(returned):
    ReturnOrder.objects.filter(pk=returned.pk).update(amount=Decimal("1.00"))
    assert "return-refund" in rules(find_problems())


def test_more_units_returned_than_sold_is_found(returned):
    returned.lines.update(quantity=5)
    assert "returned" in rules(find_problems())
