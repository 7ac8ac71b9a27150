"""A manager configures the call centers they manage, and only those: the admin's
forms offer no other center (nor its users), refuse one posted anyway, and only
superusers make someone a manager."""

import pytest
from django.urls import reverse

from callcenter.models import ChannelUser
from payments.models import CallCenterPaymentMethod
from tests.callcenter.test_admin import change, inline
from tests.factories import (
    ChannelUserFactory,
    PaymentMethodFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OFFER_ADD = reverse("admin:payments_callcenterpaymentmethod_add")
MEMBER_ADD = reverse("admin:callcenter_channeluser_add")


def form_of(response):
    return response.context["adminform"].form


# payment methods offered


def test_a_manager_is_offered_only_the_centers_they_manage(manager_client, call_center, elsewhere):
    form = form_of(manager_client.get(OFFER_ADD))
    assert list(form.fields["call_center"].queryset) == [call_center]
    assert "OTHER" not in manager_client.get(OFFER_ADD).content.decode()


def test_a_manager_cannot_offer_a_method_in_another_center(manager_client, elsewhere):
    cash = PaymentMethodFactory()
    response = manager_client.post(
        OFFER_ADD, {"call_center": elsewhere.pk, "payment_method": cash.pk}
    )
    assert response.status_code == 200
    assert form_of(response).errors["call_center"]
    assert not CallCenterPaymentMethod.objects.filter(call_center=elsewhere).exists()


def test_a_manager_offers_a_method_in_their_own_center(manager_client, call_center, elsewhere):
    cash = PaymentMethodFactory()
    response = manager_client.post(
        OFFER_ADD, {"call_center": call_center.pk, "payment_method": cash.pk}
    )
    assert response.status_code == 302
    assert CallCenterPaymentMethod.objects.filter(call_center=call_center).exists()


def test_a_manager_cannot_move_an_offer_to_another_center(manager_client, call_center, elsewhere):
    cash = PaymentMethodFactory()
    offer = CallCenterPaymentMethod.objects.create(call_center=call_center, payment_method=cash)
    url = reverse("admin:payments_callcenterpaymentmethod_change", args=[offer.pk])
    response = manager_client.post(url, {"call_center": elsewhere.pk, "payment_method": cash.pk})
    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.call_center == call_center


def test_a_payment_method_s_page_shows_a_manager_only_their_centers_offers(
    manager_client, call_center, elsewhere
):
    cash = PaymentMethodFactory()
    CallCenterPaymentMethod.objects.create(call_center=call_center, payment_method=cash)
    CallCenterPaymentMethod.objects.create(call_center=elsewhere, payment_method=cash)
    url = reverse("admin:payments_paymentmethod_change", args=[cash.pk])
    response = manager_client.get(url)
    assert response.status_code == 200
    [formset] = [f.formset for f in response.context["inline_admin_formsets"]]
    assert [form.instance.call_center for form in formset.initial_forms] == [call_center]


def test_a_superuser_still_offers_methods_in_every_center(superuser_client, elsewhere):
    cash = PaymentMethodFactory()
    response = superuser_client.post(
        OFFER_ADD, {"call_center": elsewhere.pk, "payment_method": cash.pk}
    )
    assert response.status_code == 302


# channel users


def member(center, user, role="clerk", name=""):
    return {"call_center": center.pk, "user": user.pk, "name": name, "role": role}


def test_a_manager_picks_among_their_centers_and_their_users(
    manager_client, manager, clerk, call_center, elsewhere
):
    UserFactory(username="newcomer")  # a user of no call center yet
    form = form_of(manager_client.get(MEMBER_ADD))
    assert list(form.fields["call_center"].queryset) == [call_center]
    users = set(form.fields["user"].queryset.values_list("username", flat=True))
    assert {clerk.username, manager.username, "newcomer"} <= users
    assert "otherclerk" not in users
    roles = [value for value, _label in form.fields["role"].choices]
    assert "manager" not in roles and {"clerk", "supervisor"} <= set(roles)


def test_a_manager_adds_a_clerk_and_a_supervisor_to_their_center(manager_client, call_center):
    for name, role in [("newclerk", "clerk"), ("newsup", "supervisor")]:
        response = manager_client.post(
            MEMBER_ADD, member(call_center, UserFactory(username=name), role)
        )
        assert response.status_code == 302, form_of(response).errors
        assert ChannelUser.objects.get(user__username=name).role == role


def test_a_manager_cannot_add_a_user_to_another_center(manager_client, elsewhere):
    response = manager_client.post(MEMBER_ADD, member(elsewhere, UserFactory(username="newcomer")))
    assert response.status_code == 200
    assert form_of(response).errors["call_center"]
    assert not ChannelUser.objects.filter(user__username="newcomer").exists()


def test_a_manager_cannot_take_another_center_s_user(manager_client, call_center, elsewhere):
    other = ChannelUser.objects.get(call_center=elsewhere).user
    response = manager_client.post(MEMBER_ADD, member(call_center, other))
    assert response.status_code == 200
    assert form_of(response).errors["user"]
    assert not ChannelUser.objects.filter(call_center=call_center, user=other).exists()


def test_a_manager_cannot_make_a_manager(manager_client, call_center):
    response = manager_client.post(
        MEMBER_ADD, member(call_center, UserFactory(username="newcomer"), "manager")
    )
    assert response.status_code == 200
    assert form_of(response).errors["role"]
    assert not ChannelUser.objects.filter(user__username="newcomer").exists()


def test_a_manager_cannot_promote_a_clerk_to_manager(manager_client, clerk, call_center):
    row = ChannelUser.objects.get(user=clerk)
    url = reverse("admin:callcenter_channeluser_change", args=[row.pk])
    response = manager_client.post(url, member(call_center, clerk, "manager"))
    assert response.status_code == 200
    assert form_of(response).errors["role"]
    row.refresh_from_db()
    assert row.role == "clerk"
    clerk.refresh_from_db()
    assert not clerk.is_staff


def test_a_manager_cannot_change_another_manager_s_membership(manager_client, clerk, call_center):
    """Its user and role are the administrators' to change: the form shows them, disabled."""
    colleague = ChannelUserFactory(call_center=call_center, role="manager")
    user_id = colleague.user_id
    url = reverse("admin:callcenter_channeluser_change", args=[colleague.pk])
    response = manager_client.post(url, member(call_center, clerk, "clerk", name="Renamed"))
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert (colleague.user_id, colleague.role, colleague.name) == (user_id, "manager", "Renamed")


def page_with_new_member(client, center, user, role):
    """Post the call center's page as it is, plus one new channel user."""
    members = list(center.channel_users.all())
    rows = [
        {"id": m.pk, "call_center": center.pk, "user": m.user_id, "role": m.role} for m in members
    ]
    rows.append({"call_center": center.pk, "user": user.pk, "role": role})
    return change(
        client,
        center,
        code=None,
        company=None,
        currency=None,
        **inline("channel_users", rows, initial=len(members)),
    )


def test_a_manager_cannot_make_a_manager_on_the_call_center_page(manager_client, call_center):
    newcomer = UserFactory(username="newcomer")
    response = page_with_new_member(manager_client, call_center, newcomer, "manager")
    assert response.status_code == 200
    assert not ChannelUser.objects.filter(user=newcomer).exists()


def test_a_manager_cannot_take_another_center_s_user_on_the_call_center_page(
    manager_client, call_center, elsewhere
):
    other = ChannelUser.objects.get(call_center=elsewhere).user
    response = page_with_new_member(manager_client, call_center, other, "clerk")
    assert response.status_code == 200
    assert not ChannelUser.objects.filter(call_center=call_center, user=other).exists()


def test_a_manager_adds_a_clerk_on_the_call_center_page(manager_client, call_center, elsewhere):
    newcomer = UserFactory(username="newcomer")
    response = page_with_new_member(manager_client, call_center, newcomer, "clerk")
    assert response.status_code == 302
    assert ChannelUser.objects.get(user=newcomer).call_center == call_center


def test_a_superuser_still_makes_managers_in_every_center(superuser_client, elsewhere):
    newcomer = UserFactory(username="newcomer")
    response = superuser_client.post(MEMBER_ADD, member(elsewhere, newcomer, "manager"))
    assert response.status_code == 302
    assert ChannelUser.objects.get(user=newcomer).role == "manager"
    form = form_of(superuser_client.get(MEMBER_ADD))
    assert "otherclerk" in set(form.fields["user"].queryset.values_list("username", flat=True))
    assert "manager" in [value for value, _label in form.fields["role"].choices]


def test_a_manager_neither_deletes_a_manager_nor_sees_other_centers_in_the_filters(
    manager_client, manager, call_center, elsewhere
):
    own = ChannelUser.objects.get(user=manager)
    delete = reverse("admin:callcenter_channeluser_delete", args=[own.pk])
    assert manager_client.post(delete, {"post": "yes"}).status_code == 403
    assert ChannelUser.objects.filter(pk=own.pk).exists()
    for name in (
        "admin:callcenter_channeluser_changelist",
        "admin:payments_callcenterpaymentmethod_changelist",
    ):
        page = manager_client.get(reverse(name)).content.decode()
        assert elsewhere.code not in page and elsewhere.name not in page
