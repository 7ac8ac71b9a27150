"""The customer service pages through the test client: login, search, select, customer page."""

import re

import pytest
from django.urls import reverse

from customers.normalize import normalize_phone
from orders.models import SalesOrder
from tests.factories import ChannelUserFactory, CustomerFactory, UserFactory, make_order
from tests.html import alert_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def karen():
    return CustomerFactory(
        account_number="2001",
        name="Karen Berg",
        phone="555-010-2001",
        email="karen.berg@example.com",
    )


@pytest.fixture
def others():
    return [
        CustomerFactory(account_number="2002", name="Karen Smith", phone="555-010-9999"),
        CustomerFactory(account_number="3001", name="Bob Stone", phone="555-030-7777"),
    ]


def result_rows(response) -> list[str]:
    """The rows of the results dialog, each as its text without tags."""
    content = response.content.decode()
    rows = re.findall(r'<tr role="row".*?</tr>', content, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def search(client, query):
    return client.get(reverse("customers:service"), {"q": query})


@pytest.mark.parametrize("page", ["customer service", "sales order"])
def test_anonymous_users_are_sent_to_the_login_page(client, clerk, page):
    if page == "sales order":
        url = reverse("orders:detail", args=[make_order(clerk=clerk).number])
    else:
        url = reverse("customers:service")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_the_customer_service_page_has_its_heading_and_search_box(logged_in):
    response = logged_in.get(reverse("customers:service"))
    content = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<h1[^>]*>Customer service</h1>", content)
    assert re.search(r'<label\s+for="id_q"[^>]*>\s*Customer search\s*</label>', content)
    assert re.search(r'<input type="search" name="q"[^>]*id="id_q"', content)


def test_the_page_without_a_search_shows_no_results_dialog(logged_in, karen):
    response = logged_in.get(reverse("customers:service"))
    assert "<dialog" not in response.content.decode()
    assert result_rows(response) == []


def test_searching_karen_shows_a_dialog_with_the_matching_customers_only(logged_in, karen, others):
    response = search(logged_in, "Karen")
    content = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<dialog[^>]*aria-labelledby="customer-search-title"', content)
    assert re.search(r'<h2 id="customer-search-title"[^>]*>Customer search</h2>', content)
    rows = result_rows(response)
    assert len(rows) == 2
    assert any(row.startswith("2001 Karen Berg") for row in rows)
    assert any(row.startswith("2002 Karen Smith") for row in rows)
    assert "Bob Stone" not in content


def test_every_result_row_has_a_radio_button_and_the_select_button(logged_in, karen, others):
    content = search(logged_in, "Karen").content.decode()
    for customer in [karen, others[0]]:
        assert f'type="radio" name="customer" value="{customer.pk}"' in content
    assert re.search(r'<button type="submit"[^>]*>Select</button>', content)


def test_a_customer_is_found_by_account_number(logged_in, karen, others):
    rows = result_rows(search(logged_in, "2001"))
    assert len(rows) == 1
    assert rows[0].startswith("2001 Karen Berg")


@pytest.mark.parametrize("typed", ["(555) 010-2001", "555.010.2001", "555 010 2001", "5550102001"])
def test_a_customer_is_found_by_a_phone_typed_in_another_format(logged_in, karen, others, typed):
    rows = result_rows(search(logged_in, typed))
    assert len(rows) == 1
    assert rows[0].startswith("2001 Karen Berg")


@pytest.mark.parametrize("typed", ["(555) 010-2001", "+1 555 010 2001", "555.010.2001"])
def test_a_phone_stored_in_e164_is_found_whatever_the_format_typed(logged_in, others, typed):
    CustomerFactory(account_number="2001", name="Karen Berg", phone=normalize_phone("5550102001"))
    rows = result_rows(search(logged_in, typed))
    assert len(rows) == 1
    assert rows[0].startswith("2001 Karen Berg")


def test_a_phone_stored_without_country_code_is_found_by_its_international_form(
    logged_in, karen, others
):
    # the admin saves the phone as typed ("555-010-2001"); a caller's number
    # shown with its country code must still find them
    rows = result_rows(search(logged_in, "+1 555 010 2001"))
    assert len(rows) == 1
    assert rows[0].startswith("2001 Karen Berg")


def test_a_customer_is_found_by_e_mail_whatever_its_case(logged_in, karen, others):
    rows = result_rows(search(logged_in, "Karen.Berg@Example.COM"))
    assert len(rows) == 1
    assert rows[0].startswith("2001 Karen Berg")


def test_name_words_in_any_order_find_the_customer(logged_in, karen, others):
    rows = result_rows(search(logged_in, "berg karen"))
    assert len(rows) == 1
    assert rows[0].startswith("2001 Karen Berg")


def test_a_search_that_matches_nobody_says_so(logged_in, karen):
    response = search(logged_in, "Zzyzx")
    assert response.status_code == 200
    assert result_rows(response) == []
    assert "No customer matches “Zzyzx”" in response.content.decode()


def test_a_search_matching_more_than_the_limit_lists_none_and_asks_for_more(logged_in, settings):
    """A common name alone at a million customers: none is listed (ranking them all would
    read every match); the clerk adds a word or narrows the results, which lists them."""
    settings.CUSTOMER_SEARCH_LIMIT = 2
    for name, city in (
        ("Karen Berg", "Tacoma"),
        ("Karen Smith", "Seattle"),
        ("Karen Lee", "Seattle"),
    ):
        CustomerFactory(name=name, address__city=city)
    response = search(logged_in, "Karen")
    assert response.status_code == 200
    assert result_rows(response) == []
    content = response.content.decode()
    assert "More than 2 customers match “Karen”." in content
    assert re.search(r'<details class="mb-2" open>\s*<summary>Narrow the results', content)
    rows = result_rows(
        logged_in.get(reverse("customers:service"), {"q": "Karen", "city": "Tacoma"})
    )
    assert len(rows) == 1 and "Karen Berg" in rows[0] and "Tacoma" in rows[0]
    assert len(result_rows(search(logged_in, "Karen Smith"))) == 1
    french = logged_in.get(
        reverse("customers:service"), {"q": "Karen"}, HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Plus de 2 clients correspondent à «\u00a0Karen\u00a0»." in french


def test_a_search_matching_as_many_as_the_limit_lists_them(logged_in, settings, karen, others):
    settings.CUSTOMER_SEARCH_LIMIT = 2
    rows = result_rows(search(logged_in, "Karen"))
    assert [row.split(" ", 1)[1][:11] for row in rows] == ["Karen Berg ", "Karen Smith"]
    assert "More than" not in search(logged_in, "Karen").content.decode()


def test_the_search_does_not_find_customers_of_another_company(logged_in, karen):
    CustomerFactory(company="FABR", name="Karen Elsewhere")
    rows = result_rows(search(logged_in, "Karen"))
    assert len(rows) == 1
    assert rows[0].startswith("2001 Karen Berg")


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_is_refused_with_a_message(logged_in, karen, query):
    response = search(logged_in, query)
    assert response.status_code == 400
    assert alert_text(response) == (
        "Type what the caller gives: a name, a phone number, an e-mail, an account "
        "number, a postal code or an order number."
    )
    assert result_rows(response) == []


def test_a_search_longer_than_the_box_is_refused_with_a_message(logged_in):
    response = search(logged_in, "Karen " * 30)
    assert response.status_code == 400
    assert "Ensure this value has at most 100 characters" in response.content.decode()


@pytest.mark.parametrize("query", ["%", "_", "()", "-", "+", "'; --", "\\"])
def test_punctuation_alone_is_searched_without_error(logged_in, karen, query):
    response = search(logged_in, query)
    assert response.status_code == 200
    assert result_rows(response) == []


def test_select_without_choosing_a_customer_is_refused_with_an_alert(logged_in, karen):
    response = logged_in.get(reverse("customers:select"), {"q": "Karen"})
    assert response.status_code == 400
    content = response.content.decode()
    assert re.search(r'role="alert"[^>]*>\s*Choose a customer in the list', content)
    # the results stay on screen so the clerk can choose
    assert len(result_rows(response)) == 1


@pytest.mark.parametrize("choice", ["another company's", "abc", "99999999999999999999999"])
def test_select_of_a_customer_not_in_the_list_is_refused_with_an_alert(logged_in, choice):
    if choice == "another company's":
        choice = CustomerFactory(company="FABR").pk
    response = logged_in.get(reverse("customers:select"), {"customer": choice})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "That customer is not in the list" in content


def test_selecting_a_customer_opens_their_page(logged_in, karen):
    response = logged_in.get(reverse("customers:select"), {"q": "Karen", "customer": karen.pk})
    assert response.status_code == 302
    assert response.url == reverse("customers:detail", args=[karen.pk])


def test_the_customer_page_shows_the_customer(logged_in, karen):
    response = logged_in.get(reverse("customers:detail", args=[karen.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<h1[^>]*>Karen Berg", content)
    assert "karen.berg@example.com" in content
    assert "555-010-2001" in content


def test_the_customer_page_offers_a_new_sales_order_to_a_channel_user(logged_in, karen):
    content = logged_in.get(reverse("customers:detail", args=[karen.pk])).content.decode()
    assert f'action="{reverse("orders:create", args=[karen.pk])}"' in content
    assert re.search(r'<button type="submit"[^>]*>New sales order</button>', content)


def test_a_user_who_is_no_channel_user_gets_no_customer_page_nor_new_order_button(client, karen):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("customers:detail", args=[karen.pk]))
    assert response.status_code == 403
    content = response.content.decode()
    assert "New sales order" not in content
    assert "Karen Berg" not in content


def test_the_customer_page_lists_the_order_history_with_status(logged_in, clerk, karen):
    draft = make_order(clerk=clerk, customer=karen)
    submitted = make_order(clerk=clerk, customer=karen)
    SalesOrder.objects.filter(pk=submitted.pk).update(status=SalesOrder.Status.SUBMITTED)
    someone_else_s = make_order(clerk=clerk)
    content = logged_in.get(reverse("customers:detail", args=[karen.pk])).content.decode()
    history = content[content.index('id="order-history"') :]
    rows = re.findall(r"<tr>\s*<td><a href.*?</tr>", history, flags=re.S)
    assert len(rows) == 2
    assert submitted.number in rows[0] and "Submitted" in rows[0]
    assert draft.number in rows[1] and "Draft" in rows[1]
    assert someone_else_s.number not in content


def test_the_order_history_leaves_out_orders_of_call_centers_the_user_is_not_in(
    logged_in, clerk, karen
):
    mine = make_order(clerk=clerk, customer=karen)
    colleague = ChannelUserFactory().user  # another call center of the same company
    theirs = make_order(clerk=colleague, customer=karen)
    content = logged_in.get(reverse("customers:detail", args=[karen.pk])).content.decode()
    assert mine.number in content
    assert theirs.number not in content


def test_a_customer_without_orders_has_an_empty_history(logged_in, karen):
    content = logged_in.get(reverse("customers:detail", args=[karen.pk])).content.decode()
    assert re.search(r"<h2[^>]*>Order history</h2>", content)
    assert "No orders." in content


def test_the_next_page_of_results_keeps_the_search_and_its_filters(logged_in):
    for i in range(30):
        CustomerFactory(name=f"Karen Page {i:02d}", address__city="Tacoma")
    CustomerFactory(name="Karen Elsewhere", address__city="Seattle")
    first = logged_in.get(reverse("customers:service"), {"q": "Karen", "city": "Tacoma"})
    assert "30 customers found" in first.content.decode()
    next_url = re.search(r'href="([^"]+)"[^>]*>Next<', first.content.decode()).group(1)
    second = logged_in.get(next_url.replace("&amp;", "&"))
    rows = result_rows(second)
    assert len(rows) == 5
    assert all("Tacoma" in row for row in rows)


def test_a_customer_id_of_four_digits_is_written_without_grouping(logged_in):
    # "1,031" in the radio button's value would select nobody
    customer = CustomerFactory(pk=1031, name="Karen Thousand")
    content = search(logged_in, "Thousand").content.decode()
    assert 'type="radio" name="customer" value="1031"' in content
    response = logged_in.get(reverse("customers:select"), {"q": "Thousand", "customer": "1031"})
    assert response.status_code == 302
    assert response.url == reverse("customers:detail", args=[customer.pk])


def test_no_match_offers_to_search_again_with_the_words_kept_or_a_new_customer(client, clerk):
    client.force_login(clerk)
    page = client.get("/", {"q": "Zzyzx Nobody"}).content.decode()
    assert 'href="/?again=Zzyzx%20Nobody" autofocus>Search again</a>' in page
    assert 'data-close-url="/?again=Zzyzx%20Nobody"' in page
    assert ">New customer</a>" in page
    back = client.get("/", {"again": "Zzyzx Nobody"})
    assert back.status_code == 200
    content = back.content.decode()
    assert 'name="q" id="id_q" value="Zzyzx Nobody"' in content
    assert "No customer matches" not in content
