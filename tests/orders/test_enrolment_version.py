"""The nightly processor raises an enrolment's version when it moves it on: a Skip next
(or any form) from a customer page read before the run is refused, instead of skipping
the event after the one the run just charged and shipped."""

import pytest
from django.urls import reverse

from orders import continuity
from orders.errors import ConcurrentEdit
from orders.models import Enrolment, EnrolmentShipment
from payments.continuity import process_due
from payments.gateways import get_gateway
from tests.factories import TENDERS, PaymentMethodFactory, make_order, offer
from tests.payments.conftest import card, pay, submit
from tests.payments.test_continuity import make_program, month

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment(clerk):
    """The program's parent item sold and paid by card: event 1 went with the order,
    event 2 is due in a month."""
    program = make_program()
    order = make_order(clerk=clerk, lines=[(program.parent_product, 1)])
    method = offer(order.call_center, PaymentMethodFactory(**TENDERS["card"]))
    pay(order, clerk, method, str(order.total), card=card())
    submit(order, clerk)
    return Enrolment.objects.get(original_order=order)


def _as_it_was(enrolment):
    return Enrolment.objects.values(
        "version", "next_event_number", "next_event_date", "events_done", "status"
    ).get(pk=enrolment.pk)


def test_a_skip_from_a_page_read_before_the_run_is_refused(enrolment, clerk):
    seen = enrolment.version  # the clerk's page: next, event 2 in a month
    process_due(today=month(1))  # the run orders and charges event 2
    enrolment.refresh_from_db()
    assert enrolment.version == seen + 1
    assert enrolment.next_event_number == 3
    after_run = _as_it_was(enrolment)
    with pytest.raises(ConcurrentEdit):
        continuity.skip_next(enrolment=enrolment, by=clerk, version=seen)
    assert not EnrolmentShipment.objects.filter(status=EnrolmentShipment.Status.SKIPPED).exists()
    assert _as_it_was(enrolment) == after_run
    # reloaded, the page's form skips the event the customer now has next
    continuity.skip_next(enrolment=enrolment, by=clerk, version=enrolment.version)
    assert enrolment.shipments.get(status=EnrolmentShipment.Status.SKIPPED).event_number == 3


def test_a_declined_renewal_raises_the_version_too(enrolment, clerk):
    seen = enrolment.version
    get_gateway().decline_token(enrolment.card_token, "Insufficient funds.")
    assert process_due(today=month(1)).held
    enrolment.refresh_from_db()
    assert (enrolment.version, enrolment.next_event_number) == (seen + 1, 3)
    with pytest.raises(ConcurrentEdit):
        continuity.cancel_enrolment(enrolment=enrolment, by=clerk, version=seen, reason="Moving")
    enrolment.refresh_from_db()
    assert enrolment.is_active


def test_each_event_a_late_run_catches_up_raises_the_version(enrolment):
    seen = enrolment.version
    assert len(process_due(today=month(12)).submitted) == 5  # events 2 to 6, then completed
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.version == seen + 5


def test_the_clerks_stale_skip_gets_a_409_with_an_alert_and_changes_nothing(
    enrolment, clerk, logged_in
):
    seen = enrolment.version
    process_due(today=month(1))
    after_run = _as_it_was(enrolment)
    response = logged_in.post(reverse("continuity:skip", args=[enrolment.pk]), {"version": seen})
    assert response.status_code == 409
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "This enrolment was changed meanwhile" in content
    assert _as_it_was(enrolment) == after_run
    assert not enrolment.shipments.filter(status=EnrolmentShipment.Status.SKIPPED).exists()
