import pytest

from callcenter.access import call_centers_of, is_channel_user
from callcenter.money import format_money, quantize
from orders.selectors import orders_visible_to
from tests.factories import ChannelUserFactory, UserFactory, make_order

pytestmark = pytest.mark.django_db


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
    assert call_centers_of(clerk) == []
    assert not is_channel_user(clerk, call_center.pk)


def test_a_user_who_is_no_channel_user_has_no_call_center():
    assert call_centers_of(UserFactory()) == []


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
