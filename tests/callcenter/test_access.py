import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from callcenter.access import companies_of, current_call_center, switch_call_center
from callcenter.money import format_money, quantize
from orders.models import SalesOrder
from orders.selectors import orders_visible_to
from tests.factories import CallCenterFactory, ChannelUserFactory, UserFactory, make_order

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    return request


def test_a_user_sees_only_the_orders_of_their_call_centers(clerk):
    mine = make_order(clerk=clerk)
    stranger = ChannelUserFactory().user
    theirs = make_order(clerk=stranger)
    assert list(orders_visible_to(clerk)) == [mine]
    assert list(orders_visible_to(stranger)) == [theirs]


def test_an_inactive_call_center_gives_access_to_nothing(clerk, call_center):
    make_order(clerk=clerk)
    call_center.is_active = False
    call_center.save()
    assert not orders_visible_to(clerk).exists()
    assert current_call_center(request_for(clerk)) is None


def test_a_user_who_is_no_channel_user_has_no_call_center():
    assert current_call_center(request_for(UserFactory())) is None


def test_a_user_of_two_centers_works_in_the_first_until_they_switch(clerk, call_center):
    other = CallCenterFactory(code="ZZ", company="FABR")
    ChannelUserFactory(user=clerk, call_center=other)
    request = request_for(clerk)
    assert current_call_center(request) == call_center
    assert companies_of(request) == {"USRT", "FABR"}
    assert switch_call_center(request, other.pk) == other
    assert current_call_center(request_for_session(clerk, request.session)) == other


def request_for_session(user, session):
    request = request_for(user)
    request.session = session
    return request


def test_nobody_switches_to_a_call_center_they_are_not_a_user_of(clerk, call_center):
    elsewhere = CallCenterFactory()
    request = request_for(clerk)
    assert switch_call_center(request, elsewhere.pk) is None
    assert current_call_center(request) == call_center


def test_money_is_rounded_half_up_to_cents_in_one_place():
    assert str(quantize("2.675")) == "2.68"
    assert str(quantize("-2.675")) == "-2.68"
    with pytest.raises(ValueError):
        quantize("abc")


def test_money_is_shown_in_the_active_locale():
    from django.utils import translation

    with translation.override("en"):
        assert format_money(quantize("1234.5")) == "1,234.50"
    with translation.override("fr"):
        assert format_money(quantize("120")) == "120,00"


def test_dates_are_shown_in_the_call_center_s_time_zone(client, clerk, call_center):
    call_center.time_zone = "Asia/Tokyo"
    call_center.save()
    order = make_order(clerk=clerk)
    SalesOrder.objects.filter(pk=order.pk).update(
        created_at=datetime.datetime(2026, 1, 1, 20, 30, tzinfo=datetime.UTC)
    )
    client.force_login(clerk)
    page = client.get(f"/customers/{order.customer_id}/").content.decode()
    # 20:30 UTC on January 1st is 5:30 the next morning in Tokyo
    assert "01/02/2026 5:30 a.m." in page
