"""A price override is measured against the line's computed price as the order is priced
now: taking a discount off after the override, or leaving a price break, cannot carry an
override past the limit of whoever made it without the PRICE hold."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from callcenter.models import ChannelUser
from catalog.models import PriceGroup, TradeAgreement
from orders import services
from orders.models import (
    Coupon,
    OrderEvent,
    PriceOverrideLimit,
    PriceOverrideReason,
    SalesOrder,
)
from tests.factories import (
    TENDERS,
    CatalogFactory,
    ChannelUserFactory,
    PaymentMethodFactory,
    ProductFactory,
    SourceCodeFactory,
    make_order,
    offer,
)
from tests.html import alert_text
from tests.orders.test_holds import open_codes

pytestmark = pytest.mark.django_db

NOTE = "Price overridden beyond the clerk&#x27;s limit on line 1."


@pytest.fixture
def reason():
    return PriceOverrideReason.objects.create(code="MATCH", description="Price match")


@pytest.fixture
def limits():
    PriceOverrideLimit.objects.create(role=ChannelUser.Role.CLERK, max_percent_below=10)
    PriceOverrideLimit.objects.create(role=ChannelUser.Role.SUPERVISOR, max_percent_below=30)


@pytest.fixture
def cash(call_center):
    return offer(call_center, PaymentMethodFactory(**TENDERS["cash"]))


def post(client, name, order, data=None):
    response = client.post(reverse(name, args=[order.number]), data or {})
    assert response.status_code == 302, alert_text(response)
    return response


def set_source_code(client, order, source_code):
    order.refresh_from_db()
    data = {"delivery_mode": order.delivery_mode_id, "version": order.version}
    data["source_code"] = source_code.pk if source_code else ""
    post(client, "orders:header", order, data)


def pay_and_submit(client, order, method):
    post(client, "payments:complete", order)
    order.refresh_from_db()
    post(
        client,
        "payments:payment_create",
        order,
        {"method": method.pk, "amount": str(order.total), "idempotency_key": uuid.uuid4()},
    )
    post(client, "payments:submit", order, {"idempotency_key": uuid.uuid4()})
    order.refresh_from_db()
    return order


def test_discounts_taken_off_after_an_override_put_the_order_on_price_hold_at_submit(
    logged_in, clerk, cash, reason, limits
):
    """The clerk's override of 72.90 is 10 % below 81.00 (source code and coupon), but
    27.1 % below the 100.00 the line comes to once both are taken off."""
    product = ProductFactory(price=Decimal("100.00"))
    catalog = CatalogFactory()
    catalog.products.add(product)
    vip = SourceCodeFactory(catalog=catalog, discount_percent=Decimal("10"))
    Coupon.objects.create(code="TAKE10", kind="percent", scope="line", value=Decimal("10"))
    order = make_order(clerk=clerk, lines=[(product, 1)])
    line = order.lines.get()

    set_source_code(logged_in, order, vip)
    post(logged_in, "orders:coupon", order, {"coupon_code": "TAKE10"})
    line.refresh_from_db()
    assert line.sold_price == Decimal("81.00")
    post(
        logged_in,
        "orders:override_price",
        order,
        {"line": line.pk, "price": "72.90", "reason": reason.pk},
    )
    post(logged_in, "orders:coupon", order, {"remove_coupon": "1"})
    set_source_code(logged_in, order, None)
    line.refresh_from_db()
    assert line.sold_price == Decimal("72.90")
    assert line.price_steps[0].amount == Decimal("100.00")

    order = pay_and_submit(logged_in, order, cash)
    assert order.status == SalesOrder.Status.SUBMITTED
    assert open_codes(order) == ["PRICE"]
    page = logged_in.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert 'id="order-hold-badge"' in page and NOTE in page
    # the override itself was within the limit when it was made, and says so
    event = order.events.get(type=OrderEvent.Type.PRICE_OVERRIDDEN)
    assert event.parameters["beyond_limit"] is False
    refused = logged_in.post(reverse("holds:release", args=[order.number]))
    assert refused.status_code == 409
    assert "is on hold and cannot be released" in alert_text(refused)


def test_a_submitted_order_whose_quantity_leaves_a_price_break_goes_on_price_hold(
    logged_in, clerk, call_center, cash, reason, limits
):
    """81.00 is 10 % below the 90.00 of ten units, 19 % below the 100.00 of one."""
    product = ProductFactory(price=Decimal("100.00"))
    group = PriceGroup.objects.create(code="RETAIL", name="Retail")
    group.call_centers.add(call_center)
    TradeAgreement.objects.create(
        price_group=group, product=product, price=Decimal("90"), min_quantity=10
    )
    order = make_order(clerk=clerk, lines=[(product, 10)])
    line = order.lines.get()
    services.override_price(
        order=order, by=clerk, line_id=line.pk, price=Decimal("81.00"), reason=reason
    )
    order = pay_and_submit(logged_in, order, cash)
    assert open_codes(order) == []

    response = logged_in.post(
        reverse("orders:line_quantity", args=[order.number]),
        {"line": line.pk, "quantity": 1, "version": order.version},
    )
    assert response.status_code == 302
    assert open_codes(order) == ["PRICE"]
    page = logged_in.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert NOTE in page


def test_an_approved_override_within_its_maker_s_limit_of_the_price_now_computed_is_not_held(
    clerk, call_center, cash, reason, limits
):
    """A supervisor's 60.00 was 40 % below 100.00 (beyond their 30 %) but is 25.9 % below
    the 81.00 the line comes to with the coupon and the source code taken since."""
    supervisor = ChannelUserFactory(call_center=call_center, role=ChannelUser.Role.SUPERVISOR).user
    product = ProductFactory(price=Decimal("100.00"))
    catalog = CatalogFactory()
    catalog.products.add(product)
    vip = SourceCodeFactory(catalog=catalog, discount_percent=Decimal("10"))
    Coupon.objects.create(code="TAKE10", kind="percent", scope="line", value=Decimal("10"))
    order = make_order(clerk=clerk, lines=[(product, 1)])
    services.override_price(
        order=order, by=supervisor, line_id=order.lines.get().pk, price=Decimal("60"), reason=reason
    )
    assert order.events.get(type=OrderEvent.Type.PRICE_OVERRIDDEN).parameters["beyond_limit"]
    services.update_header(
        order=order,
        by=clerk,
        version=SalesOrder.objects.get(pk=order.pk).version,
        delivery_mode=order.delivery_mode,
        source_code=vip,
    )
    services.apply_coupon(order=order, by=clerk, code="TAKE10")
    order.refresh_from_db()
    from payments import services as payments

    payments.add_payment(
        order=order, by=clerk, method=cash, amount=order.total, idempotency_key=uuid.uuid4()
    )
    order = payments.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())
    assert open_codes(order) == []
