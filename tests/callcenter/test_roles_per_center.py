"""A user's role counts in the call center it was given in: a supervisor of one center
who is a clerk of another may do in the second only what a clerk may."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from callcenter.access import role_may
from callcenter.models import ChannelUser
from orders import holds, services
from orders.errors import OrderError, OverrideNeedsApproval
from orders.models import HoldCode, PriceOverrideReason
from tests.factories import CallCenterFactory, ChannelUserFactory, ProductFactory, make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(clerk, call_center):
    """Another call center (of the same company) where the clerk is a supervisor."""
    center = CallCenterFactory(code="ELSEWHERE", order_number_prefix="ELSE")
    ChannelUserFactory(user=clerk, call_center=center, role=ChannelUser.Role.SUPERVISOR)
    return center


@pytest.fixture
def research():
    return HoldCode.objects.create(code="RESEARCH", name="Research")


def test_role_may_follows_the_role_in_each_center(clerk, call_center, elsewhere):
    assert clerk.has_perm("orders.clear_hold")  # the supervisor's group, from elsewhere
    assert role_may(clerk, "orders.clear_hold", elsewhere)
    assert not role_may(clerk, "orders.clear_hold", call_center)
    assert role_may(clerk, "orders.change_salesorder", call_center)
    assert not role_may(clerk, "orders.change_salesorder", CallCenterFactory())  # not theirs


def test_a_supervisor_elsewhere_is_held_to_the_clerks_limit_here(clerk, call_center, elsewhere):
    reason = PriceOverrideReason.objects.create(code="MATCH", description="Price match")
    order = make_order(
        clerk=clerk, call_center=call_center, lines=[(ProductFactory(price=Decimal("100.00")), 1)]
    )
    with pytest.raises(OverrideNeedsApproval, match="A supervisor must approve"):
        services.override_price(
            order=order,
            by=clerk,
            line_id=order.lines.get().pk,
            price=Decimal("0.00"),
            reason=reason,
        )
    assert not order.lines.get().is_price_overridden


def test_a_supervisor_elsewhere_cannot_work_this_centers_holds(
    clerk, call_center, elsewhere, research
):
    order = make_order(clerk=clerk, call_center=call_center, lines=[(ProductFactory(), 1)])
    hold = holds.place_hold(order=order, by=clerk, code=research, note="x")
    with pytest.raises(OrderError, match="worked by its supervisors"):
        holds.check_out_hold(order=order, by=clerk, hold_id=hold.pk)
    hold.refresh_from_db()
    assert hold.checked_out_by is None
    supervisor = ChannelUserFactory(call_center=call_center, role="supervisor").user
    assert holds.check_out_hold(order=order, by=supervisor, hold_id=hold.pk).checked_out_by == (
        supervisor
    )


def test_the_hold_queue_lists_the_holds_of_the_centers_where_they_supervise(
    client, clerk, call_center, elsewhere, research
):
    here = make_order(clerk=clerk, call_center=call_center, lines=[(ProductFactory(), 1)])
    holds.place_hold(order=here, by=clerk, code=research, note="x")
    there = make_order(clerk=clerk, call_center=elsewhere, lines=[(ProductFactory(), 1)])
    holds.place_hold(order=there, by=clerk, code=research, note="x")
    client.force_login(clerk)
    page = client.get(reverse("holds:queue")).content.decode()
    assert there.number in page
    assert here.number not in page


def test_the_warehouse_export_has_the_orders_of_the_centers_where_they_may_export(
    client, clerk, call_center, elsewhere
):
    from payments import services as payments

    released = []
    for center in (call_center, elsewhere):
        center.order_completion_enabled = False  # submitted without payments
        center.save()
        order = make_order(clerk=clerk, call_center=center, lines=[(ProductFactory(), 1)])
        payments.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())
        holds.release_order(order=order, by=clerk)
        released.append(order.number)
    client.force_login(clerk)
    body = b"".join(client.get(reverse("holds:fulfilment_csv")).streaming_content).decode()
    assert released[1] in body
    assert released[0] not in body


def test_the_mail_house_export_follows_the_role_in_the_current_center(
    client, clerk, call_center, elsewhere
):
    client.force_login(clerk)  # working in the center they joined first, as a clerk
    assert client.get(reverse("orders:catalog_requests")).status_code == 403
    client.post(reverse("switch_call_center"), {"call_center": elsewhere.pk})
    assert client.get(reverse("orders:catalog_requests")).status_code == 200
