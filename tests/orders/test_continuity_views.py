"""The order page's Continuity program panel and the customer page's enrolment actions."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import ContinuityProgram, ContinuityProgramItem, Enrolment
from payments import services as payment_services
from tests.factories import (
    TENDERS,
    AddressFactory,
    PaymentMethodFactory,
    ProductFactory,
    make_order,
    offer,
)

pytestmark = pytest.mark.django_db


def make_program(count=6):
    parent = ProductFactory(price=Decimal("25.00"))
    program = ContinuityProgram.objects.create(
        code=f"P{parent.pk}",
        name="Coffee of the month",
        parent_product=parent,
        event_count=count,
        script="Read this to the caller.",
    )
    ContinuityProgramItem.objects.create(
        program=program, product=parent, quantity=1, price=Decimal("25.00")
    )
    return program


def enrol(clerk, customer=None):
    program = make_program()
    order = make_order(clerk=clerk, customer=customer, lines=[(program.parent_product, 1)])
    cash = offer(order.call_center, PaymentMethodFactory(**TENDERS["cash"]))
    payment_services.add_payment(
        order=order, by=clerk, method=cash, amount=order.total, idempotency_key=uuid.uuid4()
    )
    payment_services.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())
    return Enrolment.objects.get(original_order=order)


def test_the_order_page_shows_the_schedule_and_total_commitment_of_a_parent_item(logged_in, clerk):
    program = make_program()
    order = make_order(clerk=clerk, lines=[(program.parent_product, 2)])
    content = logged_in.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert "Continuity program" in content
    assert "Total commitment" in content
    assert "300.00" in content  # 6 events x 2 x 25.00
    assert "Read this to the caller." in content
    assert "one event every month." in content  # monthly: not "every 1 months"
    french = logged_in.get(
        reverse("orders:detail", args=[order.number]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "un envoi chaque mois." in french


def test_adding_the_parent_item_with_htmx_sends_the_panel(logged_in, clerk):
    program = make_program()
    order = make_order(clerk=clerk)
    response = logged_in.post(
        reverse("orders:add_line", args=[order.number]),
        {"item_number": program.parent_product.item_number, "quantity": 1},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert 'id="continuity-panel" hx-swap-oob="true"' in content
    assert "150.00" in content


def test_the_customer_page_lists_the_enrolment(logged_in, clerk):
    enrolment = enrol(clerk)
    content = logged_in.get(
        reverse("customers:detail", args=[enrolment.customer_id])
    ).content.decode()
    assert "Enrolments" in content and "Coffee of the month" in content
    assert "Skip next" in content and "Cancel enrolment" in content


def test_skip_from_the_customer_page_moves_the_next_date(logged_in, clerk):
    enrolment = enrol(clerk)
    url = reverse("continuity:skip", args=[enrolment.pk])
    response = logged_in.post(url, {"version": enrolment.version})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.next_event_number == 3
    again = logged_in.post(url, {"version": 1})  # the same form sent twice
    assert again.status_code == 409
    assert 'role="alert"' in again.content.decode()
    # the customer page's history of the enrolment says who skipped which event
    page = logged_in.get(reverse("customers:detail", args=[enrolment.customer_id]))
    history = page.content.decode().split('class="enrolment-history"')[1].split("</details>")[0]
    assert "History (2 events)" in history
    assert f"Next event skipped: event 2 · {clerk.get_username()}" in history
    assert f"Enrolled: order {enrolment.original_order.number}" in history


def test_cancel_without_a_reason_is_refused_with_an_alert(logged_in, clerk):
    enrolment = enrol(clerk)
    response = logged_in.post(
        reverse("continuity:cancel", args=[enrolment.pk]), {"version": 1, "reason": ""}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.is_active


def test_cancel_with_a_reason_stops_the_enrolment(logged_in, clerk):
    enrolment = enrol(clerk)
    response = logged_in.post(
        reverse("continuity:cancel", args=[enrolment.pk]),
        {"version": 1, "reason": "Too much coffee"},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED
    # the customer page says nothing is left to ship, not what would have been
    page = logged_in.get(reverse("customers:detail", args=[enrolment.customer_id]))
    content = page.content.decode()
    row = content[content.index(f"<td>{enrolment.program.name}") :].split("</tr>")[0]
    assert '<td class="text-end">—</td>' in row


def test_change_address_takes_one_of_the_customer_addresses(logged_in, clerk):
    enrolment = enrol(clerk)
    address = AddressFactory(customer=enrolment.customer, street="9 Elm St", is_primary=False)
    response = logged_in.post(
        reverse("continuity:address", args=[enrolment.pk]), {"version": 1, "address": address.pk}
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert "9 Elm St" in enrolment.delivery_address


@pytest.mark.parametrize(
    "data", [{}, {"version": "x"}, {"version": 1, "address": "999999"}, {"version": "-1"}]
)
def test_bad_input_is_refused_with_an_alert_never_a_500(logged_in, clerk, data):
    enrolment = enrol(clerk)
    response = logged_in.post(reverse("continuity:address", args=[enrolment.pk]), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
