"""The continuity enrolment a line sold follows that line when the order is edited:
cancelling or removing the line stops it (nothing more is shipped or charged), changing
its quantity changes what the events still to come ship and charge."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders import continuity
from orders import services as order_services
from orders.models import Enrolment, EnrolmentEvent, SalesOrder
from payments.continuity import process_due
from payments.models import Payment
from tests.concurrency import run_together
from tests.factories import TENDERS, PaymentMethodFactory, ProductFactory, make_order, offer
from tests.payments.conftest import card, pay, submit
from tests.payments.test_continuity import make_program, month

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return make_program()


def draft(clerk, program, quantity=1):
    """Line 1: the program's parent item; line 2: another item."""
    other = ProductFactory(price=Decimal("10.00"))
    return make_order(clerk=clerk, lines=[(program.parent_product, quantity), (other, 1)])


def pay_and_submit(order, clerk):
    order.refresh_from_db()
    method = offer(order.call_center, PaymentMethodFactory(**TENDERS["card"]))
    pay(order, clerk, method, str(order.total), card=card())
    submit(order, clerk)
    order.refresh_from_db()
    return order


def line(order, number):
    return order.lines.get(line_number=number)


def renewals_charged(order):
    """Good payments on the customer's orders other than ``order`` (the renewals')."""
    return Payment.objects.filter(
        order__customer=order.customer, status__in=Payment.GOOD_STATUSES
    ).exclude(order=order)


def assert_stopped(enrolment, reason):
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED
    assert enrolment.next_event_date is None
    assert enrolment.cancel_reason == reason
    cancelled = enrolment.events.get(type=EnrolmentEvent.Type.CANCELLED)
    assert cancelled.parameters == {"reason": reason}


def test_cancelling_the_programs_line_after_submit_stops_its_enrolment(clerk, program):
    order = pay_and_submit(draft(clerk, program), clerk)
    enrolment = Enrolment.objects.get(original_order=order)
    version = enrolment.version
    order_services.cancel_line(
        order=order, by=clerk, line_id=line(order, 1).pk, reason="No subscription after all"
    )
    reason = f"Line 1 of sales order {order.number} cancelled: No subscription after all"
    assert_stopped(enrolment, reason)
    assert enrolment.version == version + 1  # a page read before changes nothing
    outcome = process_due(today=month(12))
    assert outcome.submitted == outcome.held == []
    assert not enrolment.shipments.filter(order__isnull=False).exists()
    assert not renewals_charged(order).exists()


def test_removing_the_programs_line_after_submit_stops_its_enrolment(clerk, program):
    order = pay_and_submit(draft(clerk, program), clerk)
    enrolment = Enrolment.objects.get(original_order=order)
    order_services.remove_line(order=order, by=clerk, line_id=line(order, 1).pk)
    assert_stopped(enrolment, f"Line 1 removed from sales order {order.number}")
    outcome = process_due(today=month(12))
    assert outcome.submitted == outcome.held == []
    assert not renewals_charged(order).exists()


def test_a_stale_skip_after_the_line_was_cancelled_is_refused(clerk, program):
    order = pay_and_submit(draft(clerk, program), clerk)
    enrolment = Enrolment.objects.get(original_order=order)
    seen = enrolment.version
    order_services.cancel_line(order=order, by=clerk, line_id=line(order, 1).pk, reason="No")
    with pytest.raises(continuity.OrderError):
        continuity.skip_next(enrolment=enrolment, by=clerk, version=seen)
    assert not enrolment.shipments.filter(status="skipped").exists()


@pytest.mark.parametrize("change", ["cancel", "remove"])
def test_a_programs_line_cancelled_or_removed_on_the_draft_enrols_nobody(clerk, program, change):
    order = draft(clerk, program)
    if change == "cancel":
        order_services.cancel_line(order=order, by=clerk, line_id=line(order, 1).pk, reason="No")
    else:
        order_services.remove_line(order=order, by=clerk, line_id=line(order, 1).pk)
    order = pay_and_submit(order, clerk)
    assert order.status == SalesOrder.Status.SUBMITTED
    assert not Enrolment.objects.filter(original_order=order).exists()
    assert process_due(today=month(12)).submitted == []
    assert not renewals_charged(order).exists()


def test_cancelling_or_removing_another_line_leaves_the_enrolment_active(clerk, program):
    order = draft(clerk, program)
    third = ProductFactory(price=Decimal("5.00"))
    order_services.add_line(order=order, by=clerk, product=third, quantity=1)
    order = pay_and_submit(order, clerk)
    enrolment = Enrolment.objects.get(original_order=order)
    order_services.cancel_line(order=order, by=clerk, line_id=line(order, 2).pk, reason="No")
    order_services.remove_line(order=order, by=clerk, line_id=line(order, 3).pk)
    enrolment.refresh_from_db()
    assert enrolment.is_active
    assert not enrolment.events.filter(type=EnrolmentEvent.Type.CANCELLED).exists()
    assert len(process_due(today=month(1)).submitted) == 1
    assert renewals_charged(order).count() == 1


def test_a_line_removed_then_its_number_taken_again_stops_nothing_more(clerk, program):
    """The new line 2 is not the program's: the enrolment of line 1 stays as it is."""
    order = pay_and_submit(draft(clerk, program), clerk)
    enrolment = Enrolment.objects.get(original_order=order)
    order_services.remove_line(order=order, by=clerk, line_id=line(order, 2).pk)
    new = order_services.add_line(order=order, by=clerk, product=ProductFactory(), quantity=1)
    assert new.line_number == 2
    order_services.cancel_line(order=order, by=clerk, line_id=new.pk, reason="No")
    enrolment.refresh_from_db()
    assert enrolment.is_active


def test_changing_the_programs_line_quantity_changes_the_events_to_come(clerk, program, logged_in):
    order = pay_and_submit(draft(clerk, program, quantity=2), clerk)
    enrolment = Enrolment.objects.get(original_order=order)
    assert enrolment.quantity == 2
    version = enrolment.version
    order_services.change_quantity(order=order, by=clerk, line_id=line(order, 1).pk, quantity=1)
    enrolment.refresh_from_db()
    assert (enrolment.quantity, enrolment.version) == (1, version + 1)
    changed = enrolment.events.get(type=EnrolmentEvent.Type.QUANTITY_CHANGED)
    assert changed.parameters == {"old": 2, "new": 1}
    # the quantity of the other line is none of the enrolment's business
    order_services.change_quantity(order=order, by=clerk, line_id=line(order, 2).pk, quantity=3)
    enrolment.refresh_from_db()
    assert (enrolment.quantity, enrolment.version) == (1, version + 1)
    process_due(today=month(1))
    child = enrolment.shipments.get(event_number=2).order
    assert [child_line.quantity for child_line in child.lines.all()] == [1]
    assert child.subtotal == Decimal("25.00")
    page = logged_in.get(reverse("customers:detail", args=[enrolment.customer_id]))
    assert f"Quantity changed: 2 → 1 · {clerk.get_username()}" in page.content.decode()


def test_the_quantity_of_a_stopped_enrolment_stays_as_it_was(clerk, program):
    order = pay_and_submit(draft(clerk, program, quantity=2), clerk)
    enrolment = Enrolment.objects.get(original_order=order)
    continuity.cancel_enrolment(
        enrolment=enrolment, by=clerk, version=enrolment.version, reason="Moving abroad"
    )
    order_services.change_quantity(order=order, by=clerk, line_id=line(order, 1).pk, quantity=1)
    enrolment.refresh_from_db()
    assert enrolment.quantity == 2
    assert not enrolment.events.filter(type=EnrolmentEvent.Type.QUANTITY_CHANGED).exists()


@pytest.mark.django_db(transaction=True)
def test_a_line_cancelled_while_the_processor_runs_leaves_nothing_to_charge(clerk, program):
    """Whichever goes first (the run's event 2, or the cancel), the enrolment ends
    stopped and no run after it charges the card."""
    order = pay_and_submit(draft(clerk, program), clerk)
    enrolment = Enrolment.objects.get(original_order=order)
    parent = line(order, 1)
    results, errors = run_together(
        lambda: order_services.cancel_line(order=order, by=clerk, line_id=parent.pk, reason="No"),
        lambda: process_due(today=month(1)),
    )
    assert errors == [None, None]
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED
    charged = renewals_charged(order).count()
    assert charged == len(results[1].submitted) <= 1
    assert process_due(today=month(12)).submitted == []
    assert renewals_charged(order).count() == charged


def test_a_programs_item_is_not_added_to_a_submitted_order(clerk, program, logged_in):
    """Enrolment is made at submit: after it, the program's item would be sold and shipped
    once, with no enrolment. The clerk is told to take it on a new order."""
    order = pay_and_submit(make_order(clerk=clerk, lines=[(ProductFactory(), 1)]), clerk)
    response = logged_in.post(
        reverse("orders:add_line", args=[order.number]),
        {"item_number": program.parent_product.item_number, "quantity": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "enrols the customer in a continuity program" in response.content.decode()
    assert order.lines.count() == 1
    # on a draft it is sold as ever
    other = make_order(clerk=clerk)
    order_services.add_line(order=other, by=clerk, product=program.parent_product, quantity=1)
    assert other.lines.count() == 1
