"""The pricing controls of the order page: coupon code, price override, source code refusals."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import SourceCode
from orders.models import Coupon, PriceOverrideReason
from tests.factories import ProductFactory, SourceCodeFactory, make_order
from tests.html import alert_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(clerk):
    return make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100")), 1)])


def test_a_coupon_is_applied_and_shown_with_its_discount(logged_in, order):
    Coupon.objects.create(code="SAVE5", value=Decimal("5"))
    response = logged_in.post(
        reverse("orders:coupon", args=[order.number]), {"coupon_code": "SAVE5"}
    )
    assert response.status_code == 302
    page = logged_in.get(response.url).content.decode()
    assert 'id="totals-coupon">5.00<' in page
    assert "Coupon SAVE5 is on this order." in page


def test_an_unknown_coupon_is_refused_in_an_alert(logged_in, order):
    response = logged_in.post(
        reverse("orders:coupon", args=[order.number]), {"coupon_code": "NOPE"}
    )
    assert response.status_code == 400
    assert 'role="alert">There is no coupon NOPE.' in response.content.decode()


def test_an_override_beyond_the_limit_is_refused_in_an_alert(logged_in, order):
    reason = PriceOverrideReason.objects.create(code="MATCH", description="Price match")
    line = order.lines.get()
    response = logged_in.post(
        reverse("orders:override_price", args=[order.number]),
        {"line": line.pk, "price": "50.00", "reason": reason.pk},
    )
    assert response.status_code == 400
    assert "A supervisor must approve this price" in response.content.decode()
    line.refresh_from_db()
    assert line.override_price is None


def test_an_override_needs_a_reason(logged_in, order):
    response = logged_in.post(
        reverse("orders:override_price", args=[order.number]),
        {"line": order.lines.get().pk, "price": "120.00"},
    )
    assert response.status_code == 400
    assert "Choose the reason for the price override." in response.content.decode()


def test_an_expired_source_code_is_refused_clearly(logged_in, order):
    code = SourceCodeFactory()
    SourceCode.objects.filter(pk=code.pk).update(is_active=False)
    response = logged_in.post(
        reverse("orders:header", args=[order.number]),
        {"delivery_mode": order.delivery_mode_id, "source_code": code.pk, "version": order.version},
    )
    assert response.status_code == 400
    assert "unknown or no longer active" in response.content.decode()


@pytest.mark.parametrize("posted", ["expired", "unknown"])
def test_a_new_line_with_an_expired_or_unknown_source_code_is_refused(logged_in, order, posted):
    code = SourceCodeFactory()
    SourceCode.objects.filter(pk=code.pk).update(is_active=False)
    product = ProductFactory()
    response = logged_in.post(
        reverse("orders:add_line", args=[order.number]),
        {
            "item_number": product.item_number,
            "quantity": 1,
            "source_code": code.pk if posted == "expired" else code.pk + 1000,
        },
    )
    assert response.status_code == 400
    assert "unknown or no longer active" in response.content.decode()
    assert order.lines.count() == 1


def test_a_new_line_takes_an_active_source_code_posted_with_it(logged_in, order):
    code = SourceCodeFactory(discount_percent=Decimal("10"))
    product = ProductFactory(price=Decimal("50.00"))
    code.catalog.products.add(product)
    response = logged_in.post(
        reverse("orders:add_line", args=[order.number]),
        {"item_number": product.item_number, "quantity": 1, "source_code": code.pk},
    )
    assert response.status_code == 302
    line = order.lines.get(product=product)
    assert line.source_code == code and line.sold_price == Decimal("45.00")


def test_each_line_explains_its_price_and_each_charge_is_shown(logged_in, order):
    page = logged_in.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert "How the price of line 1 was reached" in page
    assert "Base price" in page
    assert "Shipping and handling (99 Standard)" in page


def test_the_mode_of_delivery_s_charge_is_worded_in_the_reader_s_language(logged_in, order):
    """Priced by an English-speaking clerk, read in French: the totals and the summary say
    it in French (the order keeps the mode's name, not the sentence of the last re-price)."""
    assert order.charge_lines[0]["mode"] == "99 Standard"
    french = {"HTTP_ACCEPT_LANGUAGE": "fr"}
    page = logged_in.get(reverse("orders:detail", args=[order.number]), **french)
    summary = logged_in.get(reverse("payments:summary", args=[order.number]), **french)
    for content in (page.content.decode(), summary.content.decode()):
        assert "Frais de port et de manutention (99 Standard)" in content
        assert "Shipping and handling" not in content
    english = logged_in.get(reverse("orders:detail", args=[order.number]))
    assert "Shipping and handling (99 Standard)" in english.content.decode()


def test_a_charge_priced_before_the_mode_was_kept_shows_its_stored_text(logged_in, order):
    charge = order.charge_lines[0]
    del charge["mode"]
    charge["description"] = "Frais de port et de manutention (99 Standard)"
    order.save(update_fields=["charge_lines"])
    page = logged_in.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert "Frais de port et de manutention (99 Standard)" in page


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_with_htmx_a_coupon_answers_with_its_block_the_totals_and_the_lines(logged_in, order):
    Coupon.objects.create(code="SAVE5", value=Decimal("5"))
    response = logged_in.post(
        reverse("orders:coupon", args=[order.number]), {"coupon_code": "SAVE5"}, **HTMX
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<form id="coupon-form"')
    assert "Coupon SAVE5 is on this order." in content
    assert 'id="totals-coupon">5.00<' in content
    assert '<div id="lines-panel" hx-swap-oob="true">' in content
    order.refresh_from_db()
    assert f'value="{order.version}" id="header_version" hx-swap-oob="true"' in content


def test_with_htmx_a_coupon_is_removed_and_the_block_offers_a_code_again(logged_in, order):
    Coupon.objects.create(code="SAVE5", value=Decimal("5"))
    coupon_url = reverse("orders:coupon", args=[order.number])
    applied = logged_in.post(coupon_url, {"coupon_code": "SAVE5"}, **HTMX).content.decode()
    # the button is not named "remove": that name hides the form's own remove()
    assert 'name="remove_coupon"' in applied and 'name="remove"' not in applied
    response = logged_in.post(coupon_url, {"remove_coupon": "1"}, **HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="coupon_code"' in content and "is on this order" not in content
    order.refresh_from_db()
    assert order.coupon is None


def test_with_htmx_an_empty_coupon_code_is_asked_for_in_an_alert(logged_in, order):
    response = logged_in.post(
        reverse("orders:coupon", args=[order.number]), {"coupon_code": ""}, **HTMX
    )
    assert response.status_code == 400
    assert alert_text(response) == "Type the coupon code the caller gives."
    order.refresh_from_db()
    assert order.coupon is None


def test_with_htmx_an_unknown_coupon_is_refused_in_the_block(logged_in, order):
    response = logged_in.post(
        reverse("orders:coupon", args=[order.number]), {"coupon_code": "NOPE"}, **HTMX
    )
    content = response.content.decode()
    assert response.status_code in (400, 409)
    assert content.lstrip().startswith('<form id="coupon-form"')
    assert 'role="alert"' in content


def test_with_htmx_an_override_answers_with_the_lines_and_totals(logged_in, order):
    reason = PriceOverrideReason.objects.create(code="MATCH", description="Price match")
    line = order.lines.get()
    response = logged_in.post(
        reverse("orders:override_price", args=[order.number]),
        {"line": line.pk, "price": "120.00", "reason": reason.pk},
        **HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="lines-panel">')
    assert "Price overridden" in content
    assert 'hx-swap-oob="true"' in content  # the totals follow
