"""The payment dialog per tender, replays, refunds and cancel through the test client."""

import logging
import re
import uuid
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse

from orders.models import SalesOrder
from payments.models import GiftCard, Payment
from tests.factories import GiftCardFactory
from tests.html import autofocused
from tests.payments.conftest import APPROVED, DECLINED, TIMEOUT
from tests.payments.test_views import HTMX, alert_text, summary_rows

pytestmark = pytest.mark.django_db

CVV = "737"


def url(name, order):
    return reverse(name, args=[order.number])


def post_payment(client, order, method, amount, key=None, **fields):
    data = {
        "idempotency_key": str(key or uuid.uuid4()),
        "method": method.pk,
        "amount": amount,
        **fields,
    }
    return client.post(url("payments:payment_create", order), data, **HTMX)


def card_fields(number=APPROVED):
    return {"card_number": number, "card_expiry": "12/39", "card_cvv": CVV}


def test_the_card_fields_are_swapped_in_for_the_chosen_method(logged_in, order, tender):
    method = tender("card")
    response = logged_in.get(url("payments:payment_fields", order), {"method": method.pk}, **HTMX)
    content = response.content.decode()
    assert "Card number" in content and "CVV" in content
    assert "Check number" not in content


def test_without_javascript_every_tender_group_is_shown_with_labels(client, clerk, order, tender):
    client.force_login(clerk)
    tender("card"), tender("check"), tender("gift_card")
    content = client.get(url("payments:payment_new", order)).content.decode()
    for label in ("Card number", "Expiry date (MM/YY)", "CVV", "Check number", "Gift card number"):
        assert re.search(rf"<label\s[^>]*>\s*{re.escape(label)}\s*</label>", content)
    assert 'hx-get="' + url("payments:payment_fields", order) in content


def test_only_the_chosen_methods_details_are_required(logged_in, order, tender):
    tender("card")
    cash = tender("cash")
    response = post_payment(logged_in, order, cash, "120.00", card_number="1234")
    assert response.status_code == 200
    assert Payment.objects.get().method == cash


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"card_number": "4111111111111112"}, "This card number is not valid."),
        ({"card_expiry": "01/20"}, "This card has expired."),
        ({"card_cvv": ""}, "Enter the CVV."),
        ({"card_expiry": "13/30"}, "Enter the expiry date as MM/YY"),
    ],
)
def test_bad_card_details_are_refused_with_a_message(logged_in, order, tender, fields, message):
    response = post_payment(
        logged_in, order, tender("card"), "120.00", **{**card_fields(), **fields}
    )
    assert response.status_code == 400
    assert message in alert_text(response)
    assert not Payment.objects.exists()


def test_a_declined_card_is_shown_in_the_dialog_and_the_next_try_is_a_new_payment(
    logged_in, order, tender
):
    method = tender("card")
    key = uuid.uuid4()
    response = post_payment(logged_in, order, method, "120.00", key, **card_fields(DECLINED))
    assert response.status_code == 409
    assert "The card ending 0002 was declined" in alert_text(response)
    content = response.content.decode()
    assert str(key) not in content  # another card is another payment
    assert DECLINED not in content
    response = post_payment(logged_in, order, method, "120.00", **card_fields(APPROVED))
    assert response.status_code == 200
    assert summary_rows(response)["Balance"] == "0.00"
    assert "Declined" in response.content.decode()


def test_the_dialog_starts_on_the_amount_when_the_method_is_preselected(logged_in, order, tender):
    tender("card")  # the only method: preselected
    response = logged_in.get(url("payments:payment_new", order), **HTMX)
    assert autofocused(response) == ["amount"]
    tender("cash")  # two methods, neither the default: the clerk chooses first
    response = logged_in.get(url("payments:payment_new", order), **HTMX)
    assert autofocused(response) == []


def test_a_declined_card_puts_the_focus_on_the_card_number_to_take_another(
    logged_in, order, tender
):
    response = post_payment(logged_in, order, tender("card"), "120.00", **card_fields(DECLINED))
    assert response.status_code == 409
    assert autofocused(response) == ["card_number"]


@pytest.mark.parametrize(("number", "status"), [(DECLINED, "Declined"), (TIMEOUT, "Pending")])
def test_a_refused_card_sends_the_summary_behind_its_list_of_payments_with_the_attempt(
    logged_in, order, tender, number, status
):
    response = post_payment(logged_in, order, tender("card"), "120.00", **card_fields(number))
    assert response.status_code == 409
    content = response.content.decode()
    oob = r'<div id="summary-payments" hx-swap-oob="true">(.*?)\n</div>'
    swapped = re.search(oob, content, re.S)
    assert swapped, "no out-of-band list of payments"
    rows = re.findall(r'<tr class="payment-(\w+)">.*?</td><td>([^<]*)</td>', swapped.group(1), re.S)
    assert rows == [(status.lower(), status)]
    assert "No payment yet." not in swapped.group(1)
    assert "autofocus" not in swapped.group(1)  # the focus stays in the payment dialog


def test_a_payment_refused_before_the_gateway_sends_no_list_of_payments(logged_in, order, tender):
    response = post_payment(logged_in, order, tender("card"), "abc", **card_fields(DECLINED))
    assert response.status_code == 400
    assert "summary-payments" not in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "first_to_mend"),
    [
        ({"card_expiry": "01/20"}, "card_expiry"),
        ({"card_cvv": "", "card_expiry": "13/30"}, "card_expiry"),
        ({"card_number": "4111111111111112", "card_cvv": ""}, "card_number"),
    ],
)
def test_a_refused_payment_puts_the_focus_on_the_first_field_to_mend(
    logged_in, order, tender, fields, first_to_mend
):
    response = post_payment(
        logged_in, order, tender("card"), "120.00", **{**card_fields(), **fields}
    )
    assert response.status_code == 400
    assert autofocused(response) == [first_to_mend]


def test_a_refused_amount_takes_the_focus_before_the_card_fields(logged_in, order, tender):
    response = post_payment(logged_in, order, tender("card"), "abc", **card_fields())
    assert response.status_code == 400
    assert autofocused(response) == ["amount"]


def test_a_timeout_keeps_the_key_so_the_retry_cannot_charge_twice(logged_in, order, tender):
    method = tender("card")
    key = uuid.uuid4()
    response = post_payment(logged_in, order, method, "120.00", key, **card_fields(TIMEOUT))
    assert response.status_code == 409
    assert "did not answer" in alert_text(response)
    assert str(key) in response.content.decode()
    response = post_payment(logged_in, order, method, "120.00", key, **card_fields(APPROVED))
    assert response.status_code == 200
    assert Payment.objects.get().status == Payment.Status.AUTHORIZED


def test_a_replayed_card_post_takes_one_payment(logged_in, order, tender):
    method, key = tender("card"), uuid.uuid4()
    for _ in range(3):
        response = post_payment(logged_in, order, method, "120.00", key, **card_fields())
        assert response.status_code == 200
    assert Payment.objects.count() == 1
    assert Payment.objects.get().events.filter(type="authorized").count() == 1


def test_cash_with_change_due_says_so(logged_in, order, tender):
    cash = tender("cash", allow_overpayment=True)
    response = post_payment(logged_in, order, cash, "200.00")
    content = response.content.decode()
    assert "Change due: 80.00" in content
    assert summary_rows(response)["Paid"] == "120.00"


def test_a_gift_card_above_its_balance_is_refused_with_the_balance(logged_in, order, tender):
    gift_card = GiftCardFactory(balance=Decimal("25.00"))
    response = post_payment(
        logged_in, order, tender("gift_card"), "120.00", gift_card_number=gift_card.number
    )
    assert response.status_code == 409
    assert "has a balance of 25.00" in alert_text(response)


def test_a_refund_button_refunds_the_payment(logged_in, order, tender):
    post_payment(logged_in, order, tender("cash"), "120.00")
    payment = Payment.objects.get()
    data = {"idempotency_key": str(uuid.uuid4()), "payment": payment.pk}
    for _ in range(2):  # replayed
        response = logged_in.post(url("payments:payment_refund", order), data, **HTMX)
        assert response.status_code == 200
    assert summary_rows(response)["Balance"] == "120.00"
    assert payment.events.filter(type="refunded").count() == 1


@pytest.mark.parametrize(
    ("amount", "language", "said"),
    [
        ("abc", "en", "Enter the refund amount as a number, for example 5.00."),
        (
            "abc",
            "fr",
            "Saisissez le montant du remboursement sous forme de nombre, par exemple 5,00.",
        ),
        ("0", "en", "Ensure this value is greater than or equal to 0.01."),
        ("0", "fr", "Assurez-vous que cette valeur est supérieure ou égale à 0,01."),
    ],
)
def test_a_bad_refund_amount_is_said_in_a_sentence_of_the_reader_s_language(
    logged_in, order, tender, amount, language, said
):
    post_payment(logged_in, order, tender("cash"), "120.00")
    payment = Payment.objects.get()
    data = {"idempotency_key": str(uuid.uuid4()), "payment": payment.pk, "amount": amount}
    response = logged_in.post(
        url("payments:payment_refund", order), data, HTTP_ACCEPT_LANGUAGE=language, **HTMX
    )
    assert response.status_code == 400
    assert alert_text(response) == said
    assert not payment.events.filter(type="refunded").exists()


def test_a_refund_form_without_its_key_asks_for_a_reload(logged_in, order, tender):
    post_payment(logged_in, order, tender("cash"), "120.00")
    payment = Payment.objects.get()
    data = {"idempotency_key": "not-a-key", "payment": payment.pk}
    response = logged_in.post(url("payments:payment_refund", order), data, **HTMX)
    assert response.status_code == 400
    assert alert_text(response) == (
        "This form came without its key: reload the page and try again."
    )


def test_the_summary_names_payment_methods_in_the_reader_s_language(logged_in, order, tender):
    cash = tender("cash")
    cash.name_fr = "Espèces"
    cash.save()
    post_payment(logged_in, order, cash, "120.00")
    payment = Payment.objects.get()
    data = {"idempotency_key": str(uuid.uuid4()), "payment": payment.pk}
    response = logged_in.post(
        url("payments:payment_refund", order), data, HTTP_ACCEPT_LANGUAGE="fr", **HTMX
    )
    content = response.content.decode()
    assert "Espèces\u00a0: Remboursé." in content
    payments_table = content[content.index("<table", content.index("summary-totals") + 1) :]
    assert "<td>Espèces" in payments_table
    assert "Cash" not in payments_table
    english = logged_in.get(url("payments:summary", order), **HTMX).content.decode()
    assert "<td>Cash" in english


def test_after_a_payment_the_summary_focuses_the_next_step_not_a_refund(logged_in, order, tender):
    cash = tender("cash")
    part = post_payment(logged_in, order, cash, "100.00").content.decode()
    add = re.search(r"<button[^>]*>Add</button>", part).group(0)
    assert "autofocus" in add
    assert part.count("autofocus") == 1
    paid = post_payment(logged_in, order, cash, "20.00").content.decode()
    submit = re.search(r"<button[^>]*>Submit</button>", paid).group(0)
    assert "autofocus" in submit
    assert paid.count("autofocus") == 1


def test_a_partial_refund_is_confirmed_as_a_refund_of_that_amount(logged_in, order, tender):
    post_payment(logged_in, order, tender("cash"), "120.00")
    payment = Payment.objects.get()
    data = {"idempotency_key": str(uuid.uuid4()), "payment": payment.pk, "amount": "30.00"}
    response = logged_in.post(url("payments:payment_refund", order), data, **HTMX)
    content = response.content.decode()
    assert "Refunded 30.00 of Cash." in content
    assert "Cash: Captured." not in content
    data = {"idempotency_key": str(uuid.uuid4()), "payment": payment.pk}
    response = logged_in.post(url("payments:payment_refund", order), data, **HTMX)
    assert "Cash: Refunded." in response.content.decode()


def test_the_order_page_header_follows_the_payment_status_without_a_reload(
    logged_in, order, tender
):
    oob = '<span id="order-payment-status" hx-swap-oob="true">{}</span>'
    cash = tender("cash")
    assert (
        oob.format("Partially paid")
        in post_payment(logged_in, order, cash, "100.00").content.decode()
    )
    assert oob.format("Paid") in post_payment(logged_in, order, cash, "20.00").content.decode()
    order.refresh_from_db()
    line = logged_in.post(
        url("orders:add_line", order),
        {"item_number": order.lines.get().item_number, "quantity": 1, "version": order.version},
        **HTMX,
    )
    assert oob.format("Partially paid") in line.content.decode()


def test_cancel_order_releases_payments_and_says_so(logged_in, order, tender):
    post_payment(logged_in, order, tender("cash"), "120.00")
    data = {"idempotency_key": str(uuid.uuid4()), "reason": "Called back to cancel"}
    response = logged_in.post(url("payments:cancel", order), data, follow=True)
    assert "is cancelled" in response.content.decode()
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.CANCELLED
    assert Payment.objects.get().status == Payment.Status.REFUNDED


def test_cancel_without_a_reason_is_refused(logged_in, order):
    data = {"idempotency_key": str(uuid.uuid4()), "reason": ""}
    response = logged_in.post(url("payments:cancel", order), data, follow=True)
    assert "Enter the reason" in alert_text(response)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.DRAFT


def test_the_order_page_offers_cancel_for_draft_and_submitted_orders(logged_in, order):
    assert "Cancel order" in logged_in.get(url("orders:detail", order)).content.decode()


def _all_text_in_the_database() -> str:
    """Every text and JSON column of every table, as one string."""
    chunks = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            columns = [
                f.column
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField)
            ]
            if not columns:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            cols = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {cols} FROM {table}")
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks)


def test_no_card_number_or_cvv_is_stored_logged_or_echoed(logged_in, order, tender, caplog):
    """Approved, declined, timed out, refused by the form, replayed: never the number."""
    caplog.set_level(logging.DEBUG)
    method = tender("card")
    responses = []
    key = uuid.uuid4()
    for number in (TIMEOUT, DECLINED):
        responses.append(post_payment(logged_in, order, method, "60.00", **card_fields(number)))
    responses.append(
        post_payment(logged_in, order, method, "60.00", **{**card_fields(), "card_cvv": "1"})
    )
    responses.append(
        post_payment(logged_in, order, method, "999.00", **card_fields("5555555555554444"))
    )
    for _ in range(2):
        responses.append(post_payment(logged_in, order, method, "60.00", key, **card_fields()))
    responses.append(logged_in.get(url("payments:summary", order), **HTMX))
    responses.append(logged_in.get(url("payments:summary", order)))
    stored = _all_text_in_the_database()
    logged = caplog.text + repr([r.getMessage() for r in caplog.records])
    for secret in (APPROVED, DECLINED, TIMEOUT, "5555555555554444", "4111 1111"):
        assert secret not in stored
        assert secret not in logged
        for response in responses:
            assert secret not in response.content.decode()
    for response in responses:
        assert f'value="{CVV}"' not in response.content.decode()
    assert "1111" in stored  # the last four digits are kept, and only those
    assert GiftCard.objects.count() == 0
