"""Who may do what, where: role x action x own or other call center."""

import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from callcenter.models import ChannelUser
from callcenter.roles import GROUPS
from tests.factories import (
    CallCenterFactory,
    ChannelUserFactory,
    CustomerFactory,
    PaymentMethodFactory,
    ProductFactory,
    UserFactory,
    make_order,
    offer,
)

pytestmark = pytest.mark.django_db

ROLES = [ChannelUser.Role.CLERK, ChannelUser.Role.SUPERVISOR, ChannelUser.Role.MANAGER]


@pytest.fixture
def own(clerk, call_center):
    """A call center of company USRT with a draft order of 120.00."""
    offer(call_center, PaymentMethodFactory())
    product = ProductFactory(price=Decimal("100.00"))
    order = make_order(clerk=clerk, lines=[(product, 1)])
    return {"center": call_center, "order": order, "product": product}


def actions(order, product, method_pk):
    """(name, method, url, data, status for a channel user of the order's center)."""
    number = order.number
    return [
        ("customer page", "get", reverse("customers:detail", args=[order.customer_id]), None, 200),
        ("new order", "post", reverse("orders:create", args=[order.customer_id]), {}, 302),
        ("order page", "get", reverse("orders:detail", args=[number]), None, 200),
        ("order history", "get", reverse("orders:history", args=[number]), None, 200),
        (
            "header",
            "post",
            reverse("orders:header", args=[number]),
            {"delivery_mode": "", "version": order.version},
            302,
        ),
        (
            "add line",
            "post",
            reverse("orders:add_line", args=[number]),
            {"item_number": product.item_number, "quantity": 1},
            302,
        ),
        ("complete", "post", reverse("payments:complete", args=[number]), {}, 302),
        ("summary", "get", reverse("payments:summary", args=[number]), None, 200),
        ("payment form", "get", reverse("payments:payment_new", args=[number]), None, 200),
        (
            "payment",
            "post",
            reverse("payments:payment_create", args=[number]),
            {"method": method_pk, "amount": "1.00", "idempotency_key": uuid.uuid4()},
            302,
        ),
        (
            "submit",
            "post",
            reverse("payments:submit", args=[number]),
            {"idempotency_key": uuid.uuid4()},
            409,  # reached the gate, which refuses: a balance is due
        ),
    ]


ACTION_NAMES = [
    "customer page",
    "new order",
    "order page",
    "order history",
    "header",
    "add line",
    "complete",
    "summary",
    "payment form",
    "payment",
    "submit",
]


def perform(client, action):
    _name, method, url, data, _status = action
    return getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)


def find(own, name):
    method = PaymentMethodFactory()
    return next(a for a in actions(own["order"], own["product"], method.pk) if a[0] == name)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ACTION_NAMES)
def test_every_role_of_the_call_center_may_take_orders(client, own, role, name):
    user = ChannelUserFactory(call_center=own["center"], role=role).user
    client.force_login(user)
    action = find(own, name)
    assert perform(client, action).status_code == action[4]


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_a_user_of_another_company_s_call_center_finds_nothing(client, own, name):
    stranger = ChannelUserFactory(call_center=CallCenterFactory(company="FABR")).user
    client.force_login(stranger)
    response = perform(client, find(own, name))
    assert response.status_code == 404
    assert own["order"].number not in response.content.decode()


@pytest.mark.parametrize(
    "name", [n for n in ACTION_NAMES if n not in {"customer page", "new order"}]
)
def test_a_user_of_another_call_center_of_the_same_company_cannot_reach_the_order(
    client, own, name
):
    neighbour = ChannelUserFactory(call_center=CallCenterFactory(company="USRT")).user
    client.force_login(neighbour)
    assert perform(client, find(own, name)).status_code == 404


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_a_user_who_is_no_channel_user_is_refused(client, own, name):
    client.force_login(UserFactory())
    assert perform(client, find(own, name)).status_code in {403, 404}


def test_a_user_who_is_no_channel_user_is_told_so_after_login(client):
    client.force_login(UserFactory())
    response = client.get(reverse("customers:service"))
    assert response.status_code == 403
    assert "not a user of any active call center" in response.content.decode()


def test_a_role_whose_group_lost_a_permission_is_refused_that_action(client, own):
    group = Group.objects.get(name=GROUPS["clerk"])
    group.permissions.remove(Permission.objects.get(codename="add_payment"))
    client.force_login(own["order"].clerk)
    response = perform(client, find(own, "payment"))
    assert response.status_code == 403
    assert not own["order"].payments.exists()


def test_the_channel_users_role_puts_them_in_its_group(own):
    member = ChannelUserFactory(call_center=own["center"], role=ChannelUser.Role.SUPERVISOR)
    assert list(member.user.groups.values_list("name", flat=True)) == [GROUPS["supervisor"]]
    member.role = ChannelUser.Role.MANAGER
    member.save()
    member.user.refresh_from_db()
    assert list(member.user.groups.values_list("name", flat=True)) == [GROUPS["manager"]]
    assert member.user.is_staff
    member.delete()
    assert not member.user.groups.exists()


def test_a_customer_of_another_company_gets_no_order_here(client, own):
    foreign = CustomerFactory(company="FABR")
    client.force_login(own["order"].clerk)
    assert client.post(reverse("orders:create", args=[foreign.pk])).status_code == 404


def test_searching_finds_only_the_current_centers_company_customers(client, own):
    CustomerFactory(name="Karen Usrt", company="USRT")
    CustomerFactory(name="Karen Fabr", company="FABR")
    client.force_login(own["order"].clerk)
    content = client.get(reverse("customers:service"), {"q": "Karen"}).content.decode()
    assert "Karen Usrt" in content
    assert "Karen Fabr" not in content


def test_a_clerk_removed_from_their_call_center_is_told_so_in_place(client, clerk):
    """A page of the call center was still open: its next click is refused with the message
    alone (no page swapped into the panel it was to change)."""
    import json

    client.force_login(clerk)
    clerk.channel_memberships.all().delete()
    response = client.get(reverse("customers:service"), {"q": "Karen"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403 and response["HX-Reswap"] == "none"
    message = json.loads(response["HX-Trigger"])["request-refused"]
    assert "not a user of any active call center" in message


def test_a_clerk_removed_while_an_order_is_open_is_told_why_not_their_role(client, clerk):
    """The order page's clicks check a permission first: the refusal says the clerk is no
    longer a channel user, not that their role does not allow it."""
    import json

    order = make_order(clerk=clerk, lines=[(ProductFactory(), 1)])
    client.force_login(clerk)
    clerk.channel_memberships.all().delete()
    response = client.post(
        reverse("orders:add_line", args=[order.number]),
        {"item_number": "X", "quantity": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    message = json.loads(response["HX-Trigger"])["request-refused"]
    assert "not a user of any active call center" in message


def test_a_manager_demoted_to_clerk_loses_staff_status(call_center):
    member = ChannelUserFactory(call_center=call_center, role=ChannelUser.Role.MANAGER)
    member.role = ChannelUser.Role.CLERK
    member.save()
    member.user.refresh_from_db()
    assert not member.user.is_staff


def test_a_manager_of_another_center_keeps_staff_status(call_center):
    member = ChannelUserFactory(call_center=call_center, role=ChannelUser.Role.MANAGER)
    other = CallCenterFactory(code="OTHER")
    ChannelUserFactory(call_center=other, user=member.user, role=ChannelUser.Role.MANAGER)
    member.delete()
    member.user.refresh_from_db()
    assert member.user.is_staff


def test_admin_rights_an_administrator_gave_keep_staff_status(call_center):
    member = ChannelUserFactory(call_center=call_center, role=ChannelUser.Role.MANAGER)
    member.user.groups.add(Group.objects.create(name="Accounting"))
    member.role = ChannelUser.Role.CLERK
    member.save()
    member.user.refresh_from_db()
    assert member.user.is_staff
