"""Pricing set-up in the admin refuses what would price orders wrongly or confuse a
caller's code: periods that end before they start, a usage limit of 0, a percentage
above 100, codes that differ from another only in capitals."""

import pytest
from django.urls import reverse

from catalog.models import Catalog, SourceCode, TaxRate
from orders.models import Coupon
from tests.factories import CatalogFactory, SourceCodeFactory
from tests.html import post_admin_form

pytestmark = pytest.mark.django_db


def post(client, url: str, data: dict, inlines: dict[str, list[dict]] | None = None):
    return post_admin_form(client, url, data, inlines)


def errors(response):
    assert response.status_code == 200, "saved"
    return response.context["adminform"].form.errors


# coupons

COUPON_ADD = reverse("admin:orders_coupon_add")


def coupon(**overrides):
    data = {
        "code": "SAVE5",
        "description": "",
        "kind": "amount",
        "scope": "order",
        "value": "5.00",
        "min_order_amount": "0",
        "valid_from": "",
        "valid_to": "",
        "max_uses": "",
        "max_uses_per_customer": "",
        "is_active": "on",
    }
    return data | overrides


def test_a_coupon_is_saved_as_before(superuser_client):
    data = coupon(kind="percent", value="100", valid_from="2026-01-01", valid_to="2026-01-01")
    response = post(superuser_client, COUPON_ADD, data | {"max_uses": "1"})
    assert response.status_code == 302
    assert Coupon.objects.get(code="SAVE5").max_uses == 1


def test_a_coupon_ending_before_it_starts_is_refused(superuser_client):
    data = coupon(valid_from="2026-03-01", valid_to="2026-02-28")
    assert errors(post(superuser_client, COUPON_ADD, data))["valid_to"]
    assert not Coupon.objects.exists()


@pytest.mark.parametrize("field", ["max_uses", "max_uses_per_customer"])
def test_a_usage_limit_of_0_is_refused(superuser_client, field):
    assert errors(post(superuser_client, COUPON_ADD, coupon(**{field: "0"})))[field]
    assert not Coupon.objects.exists()


def test_a_percentage_above_100_is_a_clear_form_error(superuser_client):
    response = post(superuser_client, COUPON_ADD, coupon(kind="percent", value="150"))
    form_errors = errors(response)
    assert form_errors["value"]
    assert "coupon_percent_at_most_100" not in response.content.decode()
    assert not Coupon.objects.exists()


def test_an_amount_above_100_is_still_an_amount(superuser_client):
    assert post(superuser_client, COUPON_ADD, coupon(value="150.00")).status_code == 302


@pytest.mark.parametrize("code", ["save5", "Save5"])
def test_a_coupon_code_differing_only_in_capitals_is_refused(superuser_client, code):
    Coupon.objects.create(code="SAVE5", value=5, min_order_amount=0)
    [message] = errors(post(superuser_client, COUPON_ADD, coupon(code=code)))["code"]
    assert "SAVE5" in message
    assert Coupon.objects.count() == 1


def test_a_coupon_keeps_its_own_code(superuser_client):
    saved = Coupon.objects.create(code="SAVE5", value=5, min_order_amount=0)
    url = reverse("admin:orders_coupon_change", args=[saved.pk])
    assert post(superuser_client, url, coupon(code="Save5")).status_code == 302


# source codes

SOURCE_ADD = reverse("admin:catalog_sourcecode_add")


def source_code(catalog, **overrides):
    data = {
        "code": "FAB26",
        "catalog": catalog.pk,
        "description": "",
        "discount_percent": "0",
        "discount_amount": "0",
        "shipping_discount_percent": "0",
        "script": "",
        "valid_from": "",
        "valid_to": "",
        "is_active": "on",
    }
    return data | overrides


def test_a_source_code_ending_before_it_starts_is_refused(superuser_client):
    data = source_code(CatalogFactory(), valid_from="2026-03-01", valid_to="2026-02-28")
    assert errors(post(superuser_client, SOURCE_ADD, data))["valid_to"]
    assert not SourceCode.objects.filter(code="FAB26").exists()


@pytest.mark.parametrize("code", ["fab26", "Fab26"])
def test_a_source_code_differing_only_in_capitals_is_refused(superuser_client, code):
    SourceCodeFactory(code="FAB26")
    [message] = errors(
        post(superuser_client, SOURCE_ADD, source_code(CatalogFactory(), code=code))
    )["code"]
    assert "FAB26" in message
    assert SourceCode.objects.count() == 1


def test_a_source_code_is_saved_as_before(superuser_client):
    SourceCodeFactory(code="FAB25")
    data = source_code(CatalogFactory(), valid_from="2026-01-01", valid_to="2026-06-30")
    assert post(superuser_client, SOURCE_ADD, data).status_code == 302
    assert SourceCode.objects.filter(code="FAB26").exists()


def test_a_source_code_keeps_its_own_code(superuser_client):
    saved = SourceCodeFactory(code="FAB26")
    url = reverse("admin:catalog_sourcecode_change", args=[saved.pk])
    response = post(superuser_client, url, source_code(saved.catalog, code="fab26"))
    assert response.status_code == 302


def catalog_page(client, rows):
    """Add a catalog with source codes in its inline."""
    inline_rows = [
        {
            "code": code,
            "discount_percent": "0",
            "discount_amount": "0",
            "shipping_discount_percent": "0",
            "is_active": "on",
            **extra,
        }
        for code, extra in rows
    ]
    url = reverse("admin:catalog_catalog_add")
    return post(client, url, {"code": "FAB", "name": "Fabrikam"}, {"source_codes": inline_rows})


def test_the_catalog_page_refuses_a_source_code_differing_only_in_capitals(superuser_client):
    SourceCodeFactory(code="FAB26")
    response = catalog_page(superuser_client, [("fab26", {})])
    assert response.status_code == 200
    assert "FAB26" in response.content.decode()
    assert SourceCode.objects.count() == 1


def test_the_catalog_page_refuses_two_codes_differing_only_in_capitals(superuser_client):
    response = catalog_page(superuser_client, [("FAB26", {}), ("fab26", {})])
    assert response.status_code == 200
    assert not SourceCode.objects.exists()


def test_the_catalog_page_refuses_a_source_code_ending_before_it_starts(superuser_client):
    period = {"valid_from": "2026-03-01", "valid_to": "2026-02-28"}
    response = catalog_page(superuser_client, [("FAB26", period)])
    assert response.status_code == 200
    assert not SourceCode.objects.exists()


def test_the_catalog_page_saves_its_source_codes(superuser_client):
    period = {"valid_from": "2026-01-01", "valid_to": "2026-06-30"}
    response = catalog_page(superuser_client, [("FAB26", period), ("FAB27", {})])
    assert response.status_code == 302
    assert SourceCode.objects.count() == 2


# tax rates (a percentage)


@pytest.mark.parametrize("rate", ["100.01", "150"])
def test_a_tax_rate_above_100_is_refused(superuser_client, rate):
    url = reverse("admin:catalog_taxrate_add")
    response = post(superuser_client, url, {"country": "US", "state": "WA", "rate": rate})
    assert errors(response)["rate"]
    assert not TaxRate.objects.exists()


def test_a_tax_group_s_rate_above_100_is_refused(superuser_client):
    url = reverse("admin:catalog_taxgroup_add")
    rows = {"rates": [{"country": "US", "state": "WA", "rate": "150"}]}
    response = post(superuser_client, url, {"code": "BOOKS", "name": "Books"}, rows)
    assert response.status_code == 200
    assert not TaxRate.objects.exists()


def test_a_catalog_ending_before_it_starts_is_refused(superuser_client):
    data = {"code": "FAB27", "name": "Fabrikam 2027", "valid_from": "2027-03-01"}
    data["valid_to"] = "2027-02-28"
    response = post(superuser_client, reverse("admin:catalog_catalog_add"), data)
    assert errors(response)["valid_to"]
    assert not Catalog.objects.filter(code="FAB27").exists()
