"""The admin's customer search takes what the customer service box takes: 100 characters."""

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

URL = "admin:customers_customer_changelist"


def test_a_very_long_admin_search_is_refused_with_a_message(superuser_client):
    CustomerFactory(name="Karen Berg")
    response = superuser_client.get(reverse(URL), {"q": " ".join(["karen"] * 1200)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Search for at most 100 characters (this search has 7199)" in page
    assert "Karen Berg" not in page


def test_a_search_of_100_characters_still_searches(superuser_client):
    CustomerFactory(name="Karen Berg")
    query = ("karen " * 17)[:100]
    response = superuser_client.get(reverse(URL), {"q": query})
    assert response.status_code == 200
    assert "Karen Berg" in response.content.decode()
    assert "Search for at most" not in response.content.decode()
