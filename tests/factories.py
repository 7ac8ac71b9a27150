"""factory-boy factories for every model the tests build."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from callcenter.models import CallCenter, ChannelUser, DeliveryMode
from catalog.models import Catalog, Product, SourceCode
from customers.models import Address, Customer
from orders.models import SalesOrder
from payments.models import CallCenterPaymentMethod, GiftCard, PaymentMethod


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")


class DeliveryModeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryMode
        django_get_or_create = ["code"]

    code = "99"
    name = "Standard"
    charge = Decimal("10.00")


class CallCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallCenter
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"CC{n}")
    name = factory.LazyAttribute(lambda o: f"Call center {o.code}")
    company = "USRT"
    order_number_prefix = factory.LazyAttribute(lambda o: o.code)
    tax_rate = Decimal("10.00")

    @factory.post_generation
    def delivery_modes(self, create, extracted, **kwargs):
        if create:
            self.delivery_modes.add(*(extracted or [DeliveryModeFactory()]))


class ChannelUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelUser

    call_center = factory.SubFactory(CallCenterFactory)
    user = factory.SubFactory(UserFactory)
    role = ChannelUser.Role.CLERK


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer
        skip_postgeneration_save = True

    company = "USRT"
    account_number = factory.Sequence(lambda n: str(5000 + n))
    name = factory.Sequence(lambda n: f"Customer {n}")
    phone = factory.Sequence(lambda n: f"555-030-{n:04d}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    address = factory.RelatedFactory(
        "tests.factories.AddressFactory", factory_related_name="customer"
    )


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    customer = factory.SubFactory(CustomerFactory, address=None)
    street = "1 Main Street"
    city = "Seattle"
    state = "WA"
    postal_code = "98101"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    item_number = factory.Sequence(lambda n: str(70000 + n))
    name = factory.Sequence(lambda n: f"Product {n}")
    price = Decimal("100.00")


class CatalogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Catalog

    code = factory.Sequence(lambda n: f"CAT{n}")
    name = factory.Sequence(lambda n: f"Catalog {n}")


class SourceCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceCode

    code = factory.Sequence(lambda n: f"SRC{n}")
    catalog = factory.SubFactory(CatalogFactory)
    discount_percent = Decimal("0")


class PaymentMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentMethod
        django_get_or_create = ["code"]

    code = "CASH"
    name = "Cash"
    tender_type = PaymentMethod.TenderType.CASH


class GiftCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GiftCard

    company = "USRT"
    number = factory.Sequence(lambda n: f"60064910{n:08d}")
    balance = Decimal("50.00")
    currency = "USD"


#: one payment method per tender type, as ``PaymentMethodFactory(**TENDERS["card"])``
TENDERS = {
    "cash": {"code": "CASH", "name": "Cash", "tender_type": "cash"},
    "check": {"code": "CHECK", "name": "Check", "tender_type": "check"},
    "card": {"code": "CARD", "name": "Card", "tender_type": "card"},
    "gift_card": {"code": "GIFT", "name": "Gift card", "tender_type": "gift_card"},
    "on_account": {"code": "ACCOUNT", "name": "On account", "tender_type": "on_account"},
}


def offer(
    call_center: CallCenter, method: PaymentMethod, *, allow_overpayment: bool = False
) -> PaymentMethod:
    CallCenterPaymentMethod.objects.update_or_create(
        call_center=call_center,
        payment_method=method,
        defaults={"allow_overpayment": allow_overpayment},
    )
    return method


def make_order(*, clerk, call_center=None, customer=None, lines=(), delivery_mode="99"):
    """A draft order built through the services, as a clerk would."""
    from orders import services

    call_center = call_center or clerk.channel_memberships.get().call_center
    order = services.create_order(
        call_center=call_center, customer=customer or CustomerFactory(), by=clerk
    )
    if delivery_mode:
        mode = call_center.delivery_modes.get(code=delivery_mode)
        order = services.update_header(
            order=order, by=clerk, version=order.version, delivery_mode=mode
        )
    for product, quantity in lines:
        services.add_line(order=order, by=clerk, product=product, quantity=quantity)
    order.refresh_from_db()
    return order


__all__ = [
    "TENDERS",
    "AddressFactory",
    "CallCenterFactory",
    "CatalogFactory",
    "ChannelUserFactory",
    "CustomerFactory",
    "DeliveryModeFactory",
    "GiftCardFactory",
    "ProductFactory",
    "SalesOrder",
    "SourceCodeFactory",
    "UserFactory",
    "make_order",
    "offer",
]


# --- Guided selling ---


class ScriptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Script"

    name = factory.Sequence(lambda n: f"Script {n}")
    moment = "order_opened"
    text = factory.Sequence(lambda n: f"Script text {n}.")


class UpsellRuleFactory(factory.django.DjangoModelFactory):
    """A rule triggered by a product; pass ``trigger_product=None`` with another trigger."""

    class Meta:
        model = "catalog.UpsellRule"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Rule {n}")
    kind = "upsell"
    trigger_product = factory.SubFactory(ProductFactory)
    script = "May I suggest this too?"

    @factory.post_generation
    def suggested_products(self, create, extracted, **kwargs):
        if create:
            self.suggested_products.add(*(extracted or [ProductFactory()]))


class CatalogRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orders.CatalogRequest"

    customer = factory.SubFactory(CustomerFactory)
    call_center = factory.SubFactory(CallCenterFactory)
    catalog = factory.SubFactory(CatalogFactory)
    name = factory.LazyAttribute(lambda o: o.customer.name)
    street = "1 Main Street"
    city = "Seattle"
    postal_code = "98101"
    country = "US"
    requested_by = factory.SubFactory(UserFactory)
