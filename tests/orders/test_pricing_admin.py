"""An administrator sets up every pricing configuration in the Django admin."""

from decimal import Decimal

import pytest
from django.urls import reverse

from callcenter.models import ChargeRule
from catalog.models import PriceGroup, SourceCode, SourceCodePrice, TaxRate, TradeAgreement
from orders.models import Coupon, CustomerPriceGroup, PriceOverrideLimit, PriceOverrideReason
from tests.factories import (
    CallCenterFactory,
    CatalogFactory,
    CustomerFactory,
    DeliveryModeFactory,
    ProductFactory,
    UserFactory,
)
from tests.html import post_admin_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def post_add(client, model: str, data: dict, inlines: dict[str, list[dict]] | None = None):
    """Post the admin add form, with every inline formset the page shows (empty unless given)."""
    url = reverse(f"admin:{model}_add")
    response = post_admin_form(client, url, data, inlines)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_a_price_group_with_trade_agreements_and_a_quantity_break(admin_client):
    product = ProductFactory()
    center = CallCenterFactory()
    post_add(
        admin_client,
        "catalog_pricegroup",
        {"code": "TRADE", "name": "Trade", "call_centers": [center.pk]},
        {
            "trade_agreements": [
                {"product": product.pk, "price": "90.00", "min_quantity": "1"},
                {"product": product.pk, "price": "80.00", "min_quantity": "10"},
            ]
        },
    )
    group = PriceGroup.objects.get(code="TRADE")
    assert sorted(
        TradeAgreement.objects.filter(price_group=group).values_list("min_quantity", flat=True)
    ) == [1, 10]


def test_a_source_code_with_its_effects_and_a_special_price(admin_client):
    catalog, product = CatalogFactory(), ProductFactory()
    post_add(
        admin_client,
        "catalog_sourcecode",
        {
            "code": "FREESHIP",
            "catalog": catalog.pk,
            "discount_percent": "5",
            "discount_amount": "1.00",
            "shipping_waived": "on",
            "shipping_discount_percent": "0",
            "script": "Shipping is on us.",
            "is_active": "on",
        },
        {"special_prices": [{"product": product.pk, "price": "42.00"}]},
    )
    code = SourceCode.objects.get(code="FREESHIP")
    assert code.shipping_waived and code.script == "Shipping is on us."
    assert SourceCodePrice.objects.get(source_code=code).price == Decimal("42.00")


def test_a_tax_group_with_its_rates(admin_client):
    post_add(
        admin_client,
        "catalog_taxgroup",
        {"code": "BOOKS", "name": "Books"},
        {"rates": [{"country": "US", "state": "WA", "rate": "0"}]},
    )
    assert TaxRate.objects.get(tax_group__code="BOOKS").state == "WA"


def test_a_charge_rule_on_a_mode_of_delivery(admin_client):
    mode = DeliveryModeFactory(code="77", name="Express")
    post_add(
        admin_client,
        "callcenter_chargerule",
        {
            "delivery_mode": mode.pk,
            "category": "shipping",
            "description": "Express, free over 200",
            "basis": "order",
            "amount": "15.00",
            "tier_basis": "",
            "free_from": "200.00",
        },
    )
    assert ChargeRule.objects.get(delivery_mode=mode).free_from == Decimal("200.00")


def test_a_coupon_an_override_reason_a_limit_and_a_customers_price_group(admin_client):
    post_add(
        admin_client,
        "orders_coupon",
        {
            "code": "SAVE5",
            "kind": "amount",
            "scope": "order",
            "value": "5.00",
            "min_order_amount": "50.00",
            "max_uses": "100",
            "max_uses_per_customer": "1",
            "is_active": "on",
        },
    )
    post_add(
        admin_client,
        "orders_priceoverridereason",
        {"code": "MATCH", "description": "Price match", "is_active": "on"},
    )
    post_add(
        admin_client,
        "orders_priceoverridelimit",
        {"role": "clerk", "max_percent_below": "10"},
    )
    group = PriceGroup.objects.create(code="TRADE", name="Trade")
    customer = CustomerFactory()
    post_add(
        admin_client,
        "orders_customerpricegroup",
        {"customer": customer.pk, "price_group": group.pk},
    )
    assert Coupon.objects.get(code="SAVE5").max_uses_per_customer == 1
    assert PriceOverrideReason.objects.filter(code="MATCH").exists()
    assert PriceOverrideLimit.objects.get(role="clerk").max_percent_below == 10
    assert CustomerPriceGroup.objects.get(customer=customer).price_group == group
