"""Returns (RMA): what a return refunds, and the return of a shipped order's lines."""

import html
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from orders import services as order_services
from orders.errors import InvalidOrderData, OrderNotEditable
from orders.holds import mark_shipped, release_order
from orders.models import OrderEvent, ReturnEvent, ReturnOrder, ReturnReason
from orders.returns import ChargeInput, ReturnError, ReturnLineInput, refund_for_return
from payments import services
from payments.consistency import find_problems
from payments.gateways import get_gateway
from payments.models import Payment, PaymentRefund
from tests.factories import (
    TENDERS,
    CallCenterFactory,
    ChannelUserFactory,
    GiftCardFactory,
    PaymentMethodFactory,
    ProductFactory,
    make_order,
    offer,
)
from tests.html import alert_text
from tests.payments.conftest import card, pay, submit

D = Decimal

# --- the pure computation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # the whole line: all that was paid for it, tax included
        (ReturnLineInput("a", 2, 0, 2, D("200.00"), tax=D("20.00")), D("220.00")),
        # one unit of two
        (ReturnLineInput("a", 2, 0, 1, D("200.00"), tax=D("20.00")), D("110.00")),
        # a discounted line: its net amount is what was paid
        (ReturnLineInput("a", 3, 0, 1, D("90.00"), tax=D("9.00")), D("33.00")),
        # the order coupon's share comes off
        (ReturnLineInput("a", 2, 0, 1, D("200.00"), D("20.00"), D("18.00")), D("99.00")),
        # the last unit of three gets what the first two left, to the cent
        (ReturnLineInput("a", 3, 0, 1, D("100.00"), tax=D("10.00")), D("36.66")),
        (ReturnLineInput("a", 3, 1, 1, D("100.00"), tax=D("10.00")), D("36.68")),
        (ReturnLineInput("a", 3, 2, 1, D("100.00"), tax=D("10.00")), D("36.66")),
    ],
)
def test_a_returned_line_refunds_its_share_of_what_was_paid(line, expected):
    assert refund_for_return(lines=[line]).total == expected


SHIPPING = [ChargeInput("Shipping", D("10.00"), D("1.00"))]
ONE = ReturnLineInput("a", 1, 0, 1, D("100.00"), tax=D("10.00"))


@pytest.mark.parametrize(
    ("refund_charges", "already", "expected"),
    [(False, False, D("110.00")), (True, False, D("121.00")), (True, True, D("110.00"))],
)
def test_charges_are_refunded_once_and_only_when_the_reason_says_so(
    refund_charges, already, expected
):
    refund = refund_for_return(
        lines=[ONE],
        charges=SHIPPING,
        refund_charges=refund_charges,
        charges_already_refunded=already,
    )
    assert refund.total == expected


def test_returning_more_than_is_left_of_a_line_is_an_error():
    with pytest.raises(ReturnError):
        refund_for_return(lines=[ReturnLineInput("a", 2, 1, 2, D("200.00"))])


def test_each_returned_line_has_an_explanation():
    assert "1 of 1" in refund_for_return(lines=[ONE]).line("a").explanation


# --- the return of a shipped order --------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def tender(call_center):
    return lambda kind: offer(call_center, PaymentMethodFactory(**TENDERS[kind]))


@pytest.fixture
def reason(db):
    return ReturnReason.objects.create(code="NOT-WANTED", description="No longer wanted")


@pytest.fixture
def damaged(db):
    return ReturnReason.objects.create(
        code="DAMAGED", description="Arrived damaged", refund_shipping=True
    )


def ship(order, by):
    release_order(order=order, by=by)
    mark_shipped(number=order.number)
    order.refresh_from_db()
    return order


@pytest.fixture
def shipped(clerk, tender):
    """Two units of a 100.00 item by 99 Standard, paid in cash, shipped."""
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=D("100.00")), 2)])
    pay(order, clerk, tender("cash"), str(order.total))
    submit(order, clerk)
    return ship(order, clerk)


def give_back(order, by, reason, quantities, key=None):
    return services.return_and_refund(
        order=order,
        by=by,
        reason=reason,
        quantities=quantities,
        idempotency_key=key or uuid.uuid4(),
    )


def line_of(order):
    return order.lines.get()


def test_a_return_refunds_the_units_share_and_links_both_orders(shipped, clerk, reason):
    line = line_of(shipped)
    returned = give_back(shipped, clerk, reason, {line.pk: 1})
    expected = (line.line_amount - line.coupon_share + line.tax_amount) / 2
    assert returned.amount == expected
    assert returned.status == ReturnOrder.Status.REFUNDED
    assert returned.number == f"{shipped.number}-R1"
    assert list(shipped.returns.all()) == [returned]
    event = shipped.events.get(type=OrderEvent.Type.RETURN_CREATED)
    assert event.parameters["number"] == returned.number
    refunded = shipped.events.get(type=OrderEvent.Type.PAYMENT_REFUNDED)
    assert refunded.parameters["amount"] == str(returned.amount)
    assert list(returned.events.values_list("type", flat=True)) == [
        ReturnEvent.Type.CREATED,
        ReturnEvent.Type.REFUNDED,
    ]


def test_a_return_lowers_what_was_paid_but_not_the_total(shipped, clerk, reason):
    total = shipped.total
    returned = give_back(shipped, clerk, reason, {line_of(shipped).pk: 1})
    shipped.refresh_from_db()
    assert shipped.total == total
    assert shipped.amount_paid == total - returned.amount


def test_a_reason_that_refunds_shipping_refunds_the_charges_too(shipped, clerk, damaged):
    line = line_of(shipped)
    returned = give_back(shipped, clerk, damaged, {line.pk: 2})
    assert returned.amount == shipped.total
    assert returned.charges_refunded > 0


def test_a_card_return_is_refunded_through_the_gateway(clerk, tender, reason):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=D("100.00")), 1)])
    payment = pay(order, clerk, tender("card"), str(order.total), card=card())
    submit(order, clerk)
    ship(order, clerk)
    returned = give_back(order, clerk, reason, {line_of(order).pk: 1})
    refunds = get_gateway().charges[payment.card_token]["refunds"]
    assert sum(refunds.values()) == returned.amount


def test_a_gift_card_return_restores_the_cards_balance(clerk, tender, reason):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=D("100.00")), 1)])
    gift_card = GiftCardFactory(balance=order.total)
    pay(order, clerk, tender("gift_card"), str(order.total), gift_card_number=gift_card.number)
    submit(order, clerk)
    ship(order, clerk)
    returned = give_back(order, clerk, reason, {line_of(order).pk: 1})
    gift_card.refresh_from_db()
    assert gift_card.balance == returned.amount


def test_a_cash_return_is_recorded_in_the_refund_ledger(shipped, clerk, reason):
    returned = give_back(shipped, clerk, reason, {line_of(shipped).pk: 1})
    assert list(PaymentRefund.objects.values_list("amount", flat=True)) == [returned.amount]


def test_the_most_recent_card_is_refunded_first(clerk, tender, reason):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=D("100.00")), 1)])
    cash = pay(order, clerk, tender("cash"), "20.00")
    credit = pay(order, clerk, tender("card"), str(order.total - D("20.00")), card=card())
    submit(order, clerk)
    ship(order, clerk)
    returned = give_back(order, clerk, reason, {line_of(order).pk: 1})
    from_card = min(returned.amount, credit.amount)
    assert PaymentRefund.objects.get(payment=credit).amount == from_card
    from_cash = PaymentRefund.objects.filter(payment=cash).values_list("amount", flat=True)
    assert sum(from_cash, D("0")) == returned.amount - from_card


def test_a_not_shipped_order_takes_no_return(clerk, tender, reason):
    order = make_order(clerk=clerk, lines=[(ProductFactory(), 1)])
    pay(order, clerk, tender("cash"), str(order.total))
    submit(order, clerk)
    with pytest.raises(OrderNotEditable):
        give_back(order, clerk, reason, {line_of(order).pk: 1})
    assert not ReturnOrder.objects.exists()


def test_more_than_was_sold_cannot_be_returned_across_several_returns(shipped, clerk, reason):
    line = line_of(shipped)
    give_back(shipped, clerk, reason, {line.pk: 1})
    give_back(shipped, clerk, reason, {line.pk: 1})
    with pytest.raises(InvalidOrderData, match="at most 0 of 2"):
        give_back(shipped, clerk, reason, {line.pk: 1})
    assert shipped.returns.count() == 2


def test_returning_every_unit_in_parts_refunds_exactly_what_was_paid_for_them(
    shipped, clerk, reason
):
    line = line_of(shipped)
    first = give_back(shipped, clerk, reason, {line.pk: 1})
    second = give_back(shipped, clerk, reason, {line.pk: 1})
    assert first.amount + second.amount == line.line_amount - line.coupon_share + line.tax_amount


def test_a_replayed_return_does_one_thing(shipped, clerk, reason):
    key = uuid.uuid4()
    first = give_back(shipped, clerk, reason, {line_of(shipped).pk: 1}, key)
    again = give_back(shipped, clerk, reason, {line_of(shipped).pk: 1}, key)
    assert again == first
    assert ReturnOrder.objects.count() == 1
    assert PaymentRefund.objects.count() == 1


def test_a_return_leaves_the_books_consistent(shipped, clerk, reason):
    give_back(shipped, clerk, reason, {line_of(shipped).pk: 1})
    assert list(find_problems()) == []


def test_refund_to_tenders_replayed_refunds_nothing_twice(shipped, clerk):
    key = uuid.uuid4()
    order = order_services.lock_order(shipped.pk, by=clerk)
    services.refund_to_tenders(order=order, by=clerk, amount=D("10.00"), idempotency_key=key)
    services.refund_to_tenders(order=order, by=clerk, amount=D("10.00"), idempotency_key=key)
    assert PaymentRefund.objects.count() == 1
    assert Payment.objects.get().counted_amount == shipped.total - D("10.00")


# --- the pages --------------------------------------------------------------------------------


def return_url(order):
    return reverse("payments:return_create", args=[order.number])


def post_return(client, order, data):
    client.raise_request_exception = False
    return client.post(return_url(order), {"idempotency_key": str(uuid.uuid4())} | data)


def test_a_shipped_orders_page_offers_create_return(client, clerk, shipped):
    client.force_login(clerk)
    response = client.get(reverse("orders:detail", args=[shipped.number]))
    assert return_url(shipped) in response.content.decode()


def test_a_submitted_orders_page_offers_no_return(client, clerk, tender):
    order = make_order(clerk=clerk, lines=[(ProductFactory(), 1)])
    pay(order, clerk, tender("cash"), str(order.total))
    submit(order, clerk)
    client.force_login(clerk)
    response = client.get(reverse("orders:detail", args=[order.number]))
    assert return_url(order) not in response.content.decode()


def test_the_return_form_creates_the_return_and_shows_it_linked_to_the_order(
    client, clerk, shipped, reason
):
    client.force_login(clerk)
    line = line_of(shipped)
    response = post_return(client, shipped, {"reason": reason.pk, f"line_{line.pk}": "1"})
    returned = shipped.returns.get()
    assert response.status_code == 302
    assert response.url == reverse("orders:return_detail", args=[shipped.number, returned.number])
    page = client.get(response.url).content.decode()
    assert reverse("orders:detail", args=[shipped.number]) in page
    order_page = client.get(reverse("orders:detail", args=[shipped.number])).content.decode()
    assert response.url in order_page


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"reason": "999999", "line_{line}": "1"},
        {"reason": "{reason}", "line_{line}": "3"},
        {"reason": "{reason}", "line_{line}": "-1"},
        {"reason": "{reason}", "line_{line}": "abc"},
        {"reason": "{reason}", "line_{line}": "0"},
    ],
)
def test_bad_return_input_is_refused_with_an_alert(client, clerk, shipped, reason, data):
    client.force_login(clerk)
    line = line_of(shipped)
    filled = {
        key.format(line=line.pk): value.format(reason=reason.pk) for key, value in data.items()
    }
    response = post_return(client, shipped, filled)
    assert response.status_code == 400
    assert alert_text(response)
    assert not ReturnOrder.objects.exists()


def test_a_return_of_a_not_shipped_order_is_refused_with_an_alert(client, clerk, tender, reason):
    order = make_order(clerk=clerk, lines=[(ProductFactory(), 1)])
    pay(order, clerk, tender("cash"), str(order.total))
    submit(order, clerk)
    client.force_login(clerk)
    response = post_return(client, order, {"reason": reason.pk, f"line_{line_of(order).pk}": "1"})
    assert response.status_code == 409
    assert "shipped" in alert_text(response)


def test_another_companys_clerk_gets_404_for_a_return(client, shipped, reason, clerk):
    returned = give_back(shipped, clerk, reason, {line_of(shipped).pk: 1})
    other = ChannelUserFactory(call_center=CallCenterFactory(code="OTHER", company="OTHR")).user
    client.force_login(other)
    client.raise_request_exception = False
    detail = reverse("orders:return_detail", args=[shipped.number, returned.number])
    assert client.get(detail).status_code == 404
    assert client.get(return_url(shipped)).status_code == 404


def test_a_quantity_above_what_is_left_is_said_with_its_line(client, clerk, shipped, reason):
    client.force_login(clerk)
    line = line_of(shipped)
    response = post_return(client, shipped, {"reason": reason.pk, f"line_{line.pk}": "3"})
    assert response.status_code == 400
    said = alert_text(response)
    assert said.startswith(f"Line {line.line_number}, {line.item_number} ")
    assert said.endswith(": Ensure this value is less than or equal to 2.")


def test_a_returned_order_owes_nothing_for_what_came_back(shipped, clerk, damaged, client):
    from orders.selectors import order_history
    from payments.selectors import order_summary

    give_back(shipped, clerk, damaged, {line_of(shipped).pk: 2})  # all of it, shipping too
    shipped.refresh_from_db()
    summary = order_summary(order=shipped)
    assert summary.paid == 0 and summary.returned == shipped.total
    assert summary.balance == summary.refund_due == 0
    listed = order_history(customer=shipped.customer, user=clerk).get(pk=shipped.pk)
    assert listed.balance == 0
    client.force_login(clerk)
    page = client.get(reverse("payments:summary", args=[shipped.number])).content.decode()
    assert 'id="summary-returned">' + f"{shipped.total}" in page


def test_the_return_form_names_a_return_just_made(shipped, clerk, reason, client):
    """Back after "Create return and refund" shows the form again: it says a return was
    just made, so the clerk does not make it twice."""
    url = reverse("payments:return_create", args=[shipped.number])
    client.force_login(clerk)
    assert 'id="recent-return"' not in client.get(url).content.decode()
    returned = give_back(shipped, clerk, reason, {line_of(shipped).pk: 1})
    page = client.get(url).content.decode()
    assert f"Return {returned.number} was made at" in page
    assert "Make another only if the customer sends more back." in page


def test_the_return_form_of_an_order_not_shipped_is_refused_at_once(clerk, tender, client):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=D("100.00")), 1)])
    pay(order, clerk, tender("cash"), str(order.total))
    submit(order, clerk)  # submitted, not shipped
    client.force_login(clerk)
    response = client.get(reverse("payments:return_create", args=[order.number]))
    assert response.status_code == 409
    assert "only shipped orders take returns" in alert_text(response)
    assert "Create return and refund" not in response.content.decode()


def test_the_return_page_says_how_its_amount_was_reached(shipped, clerk, reason, client):
    returned = give_back(shipped, clerk, reason, {line_of(shipped).pk: 1})
    client.force_login(clerk)
    page = client.get(
        reverse("orders:return_detail", args=[shipped.number, returned.number])
    ).content.decode()
    section = page.split('id="return-explanation"')[1].split("</details>")[0]
    assert "How the amount was reached" in section
    number = line_of(shipped).line_number
    assert f"Line {number}: 1 of 2: 100.00 of 200.00 paid, tax 10.00 of 20.00" in section
    assert "Charges are not refunded for this reason." in section


def return_page(client, order, returned, language):
    page = client.get(
        reverse("orders:return_detail", args=[order.number, returned.number]),
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()
    return html.unescape(page.split('id="return-explanation"')[1].split("</details>")[0])


def test_a_return_made_in_french_is_explained_in_the_readers_language(
    shipped, clerk, damaged, client
):
    """The explanation is stored as its facts and worded when read: a return made by a
    French-speaking clerk reads in English, amounts and all, to an English-speaking one."""
    with translation.override("fr"):
        returned = give_back(shipped, clerk, damaged, {line_of(shipped).pk: 1})
    client.force_login(clerk)
    number = line_of(shipped).line_number
    english = return_page(client, shipped, returned, "en")
    assert f"Line {number}: 1 of 2: 100.00 of 200.00 paid" in english
    assert "Charges refunded: " in english
    french = return_page(client, shipped, returned, "fr")
    assert f"Ligne {number}" in french
    assert "100,00" in french and "100.00" not in french
    assert "Charges refunded" not in french


def test_a_return_explained_in_words_before_its_facts_were_kept_reads_as_stored(
    shipped, clerk, reason, client
):
    returned = give_back(shipped, clerk, reason, {line_of(shipped).pk: 1})
    ReturnOrder.objects.filter(pk=returned.pk).update(
        explanation=[{"line": 1, "amount": "100.00", "text": "1 de 2 : comme écrit"}]
    )
    client.force_login(clerk)
    assert "Line 1: 1 de 2 : comme écrit" in return_page(client, shipped, returned, "en")


def test_the_admin_shows_a_returns_explanation_in_words(shipped, clerk, damaged, superuser_client):
    returned = give_back(shipped, clerk, damaged, {line_of(shipped).pk: 1})
    page = html.unescape(
        superuser_client.get(
            reverse("admin:orders_returnorder_change", args=[returned.pk])
        ).content.decode()
    )
    number = line_of(shipped).line_number
    assert f"Line {number}: 1 of 2: 100.00 of 200.00 paid, tax 10.00 of 20.00" in page
    assert "Charges refunded: " in page


def test_the_return_quantities_are_text_boxes_the_server_checks(client, clerk, shipped, reason):
    """Not number boxes: "1,5" typed in French would be sent as 15. The server says what
    is wrong, in an alert, and marks the box."""
    client.force_login(clerk)
    line = line_of(shipped)
    page = client.get(return_url(shipped)).content.decode()
    assert 'type="number"' not in page
    assert f'inputmode="numeric" autocomplete="off" name="line_{line.pk}"' in page
    assert "novalidate" in page
    response = post_return(client, shipped, {"reason": reason.pk, f"line_{line.pk}": "1,5"})
    assert response.status_code == 400
    assert alert_text(response).endswith(": Enter a whole number.")
    assert 'aria-invalid="true"' in response.content.decode()
