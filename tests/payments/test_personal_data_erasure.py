"""Erasing a customer's personal data reaches every record of theirs: their orders and
their history, holds, returns, payments, catalog requests and continuity enrolments.
What erasure keeps still adds up, and the export names the enrolments."""

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from callcenter.models import ChannelUser
from customers.models import Customer, CustomerEvent
from customers.privacy import ERASED, erase_customer, export_customer
from orders import continuity, holds
from orders import services as order_services
from orders.models import (
    CatalogRequest,
    Enrolment,
    EnrolmentEvent,
    HoldCode,
    OrderEvent,
    OrderHold,
    ReturnOrder,
    ReturnReason,
    SalesOrder,
)
from payments import services
from payments.consistency import find_problems
from payments.models import Cancellation, Payment, PaymentEvent, PaymentRefund
from tests.factories import (
    AddressFactory,
    CatalogRequestFactory,
    ChannelUserFactory,
    CustomerFactory,
    ProductFactory,
    make_order,
)
from tests.orders.test_continuity_views import enrol
from tests.payments.conftest import card, pay, submit

pytestmark = pytest.mark.django_db

#: what was said or typed about Karen, each of which erasure must leave nowhere
PERSONAL = [
    "Karen",
    "Berg",
    "5550102001",
    "karen@example.com",
    "1 Main Street",
    "Seattle",
    "98101",
    "7 Secret Lane",
    "Portland",
    "97201",
    "9 Hidden Road",
    "Tacoma",
    "4 Mail Drop Way",
    "Bend",
    "Oregon",
    "97701",
    "555 0199",
    "no room for it",
    "porch",
    "moving house",
    "spoke to her",
]
TYPED_ADDRESS = "7 Secret Lane, Portland, OR 97201, US"


@pytest.fixture
def supervisor(call_center):
    return ChannelUserFactory(call_center=call_center, role=ChannelUser.Role.SUPERVISOR).user


@pytest.fixture
def karen(clerk, supervisor, call_center, tender):
    """Karen with a shipped order sent to a typed address (held by hand, paid by card,
    partly returned), a cancelled order (a line cancelled, its card voided), an active
    enrolment sent to another of her addresses and a catalog request."""
    karen = CustomerFactory(name="Karen Berg", phone="+15550102001", email="karen@example.com")
    card_method = tender("card")

    shipped = make_order(
        clerk=clerk, customer=karen, lines=[(ProductFactory(price=Decimal("100.00")), 2)]
    )
    shipped = order_services.update_header(
        order=shipped,
        by=clerk,
        version=shipped.version,
        delivery_mode=shipped.delivery_mode,
        delivery_address=TYPED_ADDRESS,
    )
    research = HoldCode.objects.create(code="RESEARCH", name="Research")
    hold = holds.place_hold(
        order=shipped, by=clerk, code=research, note="Karen asks us to call 555 0199 first"
    )
    holds.clear_hold(order=shipped, by=supervisor, hold_id=hold.pk, reason="I spoke to her")
    shipped.refresh_from_db()
    pay(shipped, clerk, card_method, str(shipped.total), card=card())
    submit(shipped, clerk)
    holds.release_order(order=shipped, by=supervisor)
    holds.mark_shipped(number=shipped.number, tracking="1Z999")
    shipped.refresh_from_db()
    services.return_and_refund(
        order=shipped,
        by=clerk,
        reason=ReturnReason.objects.create(code="DAMAGED", description="Arrived damaged"),
        quantities={shipped.lines.get().pk: 1},
        idempotency_key=uuid.uuid4(),
        note="Left on the porch of 7 Secret Lane",
    )

    cancelled = make_order(
        clerk=clerk,
        customer=karen,
        lines=[(ProductFactory(price=Decimal("50.00")), 1), (ProductFactory(), 1)],
    )
    order_services.cancel_line(
        order=cancelled,
        by=clerk,
        line_id=cancelled.lines.get(line_number=1).pk,
        reason="Karen has no room for it",
    )
    cancelled.refresh_from_db()
    pay(cancelled, clerk, card_method, str(cancelled.total), card=card())
    services.cancel_order(
        order=cancelled,
        by=clerk,
        reason="Karen Berg is moving house",
        idempotency_key=uuid.uuid4(),
    )

    enrolment = enrol(clerk, customer=karen)
    elsewhere = AddressFactory(
        customer=karen, street="9 Hidden Road", city="Tacoma", is_primary=False
    )
    continuity.change_address(
        enrolment=enrolment, by=clerk, version=enrolment.version, address=elsewhere
    )

    CatalogRequestFactory(
        customer=karen,
        call_center=call_center,
        street="4 Mail Drop Way",
        city="Bend",
        state="Oregon",
        postal_code="97701",
        country="US",
    )
    karen.refresh_from_db()
    return karen


#: each record of a customer, and how it reaches the customer
RECORDS = {
    Customer: "pk",
    CustomerEvent: "customer",
    SalesOrder: "customer",
    CatalogRequest: "customer",
    Enrolment: "customer",
    "customers.Address": "customer",
    "customers.CustomerNote": "customer",
    "orders.CustomerPriceGroup": "customer",
    "orders.CouponUsage": "order__customer",
    OrderEvent: "order__customer",
    "orders.SalesLine": "order__customer",
    OrderHold: "order__customer",
    "orders.UpsellOffer": "order__customer",
    ReturnOrder: "order__customer",
    "orders.ReturnLine": "return_order__order__customer",
    "orders.ReturnEvent": "return_order__order__customer",
    EnrolmentEvent: "enrolment__customer",
    "orders.EnrolmentShipment": "enrolment__customer",
    Payment: "order__customer",
    Cancellation: "order__customer",
    PaymentEvent: "payment__order__customer",
    PaymentRefund: "payment__order__customer",
}


def _model(model):
    return apps.get_model(model) if isinstance(model, str) else model


def dump(customer) -> str:
    """Every column of every row of the customer's records, as text."""
    rows = {
        _model(model)._meta.label: list(
            _model(model).objects.filter(**{path: customer.pk}).values()
        )
        for model, path in RECORDS.items()
    }
    return json.dumps(rows, default=str, ensure_ascii=False)


def test_every_record_that_points_at_a_customer_s_records_is_searched():
    """A model added later that points at one of them is searched too, or this fails."""
    covered = {_model(model) for model in RECORDS}
    owners = {Customer, SalesOrder, Enrolment, Payment, ReturnOrder}
    pointing = {
        model
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model in owners
    }
    assert pointing - covered == set()


def test_erasure_leaves_no_personal_data_in_any_of_the_customer_s_records(clerk, karen):
    before = dump(karen)
    assert all(text in before for text in PERSONAL), [t for t in PERSONAL if t not in before]

    erase_customer(customer=karen, by=clerk)

    after = dump(karen)
    assert [text for text in PERSONAL if text in after] == []
    # the history says where something was erased
    header = OrderEvent.objects.filter(
        customer=karen, type=OrderEvent.Type.HEADER_CHANGED, parameters__has_key="changes"
    )
    addresses = [
        event.parameters["changes"]["delivery_address"]
        for event in header
        if "delivery_address" in event.parameters["changes"]
    ]
    assert addresses and all(a == {"from": ERASED, "to": ERASED} for a in addresses)
    assert OrderHold.objects.get(order__customer=karen).note == ERASED
    assert ReturnOrder.objects.get(order__customer=karen).note == ERASED
    assert Cancellation.objects.get(order__customer=karen).reason == ERASED


def test_erasure_keeps_the_accounting_and_it_still_adds_up(clerk, karen):
    def accounts():
        return (
            list(
                SalesOrder.objects.filter(customer=karen)
                .order_by("pk")
                .values_list(
                    "number",
                    "status",
                    "total",
                    "subtotal",
                    "tax_total",
                    "amount_paid",
                    "delivery_country",
                    "delivery_state",
                )
            ),
            list(
                Payment.objects.filter(order__customer=karen)
                .order_by("pk")
                .values_list("amount", "status", "card_last4", "card_token")
            ),
            list(
                PaymentRefund.objects.filter(payment__order__customer=karen)
                .order_by("pk")
                .values_list("amount")
            ),
            list(
                ReturnOrder.objects.filter(order__customer=karen)
                .order_by("pk")
                .values_list("number", "amount", "amount_refunded", "status")
            ),
        )

    kept = accounts()
    assert list(find_problems()) == []

    erase_customer(customer=karen, by=clerk)

    assert accounts() == kept
    assert list(find_problems()) == []


def test_erasure_cancels_the_customer_s_active_enrolments(clerk, karen):
    erase_customer(customer=karen, by=clerk)

    enrolment = Enrolment.objects.get(customer=karen)
    assert enrolment.status == Enrolment.Status.CANCELLED
    assert enrolment.next_event_date is None and enrolment.card_token == ""
    assert enrolment.delivery_address == ERASED
    cancelled = enrolment.events.get(type=EnrolmentEvent.Type.CANCELLED)
    assert cancelled.user == clerk
    assert cancelled.parameters["reason"] == "The customer's personal data was erased."
    assert continuity.due_enrolment_ids(today=datetime.date.max) == []


def test_the_export_names_the_customer_s_enrolments(clerk, karen):
    data = json.loads(json.dumps(export_customer(customer=karen, by=clerk)))
    [enrolment] = data["enrolments"]
    program = Enrolment.objects.get(customer=karen).program
    assert enrolment["program"] == program.code
    assert enrolment["status"] == "active"
    assert enrolment["delivery_address"].startswith("9 Hidden Road, Tacoma")
    assert enrolment["schedule"]["events"] == 6
    assert enrolment["schedule"]["events_done"] == 1
    assert enrolment["schedule"]["next_event"] == 2
    assert enrolment["schedule"]["next_date"]
    assert [shipment["status"] for shipment in enrolment["shipments"]] == ["original"]


def test_the_pages_of_an_erased_customer_s_records_show_the_marker(logged_in, clerk, karen):
    erase_customer(customer=karen, by=clerk)
    pages = [
        reverse("orders:detail", args=[order.number])
        for order in SalesOrder.objects.filter(customer=karen)
    ] + [reverse("customers:detail", args=[karen.pk])]
    for url in pages:
        response = logged_in.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert [text for text in PERSONAL if text in content] == [], url
