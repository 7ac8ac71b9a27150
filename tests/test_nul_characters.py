"""A NUL character in a query string or a form is refused with the 400 page, never a 500:
PostgreSQL cannot take one and Django's admin filters pass it on."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_item_suggestions_is_a_400(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("catalog:suggestions") + "?item_number=81%00")
    assert response.status_code == 400
    assert "Request refused" in response.content.decode()


def test_a_nul_in_an_admin_filter_is_a_400(superuser_client):
    response = superuser_client.get(
        reverse("admin:orders_salesorder_changelist") + "?status__exact=%00"
    )
    assert response.status_code == 400


def test_a_nul_in_a_posted_form_is_a_400_and_nothing_is_saved(client, clerk):
    from customers.models import Customer

    client.force_login(clerk)
    response = client.post(reverse("customers:create"), {"name": "Karen\x00Berg"})
    assert response.status_code == 400
    assert not Customer.objects.filter(name__startswith="Karen").exists()


def test_requests_without_one_go_through(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("catalog:suggestions") + "?item_number=813").status_code == 200


def test_a_nul_in_the_path_is_a_400(client, clerk):
    client.force_login(clerk)
    assert client.get("/orders/USRT-0\x0001/").status_code == 400


def test_a_nul_in_a_cookie_is_a_400_before_the_session_is_looked_up(client):
    response = client.get("/", HTTP_COOKIE='sessionid="abc\\000def"')
    assert response.status_code == 400


def test_an_admin_filter_beyond_the_database_s_numbers_is_a_400(superuser_client):
    url = reverse("admin:axes_accesslog_changelist") + "?attempt_time__year=99999999999999999999999"
    response = superuser_client.get(url)
    assert response.status_code == 400
    assert "Request refused" in response.content.decode()
