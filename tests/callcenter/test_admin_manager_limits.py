"""What a manager may not do to the people of their call center in the admin: remove a
manager, make an administrator a channel user, or unlock an administrator's or another
manager's login."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from callcenter.admin import channel_user_choices
from callcenter.models import ChannelUser
from tests.callcenter.test_admin import change
from tests.callcenter.test_security import ATTEMPTS, lock_out
from tests.factories import ChannelUserFactory, UserFactory

pytestmark = pytest.mark.django_db

MANAGER = ChannelUser.Role.MANAGER


def delete_row(client, center, membership):
    index = list(center.channel_users.all()).index(membership)
    fixed = {"code": None, "company": None, "currency": None}  # not a manager's to change
    return change(client, center, **fixed, **{f"channel_users-{index}-DELETE": "on"})


def test_a_manager_cannot_remove_another_manager_on_the_centers_page(manager_client, call_center):
    other = ChannelUserFactory(call_center=call_center, role=MANAGER)
    response = delete_row(manager_client, call_center, other)
    assert response.status_code == 200
    assert "only an administrator removes a manager" in response.content.decode()
    assert ChannelUser.objects.filter(pk=other.pk).exists()


def test_a_manager_removes_a_clerk_on_the_centers_page(manager_client, call_center, clerk):
    membership = clerk.channel_memberships.get()
    assert delete_row(manager_client, call_center, membership).status_code == 302
    assert not ChannelUser.objects.filter(pk=membership.pk).exists()


def test_an_administrator_removes_a_manager(superuser_client, call_center, manager):
    membership = manager.channel_memberships.get()
    response = change(
        superuser_client,
        call_center,
        **{f"channel_users-{list(call_center.channel_users.all()).index(membership)}-DELETE": "on"},
    )
    assert response.status_code == 302
    assert not ChannelUser.objects.filter(pk=membership.pk).exists()


def test_a_manager_is_not_offered_an_administrator_as_a_channel_user(rf, manager, call_center):
    from callcenter import access

    root = UserFactory(username="root", is_staff=True, is_superuser=True)  # of no center
    newcomer = UserFactory(username="newcomer")  # of no center either
    request = rf.get("/")
    request.user = manager
    request.session = {}
    assert access.memberships(request)
    offered = set(channel_user_choices(request))
    assert newcomer in offered
    assert root not in offered


def test_a_manager_does_not_unlock_an_administrator_or_another_manager(
    manager_client, call_center, clerk
):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    ChannelUserFactory(call_center=call_center, user=root)  # an administrator who is a clerk too
    other = ChannelUserFactory(call_center=call_center, role=MANAGER).user
    for username in (clerk.username, "root", other.username):
        lock_out(username)
    listed = manager_client.get(ATTEMPTS).context["cl"].result_list
    assert [a.username for a in listed] == [clerk.username]
    root_attempt = AccessAttempt.objects.get(username="root")
    delete = reverse("admin:axes_accessattempt_delete", args=[root_attempt.pk])
    manager_client.post(delete, {"post": "yes"})
    assert AccessAttempt.objects.filter(pk=root_attempt.pk).exists()
