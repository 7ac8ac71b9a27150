"""Bad input gets a clear message and a 4xx, never a 500, and changes nothing."""

import json
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from payments.models import Payment
from tests.factories import (
    CustomerFactory,
    PaymentMethodFactory,
    ProductFactory,
    make_order,
    offer,
)
from tests.html import alert_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(clerk, call_center):
    offer(call_center, PaymentMethodFactory())
    return make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "greater than or equal to 1"),
        ("-1", "greater than or equal to 1"),
        ("abc", "Enter a whole number"),
        ("1000000000000", "less than or equal to 99999"),
        ("", "This field is required"),
        ("1.5", "Enter a whole number"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_bad_quantity_is_refused_with_a_message(logged_in, order, quantity, message, htmx):
    product = ProductFactory()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = logged_in.post(
        reverse("orders:add_line", args=[order.number]),
        {"item_number": product.item_number, "quantity": quantity},
        **headers,
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'role="alert"' in content
    assert message in content
    assert order.lines.count() == 1


def test_an_unknown_item_is_refused_with_a_message(logged_in, order):
    response = logged_in.post(
        reverse("orders:add_line", args=[order.number]), {"item_number": "NOPE", "quantity": "1"}
    )
    assert response.status_code == 400
    assert "No item NOPE is for sale" in response.content.decode()
    assert order.lines.count() == 1


def test_a_line_added_with_htmx_returns_the_lines_and_the_totals(logged_in, order):
    response = logged_in.post(
        reverse("orders:add_line", args=[order.number]),
        {"item_number": ProductFactory().item_number, "quantity": "2"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="lines-panel"' in content
    assert 'id="order-totals"' in content and 'hx-swap-oob="true"' in content
    assert "<html" not in content
    assert order.lines.count() == 2


def test_a_line_added_without_javascript_redirects_to_the_order(logged_in, order):
    response = logged_in.post(
        reverse("orders:add_line", args=[order.number]),
        {"item_number": ProductFactory().item_number, "quantity": "1"},
    )
    assert response.status_code == 302
    assert response.url.endswith("#lines")


def test_a_header_form_from_before_someone_elses_change_is_refused(logged_in, order):
    url = reverse("orders:header", args=[order.number])
    stale = order.version
    assert logged_in.post(url, {"delivery_mode": "", "version": stale}).status_code == 302
    response = logged_in.post(
        url,
        {"delivery_mode": order.call_center.delivery_modes.get().pk, "version": stale},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert 'role="alert"' in response.content.decode()
    assert "changed by someone else" in response.content.decode()
    order.refresh_from_db()
    assert order.delivery_mode is None


@pytest.mark.parametrize(
    ("amount", "status", "message"),
    [
        ("abc", 400, "as a number"),
        ("-5", 400, "greater than or equal to 0.01"),
        ("0", 400, "greater than or equal to 0.01"),
        ("", 400, "Enter the payment amount"),
        ("1e400", 400, ""),
        ("120.01", 409, "more than the balance of 120.00"),
        ("99999999999999", 400, ""),
    ],
)
def test_a_bad_payment_amount_is_refused_and_takes_nothing(
    logged_in, order, amount, status, message
):
    response = logged_in.post(
        reverse("payments:payment_create", args=[order.number]),
        {
            "method": PaymentMethodFactory().pk,
            "amount": amount,
            "idempotency_key": uuid.uuid4(),
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == status
    content = response.content.decode()
    assert 'role="alert"' in content
    assert message in content
    assert not Payment.objects.exists()


def test_a_payment_form_without_its_key_is_refused(logged_in, order):
    response = logged_in.post(
        reverse("payments:payment_create", args=[order.number]),
        {"method": PaymentMethodFactory().pk, "amount": "120.00"},
    )
    assert response.status_code == 400
    assert not Payment.objects.exists()


def test_a_replayed_payment_post_takes_one_payment(logged_in, order):
    data = {
        "method": PaymentMethodFactory().pk,
        "amount": "120.00",
        "idempotency_key": uuid.uuid4(),
    }
    url = reverse("payments:payment_create", args=[order.number])
    assert logged_in.post(url, data).status_code == 302
    assert logged_in.post(url, data).status_code == 302
    assert Payment.objects.count() == 1


def test_a_french_clerk_types_amounts_the_french_way(logged_in, order):
    response = logged_in.post(
        reverse("payments:payment_create", args=[order.number]),
        {
            "method": PaymentMethodFactory().pk,
            "amount": "120,00",
            "idempotency_key": uuid.uuid4(),
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302
    assert Payment.objects.get().amount == Decimal("120.00")


def test_submit_before_payment_names_the_balance_in_an_alert(logged_in, order):
    response = logged_in.post(
        reverse("payments:submit", args=[order.number]),
        {"idempotency_key": uuid.uuid4()},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "a balance of 120.00 is still due" in content


def test_a_replayed_submit_post_does_one_thing(logged_in, order):
    logged_in.post(
        reverse("payments:payment_create", args=[order.number]),
        {"method": PaymentMethodFactory().pk, "amount": "120.00", "idempotency_key": uuid.uuid4()},
    )
    data = {"idempotency_key": uuid.uuid4()}
    url = reverse("payments:submit", args=[order.number])
    first = logged_in.post(url, data, HTTP_HX_REQUEST="true")
    again = logged_in.post(url, data, HTTP_HX_REQUEST="true")
    assert first.status_code == again.status_code == 200
    assert json.loads(first["HX-Location"])["path"] == reverse("orders:detail", args=[order.number])
    assert order.events.filter(type="submitted").count() == 1
    other = logged_in.post(url, {"idempotency_key": uuid.uuid4()}, HTTP_HX_REQUEST="true")
    assert other.status_code == 409


@pytest.mark.parametrize("url_name", ["customers:service", "orders:detail"])
def test_anonymous_users_go_to_the_login_page(client, order, url_name):
    url = reverse(url_name, args=[order.number] if url_name == "orders:detail" else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_empty_customer_search_is_a_400_with_a_message(logged_in):
    response = logged_in.get(reverse("customers:service"), {"q": ""})
    assert response.status_code == 400
    assert alert_text(response).startswith("Type what the caller gives: a name,")


@pytest.mark.parametrize("query", ["Karen", "nobody-matches-this"])
def test_select_without_a_customer_is_a_400_with_an_alert(logged_in, query):
    CustomerFactory(name="Karen Berg")
    response = logged_in.get(reverse("customers:select"), {"q": query})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "Choose a customer" in response.content.decode()


def test_a_garbage_call_center_switch_is_refused_without_error(logged_in):
    response = logged_in.post(reverse("switch_call_center"), {"call_center": "abc"}, follow=True)
    assert response.status_code == 200
    assert "You are not a user of that call center" in response.content.decode()
