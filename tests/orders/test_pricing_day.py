"""The day an order is priced on, in its call center's time zone: a draft's today, a
submitted order's the day it was submitted (an edit after submit keeps the prices the
customer was given), a line added after submit its own day. Coupons and source codes
are valid or not on the order's center's day, whichever center the clerk is in."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import PriceGroup, TradeAgreement
from orders import services
from orders.errors import InvalidOrderData
from orders.models import Coupon, PriceOverrideReason, SalesOrder
from payments import services as payment_services
from payments.models import Payment
from tests.factories import (
    TENDERS,
    CallCenterFactory,
    CatalogFactory,
    ChannelUserFactory,
    PaymentMethodFactory,
    ProductFactory,
    SourceCodeFactory,
    make_order,
    offer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def promotion(call_center):
    """A product sold at 80.00 instead of 100.00 by the call center's price group, until
    today."""
    product = ProductFactory(price=Decimal("100.00"))
    group = PriceGroup.objects.create(code="PROMO", name="Promotion")
    group.call_centers.add(call_center)
    TradeAgreement.objects.create(
        price_group=group, product=product, price=Decimal("80.00"), valid_to=call_center.today()
    )
    return product


@pytest.fixture
def next_day(monkeypatch):
    """Move the clock a day on (``next_day()``)."""

    def move():
        later = timezone.now() + datetime.timedelta(days=1)
        monkeypatch.setattr(timezone, "now", lambda: later)

    return move


def paid_and_submitted(order, clerk, call_center):
    cash = offer(call_center, PaymentMethodFactory(**TENDERS["cash"]))
    payment_services.add_payment(
        order=order, by=clerk, method=cash, amount=order.total, idempotency_key=uuid.uuid4()
    )
    return payment_services.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())


def test_an_edit_the_day_after_submit_keeps_the_prices_the_customer_was_given(
    clerk, call_center, promotion, next_day
):
    order = make_order(clerk=clerk, lines=[(promotion, 1), (ProductFactory(price=50), 1)])
    assert order.subtotal == Decimal("130.00")
    order = paid_and_submitted(order, clerk, call_center)
    next_day()  # the promotion has ended
    second = order.lines.get(line_number=2)
    services.cancel_line(
        order=order, by=clerk, line_id=second.pk, reason="Not wanted", version=order.version
    )
    order.refresh_from_db()
    assert order.lines.get(line_number=1).sold_price == Decimal("80.00")
    assert order.subtotal == Decimal("80.00")
    assert order.amount_paid - order.total == Decimal("55.00")  # the 50.00 line, taxed


def test_a_line_added_after_submit_is_priced_on_its_own_day(
    clerk, call_center, promotion, next_day
):
    order = paid_and_submitted(
        make_order(clerk=clerk, lines=[(ProductFactory(price=50), 1)]), clerk, call_center
    )
    next_day()
    line = services.add_line(order=order, by=clerk, product=promotion, quantity=1)
    assert line.priced_on == call_center.today()
    assert line.sold_price == Decimal("100.00")  # the promotion ended yesterday


def test_a_draft_is_priced_on_today(clerk, promotion, next_day):
    order = make_order(clerk=clerk, lines=[(promotion, 1)])
    assert order.subtotal == Decimal("80.00")
    next_day()
    services.add_line(order=order, by=clerk, product=ProductFactory(price=10), quantity=1)
    order.refresh_from_db()
    assert order.subtotal == Decimal("110.00")


def test_the_pricing_engine_reads_a_lines_agreements_on_its_own_day():
    from orders.pricing import LineInput, TradeAgreementInput, price_order

    day = datetime.date(2026, 6, 30)
    agreement = TradeAgreementInput(
        price_group="PROMO", price=Decimal("80.00"), valid_to=day, min_quantity=1
    )
    kept = LineInput(key=1, unit_price=Decimal("100"), quantity=1, agreements=(agreement,))
    dated = LineInput(
        key=2, unit_price=Decimal("100"), quantity=1, agreements=(agreement,), priced_on=day
    )
    totals = price_order(lines=[kept, dated], today=day + datetime.timedelta(days=1))
    assert [totals.line(key).unit_price for key in (1, 2)] == [
        Decimal("100.00"),
        Decimal("80.00"),
    ]


def with_source_code(order, clerk, code):
    return services.update_header(
        order=order,
        by=clerk,
        version=order.version,
        delivery_mode=order.delivery_mode,
        source_code=code,
    )


@pytest.fixture
def far_east(clerk):
    """A second call center of the clerk's, where it is already tomorrow: 23:00 UTC on
    30 June is 13:00 on 1 July in Kiritimati (UTC+14). The clerk's current center (the
    first one) is in UTC."""
    center = CallCenterFactory(code="KIRI", time_zone="Pacific/Kiritimati")
    ChannelUserFactory(call_center=center, user=clerk)
    return center


@pytest.fixture
def late_evening_utc(monkeypatch):
    moment = datetime.datetime(2026, 6, 30, 23, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_coupon_is_valid_on_the_orders_call_center_day(
    logged_in, clerk, call_center, far_east, late_evening_utc
):
    Coupon.objects.create(
        code="JUNE", kind="amount", scope="order", value=Decimal("5"), valid_to="2026-06-30"
    )
    there = make_order(clerk=clerk, call_center=far_east, lines=[(ProductFactory(), 1)])
    response = logged_in.post(
        reverse("orders:coupon", args=[there.number]), {"coupon_code": "JUNE"}
    )
    assert response.status_code in (400, 409)
    assert "not valid today" in response.content.decode()
    there.refresh_from_db()
    assert there.coupon_id is None
    here = make_order(clerk=clerk, call_center=call_center, lines=[(ProductFactory(), 1)])
    logged_in.post(reverse("orders:coupon", args=[here.number]), {"coupon_code": "JUNE"})
    here.refresh_from_db()
    assert here.coupon.code == "JUNE"


def test_a_source_code_is_active_on_the_orders_call_center_day(clerk, far_east, late_evening_utc):
    code = SourceCodeFactory(valid_from="2026-07-01")  # a catalog mailed for July
    order = make_order(clerk=clerk, call_center=far_east)
    far_east.direct_selling_enabled = True
    far_east.save()
    order = with_source_code(order, clerk, code)
    assert order.source_code == code


def test_a_source_code_that_ended_since_the_draft_was_priced_is_refused_at_submit(
    clerk, call_center, next_day
):
    product = ProductFactory(price=Decimal("100"))
    catalog = CatalogFactory()
    catalog.products.add(product)
    code = SourceCodeFactory(
        code="SPRING", catalog=catalog, discount_percent=10, valid_to=call_center.today()
    )
    order = make_order(clerk=clerk, lines=[(product, 1)])
    order = with_source_code(order, clerk, code)
    order.refresh_from_db()
    assert order.total == Decimal("109.00")
    cash = offer(call_center, PaymentMethodFactory(**TENDERS["cash"]))
    payment_services.add_payment(
        order=order, by=clerk, method=cash, amount=order.total, idempotency_key=uuid.uuid4()
    )
    next_day()
    with pytest.raises(InvalidOrderData, match="Source code SPRING is no longer active"):
        payment_services.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.DRAFT
    assert order.payments.get().status == Payment.Status.CAPTURED


def test_a_price_override_on_a_cancelled_line_is_refused(clerk):
    reason = PriceOverrideReason.objects.create(code="MATCH", description="Price match")
    order = make_order(clerk=clerk, lines=[(ProductFactory(), 1), (ProductFactory(), 1)])
    first = order.lines.get(line_number=1)
    services.cancel_line(order=order, by=clerk, line_id=first.pk, reason="Not wanted")
    with pytest.raises(InvalidOrderData, match="no longer on the order"):
        services.override_price(
            order=order, by=clerk, line_id=first.pk, price=Decimal("1"), reason=reason
        )
    first.refresh_from_db()
    assert first.override_price is None
