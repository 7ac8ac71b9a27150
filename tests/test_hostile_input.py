"""What a hostile caller or clerk might type is shown as text and never breaks a page."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from customers.models import Customer
from customers.services import add_note
from tests.factories import CustomerFactory, ProductFactory, make_order

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


@pytest.fixture
def hostile(clerk):
    customer = CustomerFactory(
        name=f"Karen {SCRIPT}",
        address__street=f'1 Main <img src=x onerror="alert(1)"> {SCRIPT}',
    )
    add_note(customer=customer, by=clerk, text=f"Called about {SCRIPT}")
    order = make_order(
        clerk=clerk, customer=customer, lines=[(ProductFactory(name=f"Mug {SCRIPT}"), 1)]
    )
    return customer, order


def pages(customer, order):
    return [
        (reverse("customers:service"), {"q": "Karen"}),
        (reverse("customers:detail", args=[customer.pk]), {}),
        (reverse("orders:detail", args=[order.number]), {}),
        (reverse("payments:summary", args=[order.number]), {}),
        (reverse("catalog:suggestions"), {"item_number": order.lines.get().item_number}),
    ]


def test_markup_typed_into_names_notes_and_addresses_is_shown_as_text(logged_in, hostile):
    customer, order = hostile
    for url, params in pages(customer, order):
        content = logged_in.get(url, params).content.decode()
        assert SCRIPT not in content, url
        assert "<img src=x" not in content, url
        assert ESCAPED in content, url


@pytest.mark.parametrize(
    "query", ["' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE customers_customer; --", "\x00"]
)
def test_sql_looking_searches_are_just_text(logged_in, query):
    CustomerFactory(name="Karen Berg")
    response = logged_in.get(reverse("customers:service"), {"q": query})
    assert response.status_code in (200, 400)
    assert Customer.objects.filter(name="Karen Berg").exists()
    if response.status_code == 200:
        assert "Karen Berg" not in response.content.decode()


def test_an_oversized_customer_name_is_refused_with_a_message(logged_in):
    data = {
        "name": "K" * 5000,
        "street": "1 Main Street",
        "city": "Seattle",
        "postal_code": "98101",
        "country": "US",
    }
    response = logged_in.post(reverse("customers:create"), data)
    assert response.status_code == 400
    assert "Ensure this value has at most 120 characters" in response.content.decode()
    assert not Customer.objects.exists()


def test_a_request_too_large_to_read_is_refused_with_a_page_that_says_so(logged_in, clerk):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("10.00")), 1)])
    logged_in.raise_request_exception = False
    too_large = {"item_number": "1" * 3_000_000, "quantity": "1"}
    response = logged_in.post(reverse("orders:add_line", args=[order.number]), too_large)
    assert response.status_code == 400
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "too large or not well formed" in content
    # a click on the order page: the message alone, no page swapped into the lines panel
    clicked = logged_in.post(
        reverse("orders:add_line", args=[order.number]), too_large, HTTP_HX_REQUEST="true"
    )
    assert clicked.status_code == 400 and clicked["HX-Reswap"] == "none"
    assert "too large or not well formed" in json.loads(clicked["HX-Trigger"])["request-refused"]
    assert order.lines.count() == 1
