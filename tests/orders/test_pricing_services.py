"""Prices as the services compute them from the database: price groups, source codes,
charges, tax, coupons (with their race) and price overrides."""

import uuid
from decimal import Decimal

import pytest

from callcenter.models import ChannelUser, ChargeRule
from catalog.models import PriceGroup, SourceCodePrice, TaxGroup, TaxRate, TradeAgreement
from orders import services
from orders.errors import CouponError, OverrideNeedsApproval
from orders.models import (
    Coupon,
    CouponUsage,
    CustomerPriceGroup,
    OrderEvent,
    PriceOverrideLimit,
    PriceOverrideReason,
)
from payments import services as payment_services
from tests.concurrency import run_together
from tests.factories import (
    CatalogFactory,
    ChannelUserFactory,
    CustomerFactory,
    PaymentMethodFactory,
    ProductFactory,
    SourceCodeFactory,
    make_order,
    offer,
)

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return ProductFactory(price=D("100.00"))


def totals_of(order):
    order.refresh_from_db()
    return order.subtotal, order.discount_total, order.charges_total, order.tax_total, order.total


def test_the_seed_order_still_comes_to_120(clerk, product):
    order = make_order(clerk=clerk, lines=[(product, 1)])
    assert totals_of(order) == (D("100"), D("0"), D("10"), D("10"), D("120"))
    line = order.lines.get()
    assert line.sold_price == D("100.00")
    assert [step.kind for step in line.price_steps] == ["base"]


class TestPriceGroups:
    def test_the_call_centers_price_group_sets_the_price_from_its_quantity_break(
        self, clerk, call_center, product
    ):
        group = PriceGroup.objects.create(code="RETAIL", name="Retail")
        group.call_centers.add(call_center)
        TradeAgreement.objects.create(
            price_group=group, product=product, price=D("90"), min_quantity=10
        )
        order = make_order(clerk=clerk, lines=[(product, 1), (product, 10)])
        first, second = order.lines.order_by("line_number")
        assert first.sold_price == D("100.00")
        assert second.sold_price == D("90.00")
        assert [(s.kind, s.reference) for s in second.price_steps][-1] == (
            "price_group",
            "RETAIL",
        )

    def test_the_customers_price_group_wins_over_the_call_centers(
        self, clerk, call_center, product
    ):
        center_group = PriceGroup.objects.create(code="CC", name="Center")
        center_group.call_centers.add(call_center)
        TradeAgreement.objects.create(price_group=center_group, product=product, price=D("80"))
        trade = PriceGroup.objects.create(code="TRADE", name="Trade")
        TradeAgreement.objects.create(price_group=trade, product=product, price=D("85"))
        customer = CustomerFactory()
        CustomerPriceGroup.objects.create(customer=customer, price_group=trade)
        order = make_order(clerk=clerk, customer=customer, lines=[(product, 1)])
        assert order.lines.get().sold_price == D("85.00")


class TestSourceCodes:
    def test_a_special_price_and_free_shipping_from_the_header_source_code(self, clerk, product):
        catalog = CatalogFactory()
        catalog.products.add(product)
        code = SourceCodeFactory(catalog=catalog, shipping_waived=True)
        SourceCodePrice.objects.create(source_code=code, product=product, price=D("75"))
        order = make_order(clerk=clerk, lines=[(product, 1)])
        services.update_header(
            order=order,
            by=clerk,
            version=order.version,
            delivery_mode=order.delivery_mode,
            source_code=code,
        )
        assert totals_of(order) == (D("100"), D("25"), D("0"), D("7.50"), D("82.50"))
        order.refresh_from_db()
        assert [step.kind for step in order.priced_charges[0]["steps"]] == ["rule", "waived"]

    def test_a_source_code_changes_no_price_outside_its_catalog(self, clerk, product):
        code = SourceCodeFactory(discount_percent=D("10"))
        order = make_order(clerk=clerk)
        services.add_line(order=order, by=clerk, product=product, quantity=1, source_code=code)
        assert order.lines.get().sold_price == D("100.00")


class TestChargesAndTax:
    def test_charge_rules_replace_the_flat_charge_and_a_centers_rules_win(
        self, clerk, call_center, product
    ):
        mode = call_center.delivery_modes.get()
        ChargeRule.objects.create(delivery_mode=mode, description="Everywhere", amount=D("99"))
        ChargeRule.objects.create(
            delivery_mode=mode,
            call_center=call_center,
            description="Per unit",
            basis="unit",
            amount=D("2"),
        )
        ChargeRule.objects.create(
            delivery_mode=mode,
            call_center=call_center,
            category="handling",
            description="Handling",
            amount=D("3"),
            taxable=True,
        )
        order = make_order(clerk=clerk, lines=[(product, 3)])
        order.refresh_from_db()
        assert [(c["description"], c["amount"]) for c in order.priced_charges] == [
            ("Handling", D("3.00")),
            ("Per unit", D("6.00")),
        ]
        assert order.tax_total == D("30.30")  # 10 % of 300.00 and of the taxed 3.00

    def test_tax_by_the_products_tax_group_and_the_delivery_state(self, clerk, product):
        books = TaxGroup.objects.create(code="BOOKS", name="Books")
        book = ProductFactory(price=D("20"), tax_group=books)
        TaxRate.objects.create(country="US", state="WA", rate=D("6.5"))
        TaxRate.objects.create(tax_group=books, rate=D("0"))
        order = make_order(clerk=clerk, lines=[(product, 1), (book, 1)])  # Seattle, WA
        assert order.tax_total == D("6.50")

    def test_without_a_matching_rate_the_call_centers_rate_applies(self, clerk, product):
        TaxRate.objects.create(country="US", state="OR", rate=D("0"))
        order = make_order(clerk=clerk, lines=[(product, 1)])
        assert order.tax_total == D("10.00")


@pytest.fixture
def save5():
    return Coupon.objects.create(
        code="SAVE5", value=D("5"), min_order_amount=D("50"), max_uses_per_customer=1
    )


class TestCoupons:
    def test_a_coupon_applied_is_its_own_discount_and_an_event(self, clerk, product, save5):
        order = make_order(clerk=clerk, lines=[(product, 1)])
        services.apply_coupon(order=order, by=clerk, code="save5")
        assert totals_of(order) == (D("100"), D("5"), D("10"), D("9.50"), D("114.50"))
        assert order.coupon_discount == D("5.00")
        assert order.events.filter(type=OrderEvent.Type.COUPON_APPLIED).exists()

    @pytest.mark.parametrize(
        ("setup", "message"),
        [
            ({"code": "NOPE"}, "There is no coupon NOPE"),
            ({"valid_to": "2000-01-01"}, "not valid today"),
            ({"is_active": False}, "not valid today"),
            ({"min_order_amount": D("500")}, "at least 500.00"),
        ],
    )
    def test_a_coupon_that_cannot_be_used_is_refused_clearly(
        self, clerk, product, save5, setup, message
    ):
        code = setup.pop("code", "SAVE5")
        Coupon.objects.filter(pk=save5.pk).update(**setup)
        order = make_order(clerk=clerk, lines=[(product, 1)])
        with pytest.raises(CouponError, match=message):
            services.apply_coupon(order=order, by=clerk, code=code)
        order.refresh_from_db()
        assert order.coupon is None

    def test_a_customer_cannot_use_a_coupon_more_often_than_allowed(self, clerk, product, save5):
        customer = CustomerFactory()
        earlier = make_order(clerk=clerk, customer=customer, lines=[(product, 1)])
        CouponUsage.objects.create(coupon=save5, order=earlier, customer=customer)
        order = make_order(clerk=clerk, customer=customer, lines=[(product, 1)])
        with pytest.raises(CouponError, match="already used coupon SAVE5"):
            services.apply_coupon(order=order, by=clerk, code="SAVE5")

    def test_submit_counts_the_use_and_cancel_releases_it(self, clerk, call_center, product, save5):
        cash = offer(call_center, PaymentMethodFactory())
        order = make_order(clerk=clerk, lines=[(product, 1)])
        services.apply_coupon(order=order, by=clerk, code="SAVE5")
        order.refresh_from_db()
        payment_services.add_payment(
            order=order, by=clerk, method=cash, amount=order.total, idempotency_key=uuid.uuid4()
        )
        payment_services.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())
        assert CouponUsage.objects.filter(coupon=save5, order=order).count() == 1
        assert order.events.filter(type=OrderEvent.Type.COUPON_REDEEMED).exists()
        assert services.release_coupons(order=order, by=clerk) == 1
        assert not CouponUsage.objects.exists()
        assert order.events.filter(type=OrderEvent.Type.COUPON_RELEASED).exists()

    def test_cancelling_a_submitted_order_gives_its_coupon_use_back(
        self, clerk, call_center, product, save5
    ):
        cash = offer(call_center, PaymentMethodFactory())
        order = make_order(clerk=clerk, lines=[(product, 1)])
        services.apply_coupon(order=order, by=clerk, code="SAVE5")
        order.refresh_from_db()
        payment_services.add_payment(
            order=order, by=clerk, method=cash, amount=order.total, idempotency_key=uuid.uuid4()
        )
        payment_services.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())
        payment_services.cancel_order(
            order=order, by=clerk, reason="Changed their mind", idempotency_key=uuid.uuid4()
        )
        assert not CouponUsage.objects.exists()
        assert order.events.filter(type=OrderEvent.Type.COUPON_RELEASED).count() == 1
        again = make_order(clerk=clerk, customer=order.customer, lines=[(product, 1)])
        services.apply_coupon(order=again, by=clerk, code="SAVE5")  # per-customer use is back

    def test_submit_is_refused_when_the_last_use_was_taken_meanwhile(self, clerk, product, save5):
        save5.max_uses = 1
        save5.save()
        order = make_order(clerk=clerk, lines=[(product, 1)])
        services.apply_coupon(order=order, by=clerk, code="SAVE5")
        other = make_order(clerk=clerk, lines=[(product, 1)])
        CouponUsage.objects.create(coupon=save5, order=other, customer=other.customer)
        order.refresh_from_db()
        with pytest.raises(CouponError, match=r"used up.*Remove the coupon"):
            services.before_submit(order=order, by=clerk)


@pytest.mark.django_db(transaction=True)
def test_two_clerks_taking_a_coupons_last_use_at_once_exactly_one_succeeds(clerk, call_center):
    cash = offer(call_center, PaymentMethodFactory())
    coupon = Coupon.objects.create(code="LAST", value=D("5"), max_uses=1)
    product = ProductFactory(price=D("100"))
    other_clerk = ChannelUserFactory(call_center=call_center).user
    orders = []
    for by in (clerk, other_clerk):
        order = make_order(clerk=by, call_center=call_center, lines=[(product, 1)])
        services.apply_coupon(order=order, by=by, code="LAST")
        order.refresh_from_db()
        payment_services.add_payment(
            order=order, by=by, method=cash, amount=order.total, idempotency_key=uuid.uuid4()
        )
        orders.append((order, by))

    def submit(order, by):
        return lambda: payment_services.submit_order(
            order=order, by=by, idempotency_key=uuid.uuid4()
        )

    results, errors = run_together(*(submit(order, by) for order, by in orders))
    assert sum(result is not None for result in results) == 1
    assert sum(isinstance(error, CouponError) for error in errors) == 1
    assert CouponUsage.objects.filter(coupon=coupon).count() == 1


class TestOverrides:
    @pytest.fixture
    def reason(self):
        return PriceOverrideReason.objects.create(code="MATCH", description="Price match")

    @pytest.fixture
    def clerk_limit(self):
        return PriceOverrideLimit.objects.create(role=ChannelUser.Role.CLERK, max_percent_below=10)

    def test_a_clerk_overrides_within_the_limit_the_line_is_flagged_and_an_event_written(
        self, clerk, product, reason, clerk_limit
    ):
        order = make_order(clerk=clerk, lines=[(product, 1)])
        line = services.override_price(
            order=order, by=clerk, line_id=order.lines.get().pk, price=D("90"), reason=reason
        )
        line.refresh_from_db()
        assert line.is_price_overridden
        assert line.sold_price == D("90.00")
        assert [s.kind for s in line.price_steps] == ["base", "override"]
        event = order.events.get(type=OrderEvent.Type.PRICE_OVERRIDDEN)
        assert event.parameters["new"] == "90.00"
        assert event.parameters["reason"] == "MATCH"

    def test_beyond_the_clerks_limit_a_supervisor_must_approve(
        self, clerk, call_center, product, reason, clerk_limit
    ):
        order = make_order(clerk=clerk, lines=[(product, 1)])
        line_id = order.lines.get().pk
        with pytest.raises(OverrideNeedsApproval, match="A supervisor must approve"):
            services.override_price(
                order=order, by=clerk, line_id=line_id, price=D("89.99"), reason=reason
            )
        supervisor = ChannelUserFactory(
            call_center=call_center, role=ChannelUser.Role.SUPERVISOR
        ).user
        services.override_price(
            order=order, by=supervisor, line_id=line_id, price=D("50"), reason=reason
        )
        event = order.events.get(type=OrderEvent.Type.PRICE_OVERRIDDEN)
        assert event.parameters["beyond_limit"] is True
        assert event.parameters["approved_by"] == supervisor.username

    def test_without_a_configured_limit_a_clerk_may_not_go_below_the_computed_price(
        self, clerk, product, reason
    ):
        order = make_order(clerk=clerk, lines=[(product, 1)])
        line_id = order.lines.get().pk
        with pytest.raises(OverrideNeedsApproval):
            services.override_price(
                order=order, by=clerk, line_id=line_id, price=D("99.99"), reason=reason
            )
        services.override_price(
            order=order, by=clerk, line_id=line_id, price=D("110"), reason=reason
        )
        assert order.lines.get().sold_price == D("110.00")

    def test_clearing_an_override_gives_back_the_computed_price(
        self, clerk, product, reason, clerk_limit
    ):
        order = make_order(clerk=clerk, lines=[(product, 1)])
        line_id = order.lines.get().pk
        services.override_price(
            order=order, by=clerk, line_id=line_id, price=D("95"), reason=reason
        )
        services.override_price(order=order, by=clerk, line_id=line_id, price=None)
        line = order.lines.get()
        assert not line.is_price_overridden
        assert line.sold_price == D("100.00")
