"""Editing a submitted order not yet released: lines re-priced, the payment difference
collected or refunded before release, stale forms refused."""

import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from orders import holds, services
from orders.errors import ConcurrentEdit, InvalidOrderData, OrderNotEditable
from orders.models import OrderEvent, SalesOrder
from payments.consistency import find_problems
from payments.selectors import order_summary
from tests.factories import ProductFactory, make_order
from tests.payments.conftest import pay, submit
from tests.payments.conftest import tender as tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(clerk, tender):
    """Two lines (100.00 and 10.00), paid in cash and submitted: 132.00."""
    order = make_order(
        clerk=clerk,
        lines=[
            (ProductFactory(price=Decimal("100.00")), 1),
            (ProductFactory(price=Decimal("10.00")), 1),
        ],
    )
    pay(order, clerk, tender("cash"), str(order.total))
    return submit(order, clerk)


def _summary(order):
    order.refresh_from_db()
    return order_summary(order=order)


def test_a_line_added_to_a_submitted_order_is_due_then_paid_and_released(submitted, clerk):
    services.add_line(
        order=submitted,
        by=clerk,
        product=ProductFactory(price=Decimal("50.00")),
        quantity=1,
        version=submitted.version,
    )
    assert _summary(submitted).balance == Decimal("55.00")
    with pytest.raises(holds.HoldError, match="collect it"):
        holds.release_order(order=submitted, by=clerk)
    pay(submitted, clerk, submitted.payments.first().method, "55.00")
    assert holds.release_order(order=submitted, by=clerk).status == SalesOrder.Status.PROCESSING


def test_a_line_removed_from_a_submitted_order_is_refunded_in_part(submitted, clerk):
    from payments.services import refund_payment

    line = submitted.lines.get(line_number=2)
    services.remove_line(order=submitted, by=clerk, line_id=line.pk, version=submitted.version)
    assert _summary(submitted).refund_due == Decimal("11.00")
    refund_payment(
        order=submitted,
        by=clerk,
        payment_id=submitted.payments.get().pk,
        amount=Decimal("11.00"),
        idempotency_key=uuid.uuid4(),
    )
    summary = _summary(submitted)
    assert (summary.balance, summary.refund_due) == (0, 0)
    assert list(find_problems()) == []


def test_an_edited_submitted_order_with_a_balance_due_is_reported(submitted, clerk):
    services.change_quantity(
        order=submitted, by=clerk, line_id=submitted.lines.get(line_number=2).pk, quantity=3
    )
    problems = list(find_problems())
    assert [p.rule for p in problems] == ["unpaid"]
    assert "balance due after edit" in problems[0].detail


def test_a_stale_version_is_refused_and_nothing_changes(submitted, clerk):
    seen = submitted.version
    services.change_quantity(
        order=submitted, by=clerk, line_id=submitted.lines.get(line_number=1).pk, quantity=2
    )
    with pytest.raises(ConcurrentEdit):
        services.add_line(
            order=submitted, by=clerk, product=ProductFactory(), quantity=1, version=seen
        )
    assert submitted.lines.count() == 2


def test_every_edit_bumps_the_version(submitted, clerk):
    before = submitted.version
    line = services.add_line(order=submitted, by=clerk, product=ProductFactory(), quantity=1)
    services.change_quantity(order=submitted, by=clerk, line_id=line.pk, quantity=2)
    services.remove_line(order=submitted, by=clerk, line_id=line.pk)
    submitted.refresh_from_db()
    assert submitted.version == before + 3


@pytest.mark.parametrize("status", [SalesOrder.Status.PROCESSING, SalesOrder.Status.SHIPPED])
def test_a_released_or_shipped_order_cannot_be_edited(submitted, clerk, status):
    SalesOrder.objects.filter(pk=submitted.pk).update(status=status)
    with pytest.raises(OrderNotEditable):
        services.change_quantity(
            order=submitted, by=clerk, line_id=submitted.lines.first().pk, quantity=2
        )


def test_the_delivery_address_of_a_submitted_order_can_change(submitted, clerk):
    services.update_header(
        order=submitted,
        by=clerk,
        version=submitted.version,
        delivery_mode=submitted.delivery_mode,
        delivery_address="1 New Street, Springfield",
    )
    submitted.refresh_from_db()
    assert submitted.delivery_address == "1 New Street, Springfield"
    assert submitted.events.filter(type=OrderEvent.Type.HEADER_CHANGED).exists()


# cancelling a line


def test_a_cancelled_line_stays_flagged_and_is_no_longer_priced(submitted, clerk):
    line = submitted.lines.get(line_number=2)
    services.cancel_line(order=submitted, by=clerk, line_id=line.pk, reason="Out of stock")
    line.refresh_from_db()
    assert line.is_cancelled and line.cancel_reason == "Out of stock"
    assert _summary(submitted).refund_due == Decimal("11.00")
    event = submitted.events.get(type=OrderEvent.Type.LINE_CANCELLED)
    assert event.parameters["reason"] == "Out of stock"


def test_a_line_is_not_cancelled_without_a_reason(submitted, clerk):
    with pytest.raises(InvalidOrderData):
        services.cancel_line(
            order=submitted, by=clerk, line_id=submitted.lines.first().pk, reason=" "
        )


# the pages


def test_a_stale_line_form_gets_a_409_alert_and_the_refreshed_order(logged_in, submitted, clerk):
    line = submitted.lines.get(line_number=1)
    seen = submitted.version
    services.change_quantity(order=submitted, by=clerk, line_id=line.pk, quantity=2)
    response = logged_in.post(
        reverse("orders:line_quantity", args=[submitted.number]),
        {"line": line.pk, "quantity": "5", "version": seen},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 409
    assert 'role="alert"' in content and "changed by someone else" in content
    assert f'name="version" value="{seen + 1}"' in content
    line.refresh_from_db()
    assert line.quantity == 2


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("orders:line_quantity", {"line": "x", "quantity": "0"}),
        ("orders:cancel_line", {"line": "1"}),
        ("orders:line_quantity", {"line": "999999", "quantity": "2"}),
    ],
)
def test_bad_line_input_gets_a_4xx_alert(logged_in, submitted, name, data):
    response = logged_in.post(reverse(name, args=[submitted.number]), data, HTTP_HX_REQUEST="true")
    assert 400 <= response.status_code < 500
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "field_id", "message"),
    [
        (
            "orders:cancel_line",
            {"reason": ""},
            "line-cancel-reason",
            "Enter the reason for cancelling the line.",
        ),
        ("orders:line_quantity", {"quantity": "2,5"}, "line-quantity", "Enter a whole number."),
    ],
)
def test_a_line_change_refused_for_a_field_opens_that_line_on_the_field(
    logged_in, submitted, name, data, field_id, message
):
    """The line's change box comes back open, its field marked invalid, described by its
    error and given the focus; the other line's box stays closed."""
    line = submitted.lines.get(line_number=2)
    response = logged_in.post(
        reverse(name, args=[submitted.number]),
        {"line": line.pk, "version": submitted.version, **data},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert content.count('<details class="line-change mt-1" open>') == 1
    field = re.search(rf'<input [^>]*id="{field_id}-{line.pk}"[^>]*>', content).group()
    assert 'aria-invalid="true"' in field
    assert f'aria-describedby="{field_id}-{line.pk}-error"' in field
    assert "autofocus" in field
    error = re.search(rf'<div id="{field_id}-{line.pk}-error"[^>]*>([^<]*)</div>', content)
    assert error.group(1) == message
    # the focus goes to the field to mend, not to the new line's item number
    assert content.count("autofocus") == 1
