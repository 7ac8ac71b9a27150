"""The demo data: idempotent, and the seed procedure's numbers come out right."""

import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from callcenter.models import CallCenter, ChannelUser, DeliveryMode
from catalog.models import Catalog, Product, SourceCode
from customers.models import Customer
from customers.selectors import customer_search
from orders import services as order_services
from orders.errors import CouponError
from orders.forms import active_source_codes
from orders.models import Coupon
from payments import services as payment_services
from payments.errors import PaymentError
from payments.models import CallCenterPaymentMethod, GiftCard, PaymentMethod

pytestmark = pytest.mark.django_db

MODELS = [CallCenter, ChannelUser, DeliveryMode, Product, SourceCode, Customer, PaymentMethod]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS} | {
        "users": get_user_model().objects.count()
    }


# The test runner turns DEBUG off, so the tests load the demo data with --force.


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo", force=True)
    first = counts()
    call_command("load_demo", force=True)
    assert counts() == first
    assert first["Customer"] >= 51
    assert first["Product"] >= 51


def test_the_demo_accounts_log_in_with_their_names_as_passwords():
    call_command("load_demo", force=True)
    User = get_user_model()
    for name in ["clerk", "supervisor", "admin"]:
        assert User.objects.get(username=name).check_password(name)
    assert User.objects.get(username="admin").is_superuser
    assert ChannelUser.objects.filter(user__username="clerk", call_center__code="USRT-CC").exists()


def test_karen_search_finds_karen_berg_2001_among_other_karens():
    call_command("load_demo", force=True)
    found = list(
        customer_search(query="Karen", companies=["USRT"]).values_list("account_number", "name")
    )
    assert ("2001", "Karen Berg") in found
    assert len(found) > 1


def test_the_seed_order_comes_to_120_and_submits_after_paying_cash():
    call_command("load_demo", force=True)
    clerk = get_user_model().objects.get(username="clerk")
    center = CallCenter.objects.get(code="USRT-CC")
    order = order_services.create_order(
        call_center=center, customer=Customer.objects.get(account_number="2001"), by=clerk
    )
    order = order_services.update_header(
        order=order,
        by=clerk,
        version=order.version,
        delivery_mode=DeliveryMode.objects.get(code="99"),
    )
    order_services.add_line(
        order=order,
        by=clerk,
        product=Product.objects.get(item_number="81327"),
        quantity=1,
        source_code=SourceCode.objects.active().first(),
    )
    order = order_services.complete_order(order=order, by=clerk)
    assert order.total == Decimal("120.00")
    payment_services.add_payment(
        order=order,
        by=clerk,
        method=PaymentMethod.objects.get(name="Cash"),
        amount=Decimal("120.00"),
        idempotency_key=uuid.uuid4(),
    )
    submitted = payment_services.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())
    assert submitted.status == "submitted"


def test_the_demo_cash_method_reads_especes_in_french():
    call_command("load_demo", force=True)
    cash = PaymentMethod.objects.get(code="CASH")
    with translation.override("fr"):
        assert str(cash) == "Espèces"
    with translation.override("en"):
        assert str(cash) == "Cash"


def test_the_demo_gift_cards_are_usrts_and_fabrikam_cannot_pay_with_them():
    call_command("load_demo", force=True)
    assert set(GiftCard.objects.values_list("company", flat=True)) == {"USRT"}
    fabrikam = CallCenter.objects.get(code="FABR-CC")
    gift = PaymentMethod.objects.get(code="GIFT")
    CallCenterPaymentMethod.objects.create(call_center=fabrikam, payment_method=gift)
    clerk = get_user_model().objects.get(username="fabrikam")
    order = order_services.create_order(
        call_center=fabrikam, customer=Customer.objects.get(account_number="F-1001"), by=clerk
    )
    order_services.add_line(
        order=order, by=clerk, product=Product.objects.get(item_number="81327"), quantity=1
    )
    with pytest.raises(PaymentError, match="No active gift card has the number ending 0026"):
        payment_services.add_payment(
            order=order,
            by=clerk,
            method=gift,
            amount=Decimal("50.00"),
            idempotency_key=uuid.uuid4(),
            gift_card_number="6006491000000026",
        )
    assert GiftCard.objects.get(number="6006491000000026").balance == Decimal("500.00")


def test_loading_the_demo_again_gives_its_cards_left_without_a_company_to_usrt():
    call_command("load_demo", force=True)
    GiftCard.objects.update(company="")
    call_command("load_demo", force=True)
    assert set(GiftCard.objects.values_list("company", flat=True)) == {"USRT"}


def test_the_demo_catalog_and_coupons_are_usrts_and_fabrikam_is_not_offered_them():
    call_command("load_demo", force=True)
    assert set(Catalog.objects.values_list("company", flat=True)) == {"USRT"}
    assert set(Coupon.objects.values_list("company", flat=True)) == {"USRT"}
    fabrikam = CallCenter.objects.get(code="FABR-CC")
    clerk = get_user_model().objects.get(username="fabrikam")
    order = order_services.create_order(
        call_center=fabrikam, customer=Customer.objects.get(account_number="F-1001"), by=clerk
    )
    order_services.add_line(
        order=order, by=clerk, product=Product.objects.get(item_number="81327"), quantity=1
    )
    assert not active_source_codes(fabrikam).exists()
    assert active_source_codes(CallCenter.objects.get(code="USRT-CC")).filter(code="FAB26")
    with pytest.raises(CouponError, match="There is no coupon SAVE5"):
        order_services.apply_coupon(order=order, by=clerk, code="SAVE5")
