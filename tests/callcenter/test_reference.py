"""Setup data kept per app process (callcenter/reference.py): read once per version of a
call center's setup data, and read again on every server as soon as it changes."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from callcenter import reference
from callcenter.access import memberships
from callcenter.models import CallCenter, ChargeRule
from callcenter.roles import CLERK, GROUPS, sync_groups
from catalog.models import PriceGroup, ProductCategory, TaxRate, TradeAgreement
from customers.models import CustomerGroup
from orders import services
from orders.models import (
    CustomerPriceGroup,
    FraudRule,
    HoldCode,
    HoldSettings,
    PriceOverrideReason,
)
from tests.factories import (
    CallCenterFactory,
    CatalogFactory,
    CustomerFactory,
    DeliveryModeFactory,
    PaymentMethodFactory,
    ProductFactory,
    ScriptFactory,
    SourceCodeFactory,
    UpsellRuleFactory,
    make_order,
    offer,
)

pytestmark = pytest.mark.django_db


def version(center: CallCenter) -> int:
    return CallCenter.objects.values_list("reference_version", flat=True).get(pk=center.pk)


def test_a_value_is_read_once_per_version_of_the_setup_data(call_center):
    reads = []

    def load():
        reads.append(1)
        return ("rule",)

    assert reference.cached(call_center, "test", load) == ("rule",)
    assert reference.cached(call_center, "test", load) == ("rule",)
    assert len(reads) == 1
    call_center.reference_version = reference.new_version()
    assert reference.cached(call_center, "test", load) == ("rule",)
    assert len(reads) == 2


def test_the_key_separates_what_the_value_depends_on(call_center):
    assert reference.cached(call_center, "test", lambda: "US", "US") == "US"
    assert reference.cached(call_center, "test", lambda: "FR", "FR") == "FR"
    other = CallCenterFactory()
    assert reference.cached(other, "test", lambda: "other", "US") == "other"


def test_kept_values_expire(call_center, settings):
    settings.REFERENCE_DATA_SECONDS = 0
    reads = []
    for _ in range(2):
        reference.cached(call_center, "test", lambda: reads.append(1))
    assert len(reads) == 2


def test_the_number_of_kept_values_is_bounded(call_center, monkeypatch):
    monkeypatch.setattr(reference, "MAX_ENTRIES", 3)
    for key in range(5):
        reference.cached(call_center, "test", lambda key=key: key, key)
    reads = []
    reference.cached(call_center, "test", lambda: reads.append("oldest"), 0)
    reference.cached(call_center, "test", lambda: reads.append("newest"), 4)
    assert reads == ["oldest"]


def test_a_change_gives_the_centers_it_concerns_a_new_version(call_center):
    other = CallCenterFactory()
    mode = call_center.delivery_modes.get()
    before, other_before = version(call_center), version(other)
    rule = ChargeRule.objects.create(
        delivery_mode=mode, call_center=call_center, description="Own", amount=Decimal("1")
    )
    assert version(call_center) != before
    assert version(other) == other_before  # another center's own rule is not its data
    before = version(call_center)
    rule.call_center = other
    rule.save()  # moved: the center it left no longer charges it
    assert version(call_center) != before and version(other) != other_before
    other_before = version(other)
    rule.delete()
    assert version(other) != other_before


@pytest.mark.parametrize(
    "change",
    [
        lambda center: TaxRate.objects.create(country="US", rate=Decimal("7")),
        lambda center: DeliveryModeFactory(code="EXP", name="Express"),
        lambda center: center.delivery_modes.add(DeliveryModeFactory(code="EXP")),
        lambda center: ScriptFactory(call_center=center),
        lambda center: SourceCodeFactory(catalog=CatalogFactory()),
        lambda center: PriceOverrideReason.objects.create(code="MATCH", description="Match"),
        lambda center: TaxRate.objects.create(country="US", rate=Decimal("7")).delete(),
        lambda center: UpsellRuleFactory(call_center=center),
        lambda center: ProductCategory.objects.create(code="SPK", name="Speakers"),
        lambda center: ProductFactory().categories.add(
            ProductCategory.objects.create(code="SPK", name="Speakers")
        ),
        lambda center: HoldSettings.objects.create(call_center=center, fraud_threshold=50),
        lambda center: FraudRule.objects.create(name="Big", kind="total_above", amount=1000),
        lambda center: PaymentMethodFactory(),
        lambda center: offer(center, PaymentMethodFactory()),
        lambda center: HoldCode.objects.create(code="ADDR", name="Address check"),
        lambda center: CustomerGroup.objects.create(code="VIP", name="Very important"),
        lambda center: PriceGroup.objects.create(code="TRADE", name="Trade"),
        lambda center: PriceGroup.objects.create(code="TRADE", name="Trade").call_centers.add(
            center
        ),
        lambda center: PriceGroup.call_centers.through.objects.create(
            pricegroup=PriceGroup.objects.create(code="TRADE", name="Trade"), callcenter=center
        ),
        lambda center: TradeAgreement.objects.create(
            price_group=PriceGroup.objects.create(code="TRADE", name="Trade"),
            product=ProductFactory(),
            price=Decimal("5"),
        ),
        lambda center: CustomerPriceGroup.objects.create(
            customer=CustomerFactory(), price_group=PriceGroup.objects.create(code="T", name="T")
        ),
    ],
    ids=[
        "tax rate",
        "mode of delivery",
        "center's modes",
        "script",
        "source code",
        "override reason",
        "deleted",
        "upsell rule",
        "product category",
        "category's products",
        "hold settings",
        "fraud rule",
        "payment method",
        "center's payment methods",
        "hold code",
        "customer group",
        "price group",
        "price group's centers",
        "price group's center row",
        "trade agreement",
        "customer's price group",
    ],
)
def test_every_kind_of_setup_data_is_watched(call_center, change):
    before = version(call_center)
    change(call_center)
    assert version(call_center) != before


def test_a_suggestion_added_to_a_rule_is_offered_on_the_next_line(clerk, call_center):
    speaker, stand, cable = ProductFactory(), ProductFactory(), ProductFactory()
    rule = UpsellRuleFactory(trigger_product=speaker, suggested_products=[stand])
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    assert set(order.upsell_offers.values_list("product_id", flat=True)) == {stand.pk}
    rule.suggested_products.add(cable)
    services.add_line(order=order, by=clerk, product=speaker, quantity=1)
    assert set(order.upsell_offers.values_list("product_id", flat=True)) == {stand.pk, cable.pk}


def test_taking_orders_does_not_change_the_version(clerk, call_center):
    before = version(call_center)
    make_order(clerk=clerk, lines=[(ProductFactory(), 1)])
    assert version(call_center) == before


def test_a_rule_saved_on_another_server_prices_the_next_line(clerk, call_center, monkeypatch):
    """This process keeps what it read before the change, as another app server would
    (it never sees the other server's signals): the new version read with the order is
    what makes it read the rules again."""
    product = ProductFactory(price=Decimal("20.00"))
    order = make_order(clerk=clerk, lines=[(product, 1)])
    assert order.charges_total == Decimal("10.00")  # the mode's flat charge, now kept
    monkeypatch.setattr(reference, "clear", lambda: None)  # the change is made elsewhere
    ChargeRule.objects.create(
        delivery_mode=order.delivery_mode, description="Flat", amount=Decimal("4.00")
    )
    services.add_line(order=order, by=clerk, product=product, quantity=1)
    order.refresh_from_db()
    assert order.charges_total == Decimal("4.00")


def test_a_source_code_changed_on_another_server_prices_the_lines_that_carry_it(
    clerk, call_center, monkeypatch
):
    """A line's source code comes with the kept setup data: a new discount, saved where
    this process does not hear of it, re-prices the order's lines on its next change."""
    catalog = CatalogFactory()
    code = SourceCodeFactory(catalog=catalog, discount_percent=Decimal("10"))
    product = ProductFactory(price=Decimal("20.00"))
    catalog.products.add(product)
    order = make_order(clerk=clerk)
    services.add_line(order=order, by=clerk, product=product, quantity=1, source_code=code)
    services.add_line(order=order, by=clerk, product=ProductFactory(), quantity=1)  # kept
    assert order.lines.get(product=product).sold_price == Decimal("18.00")
    monkeypatch.setattr(reference, "clear", lambda: None)  # the change is made elsewhere
    code.discount_percent = Decimal("25")
    code.save()
    services.add_line(order=order, by=clerk, product=ProductFactory(), quantity=1)
    assert order.lines.get(product=product).sold_price == Decimal("15.00")


def test_a_change_that_bypasses_signals_waits_for_changed(clerk, call_center):
    """QuerySet.update sends no signal: the kept rules serve until ``changed`` is called
    (or they are REFERENCE_DATA_SECONDS old), as the module says."""
    product = ProductFactory(price=Decimal("20.00"))
    mode = call_center.delivery_modes.get()
    ChargeRule.objects.create(delivery_mode=mode, description="Flat", amount=Decimal("4.00"))
    order = make_order(clerk=clerk, lines=[(product, 1)])
    assert order.charges_total == Decimal("4.00")
    ChargeRule.objects.update(amount=Decimal("6.00"))
    services.add_line(order=order, by=clerk, product=product, quantity=1)
    order.refresh_from_db()
    assert order.charges_total == Decimal("4.00")
    reference.changed()
    services.add_line(order=order, by=clerk, product=product, quantity=1)
    order.refresh_from_db()
    assert order.charges_total == Decimal("6.00")


def test_a_rolled_back_change_leaves_the_old_version_and_data(clerk, call_center):
    product = ProductFactory(price=Decimal("20.00"))
    order = make_order(clerk=clerk, lines=[(product, 1)])
    before = version(call_center)
    with pytest.raises(RuntimeError), transaction.atomic():
        ChargeRule.objects.create(
            delivery_mode=order.delivery_mode, description="Flat", amount=Decimal("4.00")
        )
        services.add_line(order=order, by=clerk, product=product, quantity=1)  # reads it
        raise RuntimeError
    assert version(call_center) == before
    services.add_line(order=order, by=clerk, product=product, quantity=1)
    order.refresh_from_db()
    assert order.charges_total == Decimal("10.00")


def test_an_edited_script_shows_on_the_order_page_at_once(client, clerk, call_center):
    """The order page keeps the center's scripts; one edited shows on the next request."""
    order = make_order(clerk=clerk)
    script = ScriptFactory(call_center=call_center, text="Welcome to the spring sale.")
    client.force_login(clerk)
    page = reverse("orders:detail", args=[order.number])
    assert "Welcome to the spring sale." in client.get(page).content.decode()
    script.text = "Welcome to the summer sale."
    script.save()
    content = client.get(page).content.decode()
    assert "Welcome to the summer sale." in content
    assert "Welcome to the spring sale." not in content


def test_the_command_makes_every_server_read_the_setup_data_again(call_center):
    other = CallCenterFactory()
    before, other_before = version(call_center), version(other)
    out = StringIO()
    call_command("refresh_setup_data", call_center.code, stdout=out)
    assert version(call_center) != before and version(other) == other_before
    assert "1 call center(s)" in out.getvalue()
    call_command("refresh_setup_data", stdout=out)
    assert version(other) != other_before


def test_the_command_refuses_an_unknown_call_center(call_center):
    before = version(call_center)
    with pytest.raises(CommandError, match="Unknown call center: NOPE"):
        call_command("refresh_setup_data", call_center.code, "NOPE")
    assert version(call_center) == before


@pytest.mark.parametrize(
    "change",
    [
        lambda user: Group.objects.get(name=GROUPS[CLERK]).permissions.remove(
            Permission.objects.get(codename="view_salesorder")
        ),
        lambda user: user.groups.remove(Group.objects.get(name=GROUPS[CLERK])),
        lambda user: user.groups.clear(),
        lambda user: Group.objects.get(name=GROUPS[CLERK]).delete(),
    ],
    ids=["group's permissions", "user's groups", "groups cleared", "group deleted"],
)
def test_a_permission_taken_on_another_server_is_refused_on_the_next_request(
    client, clerk, call_center, monkeypatch, change
):
    """A channel user's permissions are kept with the setup data; a change made on another
    server (this process never sees its signals) is seen by the new version alone."""
    order = make_order(clerk=clerk)
    client.force_login(clerk)
    page = reverse("orders:detail", args=[order.number])
    assert client.get(page).status_code == 200
    monkeypatch.setattr(reference, "clear", lambda: None)
    change(clerk)
    assert client.get(page).status_code == 403


def test_a_permission_granted_is_used_on_the_next_request(client, clerk, call_center):
    client.force_login(clerk)
    queue = reverse("holds:queue")
    assert client.get(queue).status_code == 403  # supervisors work the hold queue
    clerk.user_permissions.add(Permission.objects.get(codename="view_hold_queue"))
    assert client.get(queue).status_code == 200


def test_kept_permissions_are_read_once_per_version(clerk, call_center, django_assert_num_queries):
    """The permission query runs on the first request only; the next requests use the set."""
    request = RequestFactory().get("/")
    request.user, request.session = clerk, {}
    memberships(request)
    assert clerk.has_perm("orders.view_salesorder")
    again = type(clerk).objects.get(pk=clerk.pk)
    request.user, request._channel_memberships = again, None
    memberships(request)
    with django_assert_num_queries(0):
        assert again.has_perm("orders.view_salesorder")
        assert not again.has_perm("orders.view_hold_queue")


def test_adding_a_group_the_user_already_has_keeps_the_version(clerk, call_center):
    before = version(call_center)
    sync_groups(clerk)  # what saving their membership does: nothing changes
    assert version(call_center) == before


def test_a_products_trade_agreements_are_read_once_per_version(clerk, call_center):
    product = ProductFactory(price=Decimal("100.00"))
    group = PriceGroup.objects.create(code="RETAIL", name="Retail")
    group.call_centers.add(call_center)
    TradeAgreement.objects.create(price_group=group, product=product, price=Decimal("90"))
    order = make_order(clerk=clerk, lines=[(product, 1)])
    with CaptureQueriesContext(connection) as captured:
        services.add_line(order=order, by=clerk, product=product, quantity=1)
    assert not [q for q in captured if "catalog_tradeagreement" in q["sql"]]
    assert [line.sold_price for line in order.lines.all()] == [Decimal("90.00")] * 2


@pytest.mark.parametrize("whose", ["center's group", "customer's group"])
def test_a_price_saved_on_another_server_prices_the_next_line(
    clerk, call_center, monkeypatch, whose
):
    """A trade agreement, or a customer's price group, changed while this process keeps
    the old ones (as another server would): the new version makes it read them again."""
    product = ProductFactory(price=Decimal("100.00"))
    customer = CustomerFactory()
    order = make_order(clerk=clerk, customer=customer, lines=[(product, 1)])
    assert order.lines.get().sold_price == Decimal("100.00")
    monkeypatch.setattr(reference, "clear", lambda: None)  # the change is made elsewhere
    group = PriceGroup.objects.create(code="TRADE", name="Trade")
    TradeAgreement.objects.create(price_group=group, product=product, price=Decimal("85"))
    if whose == "center's group":
        group.call_centers.add(call_center)
    else:
        CustomerPriceGroup.objects.create(customer=customer, price_group=group)
    services.add_line(order=order, by=clerk, product=product, quantity=1)
    assert {line.sold_price for line in order.lines.all()} == {Decimal("85.00")}
