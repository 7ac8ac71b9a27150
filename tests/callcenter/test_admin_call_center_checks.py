"""The call center's admin form refuses what would break its orders: an order number
prefix another center uses, a tax rate above 100 %, a currency that is no ISO code; and
a number taken all the same is a clear refusal on the customer page, never a 500."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from callcenter.models import CallCenter
from orders import services
from orders.errors import OrderError
from orders.models import SalesOrder
from tests.callcenter.test_admin import ADD_URL, center_form, change
from tests.factories import (
    CallCenterFactory,
    ChannelUserFactory,
    CustomerFactory,
    make_order,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def usrt():
    """The center numbering its orders USRT-000001, USRT-000002..."""
    return CallCenterFactory(code="USRT-CC", name="US retail", order_number_prefix="USRT")


def errors_of(response):
    return response.context["adminform"].form.errors


@pytest.mark.parametrize("prefix", ["USRT", "usrt", "Usrt"])
def test_a_new_center_cannot_take_the_order_number_prefix_of_another(
    superuser_client, usrt, prefix
):
    response = superuser_client.post(ADD_URL, center_form(order_number_prefix=prefix))
    assert response.status_code == 200
    [message] = errors_of(response)["order_number_prefix"]
    assert "USRT-CC" in message and "US retail" in message
    assert not CallCenter.objects.filter(code="NEW-CC").exists()


def test_a_center_cannot_change_to_the_prefix_of_another(superuser_client, usrt, call_center):
    response = change(superuser_client, call_center, order_number_prefix="usrt")
    assert response.status_code == 200
    assert "USRT-CC" in errors_of(response)["order_number_prefix"][0]
    call_center.refresh_from_db()
    assert call_center.order_number_prefix != "usrt"


def test_a_center_keeps_its_own_prefix_and_may_change_its_case(superuser_client, usrt):
    assert change(superuser_client, usrt, name="Renamed").status_code == 302
    assert change(superuser_client, usrt, order_number_prefix="Usrt").status_code == 302
    usrt.refresh_from_db()
    assert (usrt.name, usrt.order_number_prefix) == ("Renamed", "Usrt")


def test_a_prefix_no_other_center_uses_is_saved(superuser_client, usrt):
    response = superuser_client.post(ADD_URL, center_form(order_number_prefix="USRT2"))
    assert response.status_code == 302
    assert CallCenter.objects.get(code="NEW-CC").order_number_prefix == "USRT2"


@pytest.mark.parametrize("rate", ["100.01", "150", "999.99"])
def test_a_sales_tax_rate_above_100_is_refused(superuser_client, rate):
    response = superuser_client.post(ADD_URL, center_form(tax_rate=rate))
    assert response.status_code == 200
    assert errors_of(response)["tax_rate"]
    assert not CallCenter.objects.filter(code="NEW-CC").exists()


def test_a_sales_tax_rate_of_100_is_accepted(superuser_client):
    assert superuser_client.post(ADD_URL, center_form(tax_rate="100")).status_code == 302


def test_the_model_itself_refuses_a_tax_rate_above_100(call_center):
    """The limit is the field's, so every form and full_clean() check it, not the admin's
    form alone."""
    call_center.tax_rate = Decimal("100.01")
    with pytest.raises(ValidationError) as refused:
        call_center.full_clean()
    assert refused.value.message_dict["tax_rate"] == [
        "A tax rate is a percentage: enter at most 100."
    ]


def test_a_tax_rate_above_100_is_refused_on_a_change_too(superuser_client, call_center):
    response = change(superuser_client, call_center, tax_rate="125")
    assert response.status_code == 200
    assert errors_of(response)["tax_rate"]


@pytest.mark.parametrize("currency", ["usd", "Usd", "US1", "U$D", "US"])
def test_a_currency_that_is_not_three_capital_letters_is_refused(superuser_client, currency):
    response = superuser_client.post(ADD_URL, center_form(currency=currency))
    assert response.status_code == 200
    assert errors_of(response)["currency"]
    assert not CallCenter.objects.filter(code="NEW-CC").exists()


def test_centers_sharing_a_prefix_from_before_the_check_can_be_set_apart(superuser_client, usrt):
    """The prefix is checked when it is given or changed: a center saved before the check
    can still be changed (deactivated), and given a prefix of its own."""
    twin = CallCenterFactory(code="TWIN", order_number_prefix="USRT")
    assert change(superuser_client, twin, is_active=None).status_code == 302
    twin.refresh_from_db()
    assert twin.is_active is False
    assert change(superuser_client, twin, order_number_prefix="TWIN").status_code == 302
    twin.refresh_from_db()
    assert twin.order_number_prefix == "TWIN"


# a number taken anyway (a center saved outside the admin, numbers lowered by hand...)


@pytest.fixture
def twin(usrt):
    """A center sharing USRT's prefix, as saved before the admin checked it."""
    twin = CallCenterFactory(code="TWIN", order_number_prefix="USRT")
    clerk = ChannelUserFactory(call_center=twin).user
    return twin, clerk


def test_creating_an_order_whose_number_is_taken_is_an_order_error(usrt, twin):
    make_order(clerk=ChannelUserFactory(call_center=usrt).user, delivery_mode=None)
    center, clerk = twin
    with pytest.raises(OrderError, match="USRT-000001"):
        services.create_order(call_center=center, customer=CustomerFactory(), by=clerk)
    center.refresh_from_db()
    assert center.next_order_number == 1
    assert SalesOrder.objects.filter(number="USRT-000001").get().call_center == usrt


def test_new_sales_order_with_a_taken_number_is_a_409_with_the_reason(client, usrt, twin):
    make_order(clerk=ChannelUserFactory(call_center=usrt).user, delivery_mode=None)
    center, clerk = twin
    customer = CustomerFactory()
    client.force_login(clerk)
    response = client.post(reverse("orders:create", args=[customer.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "USRT-000001" in page and "next order number" in page
    assert not SalesOrder.objects.filter(call_center=center).exists()
