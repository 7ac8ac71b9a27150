"""The call center's currency is said with the amounts: on the order page's totals and in
the order summary."""

import pytest
from django.urls import reverse

from tests.factories import ProductFactory, make_order

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("currency", ["USD", "EUR"])
def test_the_totals_and_the_summary_say_the_currency(logged_in, clerk, call_center, currency):
    call_center.currency = currency
    call_center.save()
    order = make_order(clerk=clerk, lines=[(ProductFactory(), 1)])
    page = logged_in.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert f'id="totals-currency">Amounts in {currency}<' in page
    summary = logged_in.get(reverse("payments:summary", args=[order.number])).content.decode()
    assert f'<span id="summary-currency">Amounts in {currency}</span>' in summary
