"""Numbers in addresses and posts that Python reads as digits but a database cannot hold:
never a server error."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import UpsellOffer
from tests.factories import CustomerFactory, ProductFactory, UpsellRuleFactory, make_order

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["9223372036854775808", "9" * 40, "-3", "²"])
def test_a_search_page_past_any_end_shows_the_last_page(client, clerk, page):
    CustomerFactory(name="Karen Berg")
    client.force_login(clerk)
    response = client.get("/", {"q": "Karen", "page": page})
    assert response.status_code == 200
    assert "Karen Berg" in response.content.decode()


@pytest.mark.parametrize("rule", ["²", "¹²", "9" * 25])
def test_dismissing_suggestions_with_an_odd_rule_dismisses_them_all(client, clerk, rule):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("10.00")), 1)])
    UpsellOffer.objects.create(
        order=order, product=ProductFactory(), rule=UpsellRuleFactory(), offered_by=clerk
    )
    client.force_login(clerk)
    response = client.post(
        reverse("orders:dismiss_upsell", args=[order.number]),
        {"rule": rule},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert not order.upsell_offers.filter(status=UpsellOffer.Status.OFFERED).exists()
