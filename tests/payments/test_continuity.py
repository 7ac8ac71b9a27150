"""Continuity programs: enrolment at submit, the processor, skip, change address, cancel."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from orders import continuity
from orders.continuity_schedule import add_months
from orders.models import (
    ContinuityProgram,
    ContinuityProgramItem,
    Enrolment,
    EnrolmentEvent,
    EnrolmentShipment,
    OrderHold,
    SalesOrder,
)
from payments.continuity import process_due
from payments.gateways import get_gateway
from payments.models import Payment
from tests.concurrency import run_together
from tests.factories import AddressFactory, ProductFactory, make_order
from tests.payments.conftest import cancel, card, pay, submit

pytestmark = pytest.mark.django_db


def make_program(*, count=6, price="25.00", first_with_order=True, **options):
    parent = ProductFactory(price=Decimal(price))
    program = ContinuityProgram.objects.create(
        code=f"P{parent.pk}",
        name="Coffee of the month",
        parent_product=parent,
        interval=1,
        interval_unit=ContinuityProgram.Unit.MONTHS,
        event_count=count,
        first_with_order=first_with_order,
        **options,
    )
    ContinuityProgramItem.objects.create(
        program=program, product=parent, quantity=1, price=Decimal(price)
    )
    return program


@pytest.fixture
def program():
    return make_program()


@pytest.fixture
def enrolment(clerk, tender, program):
    """Karen's order of the program's parent item, paid by card and submitted."""
    order = make_order(clerk=clerk, lines=[(program.parent_product, 1)])
    pay(order, clerk, tender("card"), str(order.total), card=card())
    submit(order, clerk)
    return Enrolment.objects.get(original_order=order)


def start():
    return timezone.localdate()


def month(n):
    return add_months(start(), n)


def test_submitting_an_order_with_the_parent_item_enrols_the_customer_with_the_card_token(
    enrolment,
):
    payment = enrolment.original_order.payments.get()
    assert enrolment.card_token == payment.card_token
    assert enrolment.card_token.startswith("tok_test_")
    assert enrolment.card_last4 == "1111"
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.events_done == 1  # the first shipment went with the order
    assert (enrolment.next_event_number, enrolment.next_event_date) == (2, month(1))
    assert enrolment.delivery_address == enrolment.original_order.delivery_address
    assert enrolment.events.filter(type="enrolled").exists()


def test_an_order_without_a_parent_item_enrols_nobody(clerk, tender):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])
    pay(order, clerk, tender("cash"), "120.00")
    submit(order, clerk)
    assert not Enrolment.objects.exists()


def test_the_processor_creates_the_due_child_order_priced_charged_and_submitted(enrolment):
    outcome = process_due(today=month(1))
    shipment = enrolment.shipments.get(event_number=2)
    child = shipment.order
    assert outcome.submitted == [child.number]
    assert child.status == SalesOrder.Status.SUBMITTED
    assert child.customer_id == enrolment.customer_id
    # 25.00 + 10.00 shipping by 99 Standard + 10 % tax on 25.00
    assert child.total == Decimal("37.50")
    assert child.amount_paid == child.total
    payment = child.payments.get()
    assert payment.status == Payment.Status.CAPTURED
    assert get_gateway().charges[payment.card_token]["stored"] == enrolment.card_token
    enrolment.refresh_from_db()
    assert (enrolment.events_done, enrolment.next_event_date) == (2, month(2))
    assert not Enrolment.objects.filter(original_order=child).exists()  # no enrolment again


def test_nothing_is_created_before_the_next_date(enrolment):
    process_due(today=month(1) - datetime.timedelta(days=1))
    assert not enrolment.shipments.filter(order__isnull=False).exists()


def test_running_the_processor_twice_creates_nothing_new(enrolment):
    process_due(today=month(1))
    again = process_due(today=month(1))
    assert again.submitted == again.held == []
    assert EnrolmentShipment.objects.filter(order__isnull=False).count() == 1


def test_a_late_run_catches_up_one_child_order_per_event_and_completes(enrolment):
    outcome = process_due(today=month(12))
    assert len(outcome.submitted) == 5
    assert sorted(enrolment.shipments.values_list("event_number", flat=True)) == [1, 2, 3, 4, 5, 6]
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.next_event_date is None


def test_the_command_processes_the_due_events(enrolment, capsys):
    call_command("process_continuity", date=month(1).isoformat())
    assert "1 submitted, 0 on hold, 0 failed" in capsys.readouterr().out


def test_a_declined_renewal_leaves_the_child_order_a_draft_on_payment_hold(enrolment):
    get_gateway().decline_token(enrolment.card_token, "Insufficient funds.")
    outcome = process_due(today=month(1))
    child = enrolment.shipments.get(event_number=2).order
    assert outcome.held == [child.number]
    assert child.status == SalesOrder.Status.DRAFT
    hold = OrderHold.objects.open().get(order=child)
    assert hold.code.code == continuity.PAYMENT_HOLD
    assert "Insufficient funds." in hold.note
    assert child.payments.get().status == Payment.Status.DECLINED
    enrolment.refresh_from_db()
    assert enrolment.needs_attention
    assert enrolment.next_event_date == month(2)  # the schedule goes on
    assert enrolment.events.filter(type="renewal_declined").exists()


def test_skipping_the_next_event_creates_no_order_for_it(enrolment, clerk):
    continuity.skip_next(enrolment=enrolment, by=clerk, version=enrolment.version)
    process_due(today=month(1))
    assert enrolment.shipments.get(event_number=2).status == EnrolmentShipment.Status.SKIPPED
    assert enrolment.shipments.get(event_number=2).order is None
    enrolment.refresh_from_db()
    assert (enrolment.next_event_number, enrolment.next_event_date) == (3, month(2))


def test_a_skip_sent_twice_skips_once(enrolment, clerk):
    version = enrolment.version
    continuity.skip_next(enrolment=enrolment, by=clerk, version=version)
    with pytest.raises(continuity.ConcurrentEdit):
        continuity.skip_next(enrolment=enrolment, by=clerk, version=version)
    assert enrolment.shipments.filter(status="skipped").count() == 1


def test_cancelling_stops_every_future_event(enrolment, clerk):
    continuity.cancel_enrolment(
        enrolment=enrolment, by=clerk, version=enrolment.version, reason="Moving abroad"
    )
    process_due(today=month(12))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED
    assert enrolment.cancel_reason == "Moving abroad"
    assert not enrolment.shipments.filter(order__isnull=False).exists()


def test_cancelling_the_order_that_enrolled_stops_the_enrolment(enrolment, clerk):
    """Its card is not charged again for a sale that was undone."""
    cancel(enrolment.original_order, clerk, reason="Customer changed their mind")
    process_due(today=month(12))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED
    assert enrolment.cancel_reason == "Customer changed their mind"
    assert enrolment.events.filter(type=EnrolmentEvent.Type.CANCELLED).count() == 1
    assert not enrolment.shipments.filter(order__isnull=False).exists()
    assert (
        Payment.objects.filter(order__customer=enrolment.customer)
        .exclude(order=enrolment.original_order)
        .count()
        == 0
    )


def test_cancelling_needs_a_reason(enrolment, clerk):
    with pytest.raises(continuity.InvalidOrderData):
        continuity.cancel_enrolment(enrolment=enrolment, by=clerk, version=1, reason="  ")


def test_a_changed_address_goes_on_the_next_child_order(enrolment, clerk):
    address = AddressFactory(customer=enrolment.customer, street="1 New Road", is_primary=False)
    continuity.change_address(
        enrolment=enrolment, by=clerk, version=enrolment.version, address=address
    )
    process_due(today=month(1))
    child = enrolment.shipments.get(event_number=2).order
    assert "1 New Road" in child.delivery_address


def test_an_address_of_another_customer_is_refused(enrolment, clerk):
    with pytest.raises(continuity.InvalidOrderData):
        continuity.change_address(
            enrolment=enrolment, by=clerk, version=enrolment.version, address=AddressFactory()
        )


def test_a_program_paid_up_front_ships_later_events_without_charging_the_items(clerk, tender):
    program = make_program(count=3, billing=ContinuityProgram.Billing.UP_FRONT)
    order = make_order(clerk=clerk, lines=[(program.parent_product, 1)])
    pay(order, clerk, tender("card"), str(order.total), card=card())
    submit(order, clerk)
    process_due(today=month(1))
    child = Enrolment.objects.get().shipments.get(event_number=2).order
    assert child.subtotal == Decimal("0.00")


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_create_each_child_order_exactly_once(clerk, tender):
    enrolments = []
    for _ in range(3):
        program = make_program()
        order = make_order(clerk=clerk, lines=[(program.parent_product, 1)])
        pay(order, clerk, tender("card"), str(order.total), card=card())
        submit(order, clerk)
        enrolments.append(Enrolment.objects.get(original_order=order))
    results, errors = run_together(
        lambda: process_due(today=month(2)), lambda: process_due(today=month(2))
    )
    assert errors == [None, None]
    created = results[0].submitted + results[1].submitted
    assert len(created) == len(set(created)) == 6  # events 2 and 3 of each enrolment
    assert EnrolmentShipment.objects.filter(order__isnull=False).count() == 6
    assert SalesOrder.objects.filter(continuity_shipment__isnull=False).count() == 6
    assert Payment.objects.filter(order__continuity_shipment__isnull=False).count() == 6
