import datetime
from decimal import Decimal

import pytest

from orders import services
from orders.errors import (
    ConcurrentEdit,
    InvalidOrderData,
    NotAChannelUser,
    OrderError,
    OrderNotEditable,
)
from orders.models import OrderEvent, SalesOrder
from tests.factories import (
    CallCenterFactory,
    CatalogFactory,
    ChannelUserFactory,
    CustomerFactory,
    DeliveryModeFactory,
    ProductFactory,
    SourceCodeFactory,
    make_order,
)

pytestmark = pytest.mark.django_db


def event_types(order):
    return list(order.events.values_list("type", flat=True))


def test_order_numbers_follow_the_call_centers_sequence(clerk, call_center):
    first = services.create_order(call_center=call_center, customer=CustomerFactory(), by=clerk)
    second = services.create_order(call_center=call_center, customer=CustomerFactory(), by=clerk)
    assert first.number == f"{call_center.order_number_prefix}-000001"
    assert second.number == f"{call_center.order_number_prefix}-000002"
    call_center.refresh_from_db()
    assert call_center.next_order_number == 3


def test_a_new_order_takes_the_default_mode_of_delivery_and_the_primary_address(clerk):
    mode = DeliveryModeFactory(code="20", name="Air", charge=Decimal("18.00"))
    center = CallCenterFactory(delivery_modes=[mode], default_delivery_mode=mode)
    ChannelUserFactory(call_center=center, user=clerk)
    customer = CustomerFactory()
    order = services.create_order(call_center=center, customer=customer, by=clerk)
    assert order.delivery_mode == mode
    assert order.charges_total == Decimal("18.00")
    assert "1 Main Street" in order.delivery_address
    assert event_types(order) == [OrderEvent.Type.CREATED]


def test_no_order_is_opened_for_a_blocked_customer(clerk, call_center):
    customer = CustomerFactory(is_blocked=True)
    with pytest.raises(OrderError, match="blocked"):
        services.create_order(call_center=call_center, customer=customer, by=clerk)
    assert not SalesOrder.objects.exists()


def test_adding_a_line_copies_the_product_and_reprices_the_order(clerk):
    product = ProductFactory(item_number="81327", name="Speaker", price=Decimal("100.00"))
    order = make_order(clerk=clerk, lines=[(product, 2)])
    line = order.lines.get()
    product.name, product.price = "Renamed", Decimal("1.00")
    product.save()
    line.refresh_from_db()
    assert (line.item_number, line.product_name, line.unit_price) == (
        "81327",
        "Speaker",
        Decimal("100.00"),
    )
    assert line.line_amount == Decimal("200.00")
    assert order.subtotal == Decimal("200.00")
    assert order.total == Decimal("230.00")  # 200 + 10 S&H + 10 % tax on 200
    assert OrderEvent.Type.LINE_ADDED in event_types(order)


@pytest.mark.parametrize("quantity", [0, -1, 100_000, 10**12])
def test_quantities_out_of_range_are_refused(clerk, quantity):
    order = make_order(clerk=clerk)
    with pytest.raises(InvalidOrderData) as error:
        services.add_line(order=order, by=clerk, product=ProductFactory(), quantity=quantity)
    assert error.value.field == "quantity"
    assert not order.lines.exists()


def test_a_product_no_longer_sold_cannot_be_added(clerk):
    order = make_order(clerk=clerk)
    with pytest.raises(InvalidOrderData):
        services.add_line(
            order=order, by=clerk, product=ProductFactory(is_active=False), quantity=1
        )


def test_a_source_code_discounts_only_the_products_of_its_catalog(clerk):
    in_catalog, other = ProductFactory(price=Decimal("50.00")), ProductFactory()
    catalog = CatalogFactory()
    catalog.products.add(in_catalog)
    code = SourceCodeFactory(catalog=catalog, discount_percent=Decimal("10"))
    order = make_order(clerk=clerk)
    services.add_line(order=order, by=clerk, product=in_catalog, quantity=1, source_code=code)
    services.add_line(order=order, by=clerk, product=other, quantity=1, source_code=code)
    order.refresh_from_db()
    discounted, plain = order.lines.order_by("line_number")
    assert discounted.discount_amount == Decimal("5.00")
    assert plain.discount_amount == Decimal("0.00")
    assert order.discount_total == Decimal("5.00")


def test_the_header_source_code_applies_to_lines_without_their_own(clerk):
    product = ProductFactory(price=Decimal("100.00"))
    catalog = CatalogFactory()
    catalog.products.add(product)
    code = SourceCodeFactory(catalog=catalog, discount_percent=Decimal("20"))
    order = make_order(clerk=clerk, lines=[(product, 1)])
    order = services.update_header(
        order=order,
        by=clerk,
        version=order.version,
        delivery_mode=order.delivery_mode,
        source_code=code,
    )
    assert order.discount_total == Decimal("20.00")
    assert order.source_code == code


def test_an_expired_source_code_is_refused(clerk):

    code = SourceCodeFactory(valid_to=datetime.date(2000, 1, 1))
    order = make_order(clerk=clerk)
    with pytest.raises(InvalidOrderData, match="not active"):
        services.add_line(
            order=order, by=clerk, product=ProductFactory(), quantity=1, source_code=code
        )


def test_changing_the_mode_of_delivery_changes_the_charges_and_is_recorded(clerk, call_center):
    air = DeliveryModeFactory(code="20", name="Air", charge=Decimal("18.00"))
    call_center.delivery_modes.add(air)
    order = make_order(clerk=clerk)
    order = services.update_header(order=order, by=clerk, version=order.version, delivery_mode=air)
    assert order.charges_total == Decimal("18.00")
    event = order.events.filter(type=OrderEvent.Type.HEADER_CHANGED).last()
    assert event.parameters["changes"]["delivery_mode"] == {"from": "99 Standard", "to": "20 Air"}
    assert event.user == clerk


def test_a_mode_of_delivery_the_call_center_does_not_offer_is_refused(clerk):
    order = make_order(clerk=clerk)
    elsewhere = DeliveryModeFactory(code="77", name="Elsewhere")
    with pytest.raises(InvalidOrderData):
        services.update_header(
            order=order, by=clerk, version=order.version, delivery_mode=elsewhere
        )


def test_a_header_change_from_a_stale_form_is_refused(clerk, call_center):
    air = DeliveryModeFactory(code="20", name="Air", charge=Decimal("18.00"))
    call_center.delivery_modes.add(air)
    order = make_order(clerk=clerk)
    seen_version = order.version
    services.update_header(order=order, by=clerk, version=seen_version, delivery_mode=air)
    with pytest.raises(ConcurrentEdit):
        services.update_header(order=order, by=clerk, version=seen_version, delivery_mode=None)
    order.refresh_from_db()
    assert order.delivery_mode == air


def test_adding_a_line_makes_a_header_form_that_saw_the_order_before_stale(clerk, call_center):
    order = make_order(clerk=clerk)
    seen_version = order.version
    services.add_line(order=order, by=clerk, product=ProductFactory(), quantity=1)
    with pytest.raises(ConcurrentEdit):
        services.update_header(order=order, by=clerk, version=seen_version, delivery_mode=None)


def test_removing_a_line_reprices_and_is_recorded(clerk):
    order = make_order(clerk=clerk, lines=[(ProductFactory(), 1), (ProductFactory(), 1)])
    first = order.lines.order_by("line_number").first()
    services.remove_line(order=order, by=clerk, line_id=first.pk)
    order.refresh_from_db()
    assert order.lines.count() == 1
    assert order.subtotal == Decimal("100.00")
    assert OrderEvent.Type.LINE_REMOVED in event_types(order)


def test_removing_a_line_twice_says_it_is_gone(clerk):
    order = make_order(clerk=clerk, lines=[(ProductFactory(), 1)])
    line_id = order.lines.get().pk
    services.remove_line(order=order, by=clerk, line_id=line_id)
    with pytest.raises(InvalidOrderData, match="no longer on the order"):
        services.remove_line(order=order, by=clerk, line_id=line_id)


def test_a_released_order_can_no_longer_be_changed(clerk):
    order = make_order(clerk=clerk, lines=[(ProductFactory(), 1)])
    SalesOrder.objects.filter(pk=order.pk).update(status=SalesOrder.Status.PROCESSING)
    with pytest.raises(OrderNotEditable):
        services.add_line(order=order, by=clerk, product=ProductFactory(), quantity=1)
    with pytest.raises(OrderNotEditable):
        services.update_header(order=order, by=clerk, version=order.version, delivery_mode=None)


def test_the_status_pipeline_refuses_illegal_transitions():
    order = SalesOrder(status=SalesOrder.Status.CANCELLED)
    with pytest.raises(OrderError):
        order.set_status(SalesOrder.Status.SUBMITTED)
    assert order.status == SalesOrder.Status.CANCELLED


def test_complete_computes_every_charge_and_is_recorded(clerk):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])
    order = services.complete_order(order=order, by=clerk)
    assert (order.subtotal, order.charges_total, order.tax_total, order.total) == (
        Decimal("100.00"),
        Decimal("10.00"),
        Decimal("10.00"),
        Decimal("120.00"),
    )
    assert event_types(order)[-1] == OrderEvent.Type.COMPLETED


def test_services_refuse_a_user_who_is_not_a_channel_user_of_the_order_s_center(clerk):
    order = make_order(clerk=clerk)
    outsider = ChannelUserFactory().user  # a user of another call center
    with pytest.raises(NotAChannelUser):
        services.add_line(order=order, by=outsider, product=ProductFactory(), quantity=1)
    with pytest.raises(NotAChannelUser):
        services.create_order(call_center=order.call_center, customer=order.customer, by=outsider)
    assert not order.lines.exists()
