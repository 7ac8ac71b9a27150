"""Complete, the order summary, payments and submit through the test client."""

import html
import json
import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import OrderEvent, SalesOrder
from payments.models import Payment, PaymentMethod
from tests.factories import (
    ChannelUserFactory,
    PaymentMethodFactory,
    ProductFactory,
    make_order,
    offer,
)
from tests.html import alert_text

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SUMMARY_ROWS = ["Subtotal", "Charges", "Discounts", "Tax", "Total", "Paid", "Balance"]


@pytest.fixture
def cash(call_center):
    return offer(call_center, PaymentMethodFactory())


@pytest.fixture
def order(clerk, cash):
    """The seed's order: one 100.00 item, 10.00 shipping (99 Standard), 10% tax: 120.00."""
    return make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])


@pytest.fixture
def stranger(client):
    """A clerk of another call center (of the same company)."""
    client.force_login(ChannelUserFactory().user)
    return client


def url(name, order):
    return reverse(name, args=[order.number])


def summary_rows(response) -> dict[str, str]:
    """The summary's totals table: {row header: amount}."""
    content = response.content.decode()
    table = re.search(r'<table class="table table-sm summary-totals".*?</table>', content, re.S)
    assert table, "no summary table"
    pairs = re.findall(r'<th scope="row">(.*?)</th><td[^>]*>(.*?)</td>', table.group(0))
    return dict(pairs)


def pay(client, order, amount, *, method=None, key=None, **headers):
    data = {
        "method": method.pk if method else PaymentMethodFactory().pk,
        "amount": amount,
        "idempotency_key": key or uuid.uuid4(),
    }
    return client.post(url("payments:payment_create", order), data, **headers)


def submit(client, order, *, key=None, **headers):
    return client.post(
        url("payments:submit", order), {"idempotency_key": key or uuid.uuid4()}, **headers
    )


# Complete and the summary


def test_complete_with_htmx_returns_the_summary_dialog(logged_in, order):
    response = logged_in.post(url("payments:complete", order), **HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert content.lstrip().startswith("<dialog")
    assert re.search(r'<h2 id="summary-title"[^>]*>Sales order summary</h2>', content)


def test_complete_computes_every_row_of_the_summary(logged_in, order):
    response = logged_in.post(url("payments:complete", order), **HTMX)
    assert summary_rows(response) == {
        "Subtotal": "100.00",
        "Charges": "10.00",
        "Discounts": "0.00",
        "Tax": "10.00",
        "Total": "120.00",
        "Paid": "0.00",
        "Balance": "120.00",
    }


def test_complete_records_that_the_totals_were_calculated(logged_in, order):
    logged_in.post(url("payments:complete", order), **HTMX)
    assert order.events.filter(type=OrderEvent.Type.COMPLETED).count() == 1


def test_complete_without_javascript_redirects_to_the_summary_page(logged_in, order):
    response = logged_in.post(url("payments:complete", order))
    assert response.status_code == 302
    assert response.url == url("payments:summary", order)


def test_the_summary_page_renders_the_summary_in_a_full_page(logged_in, order):
    logged_in.post(url("payments:complete", order))
    response = logged_in.get(url("payments:summary", order))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" in content
    assert re.search(r'<dialog[^>]*aria-labelledby="summary-title"', content)
    assert list(summary_rows(response)) == SUMMARY_ROWS
    assert summary_rows(response)["Balance"] == "120.00"


def test_the_summary_lists_the_payments_taken(logged_in, order, cash):
    pay(logged_in, order, "20.00", method=cash)
    response = logged_in.get(url("payments:summary", order))
    content = response.content.decode()
    assert summary_rows(response)["Paid"] == "20.00"
    assert summary_rows(response)["Balance"] == "100.00"
    assert re.search(r"<td>Cash</td><td>Captured</td><td[^>]*>20.00</td>", content)


def test_complete_of_a_submitted_order_is_refused_with_an_alert(logged_in, order, cash):
    pay(logged_in, order, "120.00", method=cash)
    submit(logged_in, order)
    response = logged_in.post(url("payments:complete", order), **HTMX)
    assert response.status_code == 409
    assert "can only be changed before submit" in alert_text(response)


# submit before payment


def test_submit_is_refused_while_balance_is_due(logged_in, order):
    response = submit(logged_in, order, **HTMX)
    assert response.status_code == 409
    assert "a balance of 120.00 is still due" in alert_text(response)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.DRAFT


def test_a_refused_submit_is_recorded_in_the_order_history(logged_in, order):
    submit(logged_in, order)
    assert order.events.filter(type=OrderEvent.Type.SUBMIT_REFUSED).count() == 1
    assert not order.events.filter(type=OrderEvent.Type.SUBMITTED).exists()


def test_the_history_of_a_paid_order_reads_in_french_with_french_amounts(logged_in, order, cash):
    """Taken in English, read in French: every event of the order in French words, amounts
    as French writes them, and no parameter's key (number:, total:)."""
    cash.name_fr = "Espèces"
    cash.save()
    logged_in.post(url("payments:complete", order))
    submit(logged_in, order)  # refused: 120.00 due
    pay(logged_in, order, "120.00", method=cash)
    submit(logged_in, order)
    page = logged_in.get(url("orders:detail", order), HTTP_ACCEPT_LANGUAGE="fr")
    history = re.search(r'<section id="history".*?</section>', page.content.decode(), re.S)
    text = re.sub(r"<[^>]+>", "", history.group(0))
    for words in [
        f"commande {order.number} pour le client {order.customer.account_number}",
        "un solde de 120,00 restait dû",
        "Espèces 120,00 (paiement ",
        "Non payé → Payé",
        "total 120,00, payé 120,00",
    ]:
        assert words in text, words
    assert not re.search(r"\b(number|total|amount|payment|method|paid|old|new): ", text)


def test_submit_is_refused_while_a_partial_payment_leaves_a_balance(logged_in, order, cash):
    pay(logged_in, order, "100.00", method=cash)
    response = submit(logged_in, order)
    assert response.status_code == 409
    assert "a balance of 20.00 is still due" in alert_text(response)


# payment amounts


@pytest.mark.parametrize(
    ("amount", "status", "message"),
    [
        ("abc", 400, "Enter the payment amount as a number, for example 120.00."),
        ("-5", 400, "Ensure this value is greater than or equal to 0.01."),
        ("0", 400, "Ensure this value is greater than or equal to 0.01."),
        ("", 400, "Enter the payment amount."),
        ("0.001", 400, "Ensure that there are no more than 2 decimal places."),
        ("120.01", 409, "The payment amount is more than the balance of 120.00."),
        ("1000000000000", 400, "Ensure this value is less than or equal to 9,999,999,999.99."),
    ],
)
def test_a_bad_payment_amount_is_refused_with_a_message_and_takes_nothing(
    logged_in, order, cash, amount, status, message
):
    response = pay(logged_in, order, amount, method=cash, **HTMX)
    assert response.status_code == status
    assert message in alert_text(response)
    assert not Payment.objects.exists()


def test_a_huge_payment_amount_gets_one_message(logged_in, order, cash):
    response = pay(logged_in, order, "99999999999999", method=cash, **HTMX)
    assert response.status_code == 400
    assert alert_text(response) == (
        "Payment amount: Ensure this value is less than or equal to 9,999,999,999.99."
    )
    assert not order.payments.exists()


def test_a_refused_payment_keeps_the_payment_dialog_open(logged_in, order, cash):
    response = pay(logged_in, order, "abc", method=cash, **HTMX)
    content = response.content.decode()
    assert response["HX-Retarget"] == "#payment-host"
    assert re.search(
        r'<h2 id="payment-title"[^>]*>Enter customer payment information</h2>', content
    )
    assert 'value="abc"' in content


def test_a_payment_method_the_call_center_does_not_offer_is_refused(logged_in, order):
    card = PaymentMethodFactory(code="CARD", name="Card", tender_type="card")
    response = pay(logged_in, order, "120.00", method=card)
    assert response.status_code == 400
    assert "Payment method: Select a valid choice." in alert_text(response)
    assert not Payment.objects.exists()


def test_a_payment_on_a_fully_paid_order_is_refused(logged_in, order, cash):
    pay(logged_in, order, "120.00", method=cash)
    response = pay(logged_in, order, "1.00", method=cash)
    assert response.status_code == 409
    assert "Nothing is due on this order" in alert_text(response)
    assert Payment.objects.count() == 1


def test_an_amount_with_a_misplaced_grouping_comma_is_refused(logged_in, order, cash):
    # in English "1,20" is no number: taking it as 120 charges the caller a hundredfold
    response = pay(logged_in, order, "1,20", method=cash)
    assert response.status_code == 400
    assert "Enter the payment amount as a number" in alert_text(response)
    assert not Payment.objects.exists()


# taking a payment


def test_a_payment_without_javascript_redirects_to_the_summary(logged_in, order, cash):
    response = pay(logged_in, order, "120.00", method=cash)
    assert response.status_code == 302
    assert response.url == url("payments:summary", order)
    payment = Payment.objects.get()
    assert (payment.order, payment.method, payment.amount) == (order, cash, Decimal("120.00"))


def test_a_payment_with_htmx_returns_the_updated_summary(logged_in, order, cash):
    response = pay(logged_in, order, "50.00", method=cash, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith("<dialog")
    assert summary_rows(response)["Paid"] == "50.00"
    assert summary_rows(response)["Balance"] == "70.00"


def test_a_replayed_payment_post_takes_exactly_one_payment(logged_in, order, cash):
    key = uuid.uuid4()
    first = pay(logged_in, order, "120.00", method=cash, key=key)
    again = pay(logged_in, order, "120.00", method=cash, key=key)
    assert first.status_code == again.status_code == 302
    assert Payment.objects.count() == 1
    order.refresh_from_db()
    assert order.amount_paid == Decimal("120.00")


def test_a_payment_key_already_used_on_another_order_is_refused(logged_in, clerk, order, cash):
    other = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])
    key = uuid.uuid4()
    pay(logged_in, other, "120.00", method=cash, key=key)
    response = pay(logged_in, order, "120.00", method=cash, key=key)
    assert response.status_code == 409
    assert "already used for another order" in alert_text(response)
    assert not order.payments.exists()


def test_the_payment_form_carries_a_new_key_each_time(logged_in, order):
    keys = [
        re.search(
            r'name="idempotency_key" value="([0-9a-f-]+)"',
            logged_in.get(url("payments:payment_new", order)).content.decode(),
        ).group(1)
        for _ in range(2)
    ]
    assert keys[0] != keys[1]


def test_the_payment_form_proposes_the_balance(logged_in, order):
    content = logged_in.get(url("payments:payment_new", order)).content.decode()
    assert re.search(r'name="amount" value="120.00"', content)


# submit after payment


def test_submit_after_full_payment_redirects_to_the_submitted_order(logged_in, order, cash):
    pay(logged_in, order, "120.00", method=cash)
    response = submit(logged_in, order)
    assert response.status_code == 302
    assert response.url == url("orders:detail", order)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.SUBMITTED


def test_submit_with_htmx_swaps_in_the_order_page_without_a_reload(logged_in, order, cash):
    pay(logged_in, order, "120.00", method=cash)
    response = submit(logged_in, order, **HTMX)
    assert response.status_code == 200
    location = json.loads(response["HX-Location"])
    assert location == {"path": url("orders:detail", order), "target": "body"}
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.SUBMITTED


def test_the_submitted_order_page_says_submitted(logged_in, order, cash):
    pay(logged_in, order, "120.00", method=cash)
    response = submit(logged_in, order, follow=True)
    assert re.search(r'<strong id="order-status">Submitted</strong>', response.content.decode())
    # and says it where a screen reader announces it
    assert f'role="status">Sales order {order.number} is submitted.</div>' in (
        response.content.decode()
    )


@pytest.fixture
def over_100(call_center):
    """A fraud rule that holds every order over 100.00 in the call center."""
    from orders.models import FraudRule, HoldSettings

    HoldSettings.objects.create(call_center=call_center, fraud_threshold=100)
    FraudRule.objects.create(name="Over 100", kind="total_above", amount=Decimal(100), score=100)


def test_a_submit_that_puts_the_order_on_hold_says_so(logged_in, order, cash, over_100):
    pay(logged_in, order, "120.00", method=cash)
    response = submit(logged_in, order, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    said = (
        f'role="status">Sales order {order.number} is submitted and on hold '
        "(FRAUD: Fraud score 100 (threshold 100): Over 100): "
        "a supervisor must clear it before it is released.</div>"
    )
    assert said in response.content.decode()


def test_a_submit_names_the_hold_the_draft_was_put_on_by_hand_and_the_ones_it_placed(
    logged_in, order, cash, over_100, clerk
):
    from orders.holds import place_hold
    from orders.models import HoldCode

    research = HoldCode.objects.create(code="RESEARCH", name="Research")
    place_hold(order=order, by=clerk, code=research, note="caller to confirm")
    pay(logged_in, order, "120.00", method=cash)
    response = submit(logged_in, order, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    said = (
        f'role="status">Sales order {order.number} is submitted and on hold '
        "(RESEARCH: caller to confirm; FRAUD: Fraud score 100 (threshold 100): Over 100): "
        "a supervisor must clear it before it is released.</div>"
    )
    assert said in response.content.decode()


def test_a_replayed_submit_of_a_held_order_still_says_it_is_on_hold(
    logged_in, order, cash, over_100
):
    pay(logged_in, order, "120.00", method=cash)
    key = uuid.uuid4()
    submit(logged_in, order, key=key, HTTP_ACCEPT_LANGUAGE="en")
    logged_in.get(url("orders:detail", order))  # the first notice is read
    again = submit(logged_in, order, key=key, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert f"Sales order {order.number} is submitted and on hold (FRAUD: " in (
        again.content.decode()
    )


def test_the_on_hold_notice_reads_as_french_writes_it(logged_in, order, cash, over_100):
    pay(logged_in, order, "120.00", method=cash)
    page = submit(logged_in, order, follow=True, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "(FRAUD\u00a0: " in html.unescape(page)


def test_a_replayed_submit_post_does_not_error_and_submits_once(logged_in, order, cash):
    pay(logged_in, order, "120.00", method=cash)
    key = uuid.uuid4()
    first = submit(logged_in, order, key=key, **HTMX)
    again = submit(logged_in, order, key=key, **HTMX)
    assert first.status_code == again.status_code == 200
    assert json.loads(again["HX-Location"])["path"] == url("orders:detail", order)
    assert order.events.filter(type=OrderEvent.Type.SUBMITTED).count() == 1


def test_a_second_submit_with_another_key_is_refused(logged_in, order, cash):
    pay(logged_in, order, "120.00", method=cash)
    submit(logged_in, order)
    response = submit(logged_in, order, **HTMX)
    assert response.status_code == 409
    assert "is already submitted" in alert_text(response)
    assert order.events.filter(type=OrderEvent.Type.SUBMITTED).count() == 1


def test_submit_of_an_order_without_lines_is_refused(logged_in, clerk, cash):
    empty = make_order(clerk=clerk)
    response = submit(logged_in, empty, **HTMX)
    assert response.status_code == 409
    assert "Add at least one line before you submit the order." in alert_text(response)
    empty.refresh_from_db()
    assert empty.status == SalesOrder.Status.DRAFT


def test_complete_of_an_order_without_lines_is_refused(logged_in, clerk):
    empty = make_order(clerk=clerk)
    response = logged_in.post(url("payments:complete", empty), **HTMX)
    assert response.status_code == 409
    assert "Add at least one line before you complete the order." in alert_text(response)
    assert not empty.events.filter(type=OrderEvent.Type.COMPLETED).exists()


def test_a_payment_on_an_order_without_lines_is_refused(logged_in, clerk, cash):
    empty = make_order(clerk=clerk)
    response = pay(logged_in, empty, "10.00", method=cash, **HTMX)
    assert response.status_code in (400, 409)
    assert "Add at least one line before you take a payment." in alert_text(response)
    assert not empty.payments.exists()


def test_a_submit_without_its_key_is_refused(logged_in, order, cash):
    pay(logged_in, order, "120.00", method=cash)
    response = logged_in.post(url("payments:submit", order), {"idempotency_key": "not-a-key"})
    assert response.status_code == 400
    assert alert_text(response) == (
        "This form came without its key: reload the page and try again."
    )
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.DRAFT


def test_no_payment_is_taken_on_a_submitted_order(logged_in, order, cash):
    pay(logged_in, order, "120.00", method=cash)
    submit(logged_in, order)
    response = pay(logged_in, order, "1.00", method=cash)
    assert response.status_code == 409
    assert Payment.objects.count() == 1


# another call center's order


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("payments:complete", "post"),
        ("payments:summary", "get"),
        ("payments:payment_new", "get"),
        ("payments:submit", "post"),
    ],
)
def test_another_call_center_s_order_summary_and_actions_are_not_found(
    stranger, order, name, method
):
    response = getattr(stranger, method)(url(name, order), {"idempotency_key": uuid.uuid4()})
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.DRAFT


def test_another_call_center_s_order_takes_no_payment(stranger, order, cash):
    response = pay(stranger, order, "120.00", method=cash)
    assert response.status_code == 404
    assert not Payment.objects.exists()


# French


def test_a_french_clerk_types_the_amount_with_a_decimal_comma(logged_in, order, cash):
    response = pay(logged_in, order, "120,00", method=cash, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert Payment.objects.get().amount == Decimal("120.00")


def test_a_french_clerk_sees_the_amounts_with_a_decimal_comma(logged_in, order):
    response = logged_in.get(url("payments:summary", order), HTTP_ACCEPT_LANGUAGE="fr")
    content = response.content.decode()
    assert '<html lang="fr">' in content
    assert re.search(r'id="summary-balance">120,00<', content)


def test_a_french_clerk_is_proposed_the_balance_with_a_decimal_comma(logged_in, order):
    response = logged_in.get(url("payments:payment_new", order), HTTP_ACCEPT_LANGUAGE="fr")
    assert 'name="amount" value="120,00"' in response.content.decode()


def test_a_french_clerk_reads_the_summary_rows_in_french(logged_in, order):
    response = logged_in.get(url("payments:summary", order), HTTP_ACCEPT_LANGUAGE="fr")
    assert list(summary_rows(response)) == [
        "Sous-total",
        "Frais",
        "Remises",
        "Taxe",
        "Total",
        "Payé",
        "Solde",
    ]


def test_a_payment_method_shows_its_french_name_to_a_french_clerk(logged_in, order, cash):
    PaymentMethod.objects.filter(pk=cash.pk).update(name_fr="Espèces")
    french = logged_in.get(url("payments:payment_new", order), HTTP_ACCEPT_LANGUAGE="fr")
    assert re.search(rf'<option value="{cash.pk}"[^>]*>Espèces</option>', french.content.decode())
    english = logged_in.get(url("payments:payment_new", order), HTTP_ACCEPT_LANGUAGE="en")
    assert re.search(rf'<option value="{cash.pk}"[^>]*>Cash</option>', english.content.decode())


def test_the_summary_lists_each_charge_under_the_charges_row(logged_in, order):
    content = logged_in.get(url("payments:summary", order)).content.decode()
    charge = re.search(
        r'<tr class="summary-charge[^"]*"><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td>', content
    )
    assert charge, "no charge line"
    assert "99 Standard" in charge.group(1)
    assert charge.group(2) == "10.00"
    assert summary_rows(logged_in.get(url("payments:summary", order)))["Charges"] == "10.00"


def test_a_submitted_order_s_summary_proposes_the_refund_due_never_a_whole_payment(
    logged_in, clerk, cash
):
    from orders import services as order_services

    cheap = ProductFactory(price=Decimal("10.00"))
    order = make_order(
        clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1), (cheap, 1)]
    )
    pay(logged_in, order, str(order.total), method=cash)
    submit(logged_in, order)
    content = logged_in.get(url("payments:summary", order), **HTMX).content.decode()
    # paid and submitted: Close has the focus, no refund box
    assert re.search(r'class="btn-close"[^>]*autofocus', content)
    assert not re.search(r'name="amount"[^>]*autofocus', content)
    order_services.remove_line(order=order, by=clerk, line_id=order.lines.get(product=cheap).pk)
    content = logged_in.get(url("payments:summary", order), **HTMX).content.decode()
    assert re.search(r'name="amount"[^>]*value="11\.00" autofocus', content)
    assert not re.search(r'class="btn-close"[^>]*autofocus', content)
    # the refund box is named with its payment's method, one sentence to translate
    assert re.search(r'class="visually-hidden">Refund amount \(Cash\)</label>', content)
    # and its button, whole sentences (not words glued together) to translate
    assert 'aria-label="Refund the Cash payment of 131.00">Refund</button>' in content


def test_a_refused_cancel_is_a_4xx_with_the_reason_to_give(logged_in, order):
    cancel_url = url("payments:cancel", order)
    data = {"reason": " ", "idempotency_key": uuid.uuid4()}
    htmx = logged_in.post(cancel_url, data, **HTMX)
    assert htmx.status_code == 400
    assert "request-refused" in htmx["HX-Trigger"]
    plain = logged_in.post(cancel_url, data)
    assert plain.status_code == 400
    assert "Enter the reason for cancelling the order." in alert_text(plain)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.DRAFT


@pytest.mark.parametrize("amount", ["1e1", "١٢", "１２", "12¼"])
def test_an_amount_not_written_with_keyboard_digits_is_refused(logged_in, order, cash, amount):
    response = pay(logged_in, order, amount, method=cash, **HTMX)
    assert response.status_code == 400
    assert "as a number" in alert_text(response)
    assert not Payment.objects.exists()


def test_the_payment_dialog_and_the_summary_it_opens_in_share_no_id(logged_in, order):
    summary = logged_in.get(url("payments:summary", order), **HTMX).content.decode()
    dialog = logged_in.get(url("payments:payment_new", order), **HTMX).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', summary) + re.findall(r'\sid="([^"]+)"', dialog)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
