"""A continuity renewal is charged the program's price: the child order's lines keep it
(``SalesLine.fixed_price``) whatever the price groups (the call center's, the
customer's) and source codes say, at its first price and at every re-price after it
(a header change, a quantity change, a coupon, submit)."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from catalog.models import PriceGroup, SourceCodePrice, TradeAgreement
from orders import holds
from orders import services as order_services
from orders.models import (
    ContinuityProgram,
    Coupon,
    CustomerPriceGroup,
    Enrolment,
    SalesLine,
    SalesOrder,
)
from payments.continuity import process_due
from payments.gateways import get_gateway
from payments.models import Payment
from tests.factories import (
    TENDERS,
    CatalogFactory,
    CustomerFactory,
    PaymentMethodFactory,
    ProductFactory,
    SourceCodeFactory,
    make_order,
    offer,
)
from tests.payments.conftest import card, pay, submit
from tests.payments.test_continuity import make_program, month

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def card_method(call_center):
    return offer(call_center, PaymentMethodFactory(**TENDERS["card"]))


def group_price(call_center, product, price, *, customer=None):
    """A trade agreement for ``product`` in a price group of the call center, or of the
    customer's when ``customer`` is given."""
    group = PriceGroup.objects.create(code=f"G{PriceGroup.objects.count()}", name="Group")
    if customer is None:
        group.call_centers.add(call_center)
    else:
        CustomerPriceGroup.objects.create(customer=customer, price_group=group)
    TradeAgreement.objects.create(price_group=group, product=product, price=D(price))
    return group


def enrol(clerk, card_method, program, customer=None):
    order = make_order(clerk=clerk, customer=customer, lines=[(program.parent_product, 1)])
    pay(order, clerk, card_method, str(order.total), card=card())
    submit(order, clerk)
    return Enrolment.objects.get(original_order=order)


def renewal(enrolment, number=2):
    return enrolment.shipments.get(event_number=number).order


def kinds(line):
    return [step.kind for step in line.price_steps]


def test_an_up_front_programs_renewal_ships_its_items_at_0_whatever_the_price_group(
    clerk, call_center, card_method
):
    program = make_program(billing=ContinuityProgram.Billing.UP_FRONT)
    group_price(call_center, program.parent_product, "20.00")
    enrolment = enrol(clerk, card_method, program)
    outcome = process_due(today=month(1))
    child = renewal(enrolment)
    assert outcome.submitted == [child.number]
    line = child.lines.get()
    assert line.fixed_price
    assert (line.unit_price, line.sold_price, line.line_amount) == (D("0.00"),) * 3
    assert kinds(line) == ["fixed"]
    assert line.price_steps[0].label == "Continuity program price"
    # the items at 0.00, no tax on them; the mode of delivery's 10.00 charge as always
    assert (child.subtotal, child.tax_total, child.charges_total) == (D("0"), D("0"), D("10"))
    assert child.total == D("10.00")
    assert child.payments.get().amount == D("10.00")  # not 32.00 (20.00 + 10.00 + 2.00 tax)


@pytest.mark.parametrize(
    ("whose", "price"),
    [("center", "40.00"), ("customer", "40.00"), ("customer", "15.00"), ("center", "15.00")],
)
def test_a_per_event_programs_renewal_charges_the_programs_price_not_a_price_groups(
    clerk, call_center, card_method, whose, price
):
    program = make_program(price="25.00")
    customer = CustomerFactory()
    group_price(
        call_center,
        program.parent_product,
        price,
        customer=customer if whose == "customer" else None,
    )
    enrolment = enrol(clerk, card_method, program, customer)
    process_due(today=month(1))
    child = renewal(enrolment)
    line = child.lines.get()
    assert (line.sold_price, line.line_amount) == (D("25.00"), D("25.00"))
    assert kinds(line) == ["fixed"]
    # 25.00 + 10.00 shipping by 99 Standard + 10 % tax on 25.00
    assert child.total == D("37.50")
    payment = child.payments.get()
    assert (payment.status, payment.amount) == (Payment.Status.CAPTURED, D("37.50"))


def test_a_held_renewal_keeps_the_programs_price_through_every_re_price(
    clerk, call_center, card_method
):
    """Declined, the renewal is a draft on PAYMENT hold a clerk works on: a source code on
    the header, a quantity, a coupon and submit each re-price it, at the program's price."""
    program = make_program(price="25.00")
    item = program.parent_product
    group_price(call_center, item, "40.00")
    enrolment = enrol(clerk, card_method, program)
    get_gateway().decline_token(enrolment.card_token, "Insufficient funds.")
    process_due(today=month(1))
    child = renewal(enrolment)
    assert child.status == SalesOrder.Status.DRAFT
    line = child.lines.get()
    assert line.sold_price == D("25.00")

    catalog = CatalogFactory()
    catalog.products.add(item)
    code = SourceCodeFactory(catalog=catalog, discount_percent=D("10"))
    SourceCodePrice.objects.create(source_code=code, product=item, price=D("5.00"))
    child = order_services.update_header(
        order=child,
        by=clerk,
        version=child.version,
        delivery_mode=child.delivery_mode,
        source_code=code,
    )
    line.refresh_from_db()
    assert (line.sold_price, kinds(line)) == (D("25.00"), ["fixed"])

    order_services.change_quantity(order=child, by=clerk, line_id=line.pk, quantity=2)
    line.refresh_from_db()
    assert (line.sold_price, line.line_amount) == (D("25.00"), D("50.00"))

    Coupon.objects.create(code="SAVE5", value=D("5"))
    order_services.apply_coupon(order=child, by=clerk, code="SAVE5")
    line.refresh_from_db()
    child.refresh_from_db()
    assert (line.sold_price, child.coupon_discount) == (D("25.00"), D("5.00"))

    hold = child.holds.get()
    holds.clear_hold(order=child, by=clerk, hold_id=hold.pk, reason="Customer gave a new card")
    child.refresh_from_db()
    # 50.00 - 5.00 coupon + 10.00 shipping + 10 % tax on 45.00
    assert child.total == D("59.50")
    pay(child, clerk, card_method, "59.50", card=card())
    submit(child, clerk)
    child.refresh_from_db()
    line.refresh_from_db()
    assert child.status == SalesOrder.Status.SUBMITTED
    assert (line.sold_price, line.line_amount, child.total) == (D("25.00"), D("50.00"), D("59.50"))


def test_a_submitted_renewal_changed_later_keeps_the_programs_price(
    clerk, call_center, card_method
):
    program = make_program(price="25.00")
    group_price(call_center, program.parent_product, "40.00")
    enrolment = enrol(clerk, card_method, program)
    process_due(today=month(1))
    child = renewal(enrolment)
    assert child.status == SalesOrder.Status.SUBMITTED
    line = child.lines.get()
    order_services.change_quantity(order=child, by=clerk, line_id=line.pk, quantity=3)
    line.refresh_from_db()
    assert (line.sold_price, line.line_amount) == (D("25.00"), D("75.00"))


def test_a_line_the_clerk_adds_to_a_renewal_is_priced_as_any_other(clerk, call_center, card_method):
    program = make_program(price="25.00")
    group_price(call_center, program.parent_product, "40.00")
    enrolment = enrol(clerk, card_method, program)
    get_gateway().decline_token(enrolment.card_token, "Insufficient funds.")
    process_due(today=month(1))
    child = renewal(enrolment)
    extra = ProductFactory(price=D("30.00"))
    group_price(call_center, extra, "27.00")
    added = order_services.add_line(order=child, by=clerk, product=extra, quantity=1)
    added.refresh_from_db()
    assert not added.fixed_price
    assert (added.sold_price, kinds(added)) == (D("27.00"), ["base", "price_group"])
    assert child.lines.get(line_number=1).sold_price == D("25.00")


def test_the_migration_marks_the_program_lines_of_renewals_made_before(clerk, card_method):
    migration = importlib.import_module("orders.migrations.0018_salesline_fixed_price")
    program = make_program(price="25.00")
    enrolment = enrol(clerk, card_method, program)
    get_gateway().decline_token(enrolment.card_token, "Insufficient funds.")
    process_due(today=month(1))
    child = renewal(enrolment)
    order_services.add_line(order=child, by=clerk, product=ProductFactory(), quantity=1)
    SalesLine.objects.update(fixed_price=False)  # as renewals were made before

    migration.mark_renewal_lines(apps, None)

    marked = set(SalesLine.objects.filter(fixed_price=True).values_list("order", "line_number"))
    assert marked == {(child.pk, 1)}  # not the line added since, nor the original order's
