"""Whatever a clerk (or a script posing as one) posts to any page: a form error or a
result, never a 500.

Every URL of the URL configuration is posted random values for the field names the
application's forms use, as the clerk of the call center the records belong to.
"""

import importlib
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ProductFactory, make_order
from tests.test_url_walk import URLS

pytestmark = pytest.mark.django_db

FORM_MODULES = [
    "customers.forms",
    "orders.forms",
    "orders.guided_forms",
    "orders.hold_forms",
    "orders.continuity_forms",
    "payments.forms",
]


def field_names() -> list[str]:
    names = set()
    for module in map(importlib.import_module, FORM_MODULES):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                names.update(value.base_fields)
    return sorted(names)


FIELDS = field_names()
NASTY = ["", "0", "-1", "1e9", "99999999999999", "12,34", "1 234,5", "\x00", "<b>x</b>", "'--"]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)
POSTS = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8)


@pytest.fixture
def own(clerk):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("10.00")), 2)])
    return {"number": order.number, "pk": order.customer_id, "customer_pk": order.customer_id}


def test_the_forms_have_fields_to_fuzz():
    assert {"amount", "item_number", "quantity", "coupon_code", "reason", "name"} <= set(FIELDS)


@pytest.mark.parametrize(("name", "params"), URLS)
def test_random_posts_never_break_a_page(client, clerk, own, name, params):
    client.force_login(clerk)
    client.raise_request_exception = False
    url = reverse(name, kwargs={param: own.get(param, 1) for param in params})

    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=POSTS, htmx=st.booleans())
    def post(data, htmx):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        response = client.post(url, data, **headers)
        assert response.status_code < 500, (url, data, response.status_code)

    post()
