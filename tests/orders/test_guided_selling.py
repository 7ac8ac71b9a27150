"""Guided selling: scripts, upsell and cross-sell prompts, product images, catalog requests
and their export, quick quotes — services, pages and the admin set-up."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from callcenter.models import ChannelUser
from catalog.models import ProductCategory, ProductImage, Script, UpsellRule
from orders import guided_selling, services
from orders.errors import InvalidOrderData
from orders.models import CatalogRequest, SalesOrder, UpsellOffer
from tests.factories import (
    CatalogFactory,
    CatalogRequestFactory,
    ChannelUserFactory,
    CustomerFactory,
    ProductFactory,
    ScriptFactory,
    SourceCodeFactory,
    UpsellRuleFactory,
    make_order,
)
from tests.html import alert_text

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def speaker():
    return ProductFactory(item_number="81327", name="Speaker", price=Decimal("100.00"))


@pytest.fixture
def stand():
    return ProductFactory(item_number="81340", name="Speaker stand", price=Decimal("24.99"))


@pytest.fixture
def rule(speaker, stand):
    return UpsellRuleFactory(
        name="Speaker stand",
        trigger_product=speaker,
        suggested_products=[stand],
        script="The stand keeps it off the desk.",
    )


def detail(order):
    return reverse("orders:detail", args=[order.number])


def offers_of(order):
    return list(order.upsell_offers.values_list("product__item_number", "status"))


# --- Upsell and cross-sell prompts (services) ---


def test_adding_the_trigger_product_offers_the_rules_suggestions(clerk, rule, speaker):
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    assert offers_of(order) == [("81340", "offered")]
    offer = order.upsell_offers.get()
    assert offer.offered_by == clerk and offer.rule == rule


def test_a_product_of_the_trigger_category_offers_the_suggestions(clerk, stand):
    category = ProductCategory.objects.create(code="SPK", name="Speakers")
    large = ProductFactory()
    category.products.add(large)
    UpsellRuleFactory(trigger_product=None, trigger_category=category, suggested_products=[stand])
    order = make_order(clerk=clerk, lines=[(large, 1)])
    assert offers_of(order) == [("81340", "offered")]


def test_an_order_total_above_the_threshold_offers_the_cross_sell(clerk, stand):
    UpsellRuleFactory(
        trigger_product=None,
        kind=UpsellRule.Kind.CROSS_SELL,
        min_order_total=Decimal("200.00"),
        suggested_products=[stand],
    )
    cheap = ProductFactory(price=Decimal("100.00"))
    order = make_order(clerk=clerk, lines=[(cheap, 1)])  # 120.00: not yet
    assert offers_of(order) == []
    services.add_line(order=order, by=clerk, product=cheap, quantity=1)  # 230.00
    assert offers_of(order) == [("81340", "offered")]


def test_accepting_a_suggestion_adds_its_line_and_records_the_acceptance(
    clerk, rule, speaker, stand
):
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    offer = order.upsell_offers.get()
    line = guided_selling.accept_upsell(order=order, by=clerk, offer_id=offer.pk)
    offer.refresh_from_db()
    assert (line.item_number, line.quantity, line.unit_price) == ("81340", 1, Decimal("24.99"))
    assert offer.status == UpsellOffer.Status.ACCEPTED
    assert (offer.line, offer.decided_by) == (line, clerk)
    assert order.events.filter(type="line_added").count() == 2  # through add_line


def test_a_suggestion_cannot_be_accepted_twice(clerk, rule, speaker):
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    offer = order.upsell_offers.get()
    guided_selling.accept_upsell(order=order, by=clerk, offer_id=offer.pk)
    with pytest.raises(InvalidOrderData, match="no longer offered"):
        guided_selling.accept_upsell(order=order, by=clerk, offer_id=offer.pk)
    assert order.lines.count() == 2


def test_a_dismissed_prompt_does_not_come_back_on_that_order(clerk, rule, speaker):
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    assert guided_selling.dismiss_upsell(order=order, by=clerk) == 1
    services.add_line(order=order, by=clerk, product=speaker, quantity=1)
    assert offers_of(order) == [("81340", "dismissed")]
    assert guided_selling.pending_prompts(order) == []
    other = make_order(clerk=clerk, lines=[(speaker, 1)])
    assert offers_of(other) == [("81340", "offered")]


def test_typing_a_suggested_product_counts_as_accepting_it(clerk, rule, speaker, stand):
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    services.add_line(order=order, by=clerk, product=stand, quantity=2)
    assert offers_of(order) == [("81340", "accepted")]


def test_products_already_on_the_order_and_inactive_ones_are_not_suggested(clerk, speaker, stand):
    gone = ProductFactory(is_active=False)
    UpsellRuleFactory(trigger_product=speaker, suggested_products=[stand, gone])
    order = make_order(clerk=clerk, lines=[(stand, 1), (speaker, 1)])
    assert offers_of(order) == []


def test_rules_of_another_call_center_and_inactive_rules_do_not_fire(clerk, speaker, stand):
    other = ChannelUserFactory().call_center
    UpsellRuleFactory(trigger_product=speaker, suggested_products=[stand], call_center=other)
    UpsellRuleFactory(trigger_product=speaker, suggested_products=[stand], is_active=False)
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    assert offers_of(order) == []


def test_conversion_counts_offers_acceptances_and_dismissals(clerk, rule, speaker):
    accepted = make_order(clerk=clerk, lines=[(speaker, 1)])
    guided_selling.accept_upsell(order=accepted, by=clerk, offer_id=accepted.upsell_offers.get().pk)
    dismissed = make_order(clerk=clerk, lines=[(speaker, 1)])
    guided_selling.dismiss_upsell(order=dismissed, by=clerk)
    make_order(clerk=clerk, lines=[(speaker, 1)])
    assert guided_selling.conversion(rule) == {
        "offered": 1,
        "accepted": 1,
        "dismissed": 1,
        "total": 3,
    }


# --- Upsell prompts on the order page ---


def test_the_order_page_shows_the_prompt_with_prices_script_and_add_buttons(
    logged_in, clerk, rule, speaker
):
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    content = logged_in.get(detail(order)).content.decode()
    assert 'role="region" aria-labelledby="upsell-prompt-title"' in content
    assert "81340 Speaker stand" in content and "24.99" in content
    assert "The stand keeps it off the desk." in content
    assert 'aria-label="Add 81340 Speaker stand"' in content
    assert 'data-shortcut="u"' in content  # Alt+U goes there; no accesskey: it would add
    assert ">Dismiss</button>" in content


def test_adding_a_line_with_htmx_sends_the_prompt_out_of_band(logged_in, clerk, rule, speaker):
    order = make_order(clerk=clerk)
    response = logged_in.post(
        reverse("orders:add_line", args=[order.number]),
        {"item_number": "81327", "quantity": "1"},
        **HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="lines-panel">')
    assert '<div id="upsell-prompt" hx-swap-oob="true">' in content
    assert "Add 81340 Speaker stand" in content


def test_a_line_that_changes_no_suggestion_leaves_the_prompt_alone(logged_in, clerk, rule, speaker):
    """The prompt on the page stays as it is (not sent again) when a line neither makes
    nor takes up a suggestion; typing the suggested item takes it up and sends it."""
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    other = ProductFactory(item_number="99001")

    def add(item_number):
        response = logged_in.post(
            reverse("orders:add_line", args=[order.number]),
            {"item_number": item_number, "quantity": "1"},
            **HTMX,
        )
        assert response.status_code == 200
        return response.content.decode()

    content = add(other.item_number)
    assert 'id="upsell-prompt"' not in content
    assert '<div id="order-totals" class="card" hx-swap-oob="true">' in content
    content = add("81340")  # the suggested stand, typed instead of pressing Add
    assert '<div id="upsell-prompt" hx-swap-oob="true">\n\n</div>' in content
    assert order.upsell_offers.get().status == UpsellOffer.Status.ACCEPTED


def test_accepting_with_htmx_returns_the_lines_with_the_new_line(logged_in, clerk, rule, speaker):
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    offer = order.upsell_offers.get()
    response = logged_in.post(
        reverse("orders:accept_upsell", args=[order.number, offer.pk]), **HTMX
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Speaker stand" in content.split('id="upsell-prompt"')[0]
    assert '<div id="upsell-prompt" hx-swap-oob="true">\n\n</div>' in content
    assert order.lines.count() == 2


def test_a_line_added_from_a_suggestion_is_announced_as_a_typed_one_is(
    logged_in, clerk, rule, speaker
):
    from tests.orders.test_views import announced

    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    offer = order.upsell_offers.get()
    response = logged_in.post(
        reverse("orders:accept_upsell", args=[order.number, offer.pk]), **HTMX
    )
    order.refresh_from_db()
    assert announced(response) == f"Line 2 added: 1 × 81340 Speaker stand, total {order.total}."
    assert response.content.decode().count("order-announce") == 1
    # a refused Add (answered already) says nothing was added
    response = logged_in.post(
        reverse("orders:accept_upsell", args=[order.number, offer.pk]), **HTMX
    )
    assert response.status_code == 400
    assert announced(response) == ""


def test_accepting_without_javascript_redirects_to_the_lines(logged_in, clerk, rule, speaker):
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    offer = order.upsell_offers.get()
    response = logged_in.post(reverse("orders:accept_upsell", args=[order.number, offer.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith("#lines")
    assert order.lines.count() == 2


def test_accepting_an_answered_suggestion_is_refused_with_an_alert(logged_in, clerk, rule, speaker):
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    offer = order.upsell_offers.get()
    guided_selling.dismiss_upsell(order=order, by=clerk)
    response = logged_in.post(
        reverse("orders:accept_upsell", args=[order.number, offer.pk]), **HTMX
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert order.lines.count() == 1


def test_dismissing_with_htmx_empties_the_prompt(logged_in, clerk, rule, speaker):
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    response = logged_in.post(reverse("orders:dismiss_upsell", args=[order.number]), **HTMX)
    assert response.status_code == 200
    assert "Add 81340" not in response.content.decode()
    assert offers_of(order) == [("81340", "dismissed")]


def test_another_call_centers_clerk_cannot_answer_the_prompt(client, clerk, rule, speaker):
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    client.force_login(ChannelUserFactory().user)
    offer = order.upsell_offers.get()
    assert (
        client.post(reverse("orders:accept_upsell", args=[order.number, offer.pk])).status_code
        == 404
    )
    assert client.post(reverse("orders:dismiss_upsell", args=[order.number])).status_code == 404
    assert offers_of(order) == [("81340", "offered")]


# --- Scripts ---


def test_the_script_panel_shows_greeting_source_code_product_and_closing(
    logged_in, clerk, call_center, speaker
):
    code = SourceCodeFactory(code="FAB26")
    ScriptFactory(
        moment=Script.Moment.ORDER_OPENED, text="Hello, USRT here.", call_center=call_center
    )
    ScriptFactory(moment=Script.Moment.CLOSING, text="Thank you for calling.")
    ScriptFactory(moment=Script.Moment.SOURCE_CODE_ENTERED, text="Semiannual!", source_code=code)
    ScriptFactory(moment=Script.Moment.PRODUCT_ADDED, text="Twelve hours.", product=speaker)
    ScriptFactory(
        moment=Script.Moment.ORDER_OPENED, text="Other center.", call_center=None, is_active=False
    )
    order = make_order(clerk=clerk)
    content = logged_in.get(detail(order)).content.decode()
    panel = content.split('aria-label="Script"')[1]
    assert "Hello, USRT here." in panel and "Thank you for calling." in panel
    assert "Semiannual!" not in panel and "Twelve hours." not in panel
    assert "Other center." not in panel

    services.add_line(order=order, by=clerk, product=speaker, quantity=1, source_code=code)
    panel = logged_in.get(detail(order)).content.decode().split('aria-label="Script"')[1]
    assert "Semiannual!" in panel and "Twelve hours." in panel
    assert 'role="complementary"' in content


def test_a_catalog_script_shows_for_any_of_its_source_codes(clerk, call_center):
    catalog = CatalogFactory()
    code = SourceCodeFactory(catalog=catalog)
    ScriptFactory(moment=Script.Moment.SOURCE_CODE_ENTERED, text="Catalog text", catalog=catalog)
    order = make_order(clerk=clerk)
    order = services.update_header(
        order=order,
        by=clerk,
        version=order.version,
        delivery_mode=order.delivery_mode,
        source_code=code,
    )
    panel = guided_selling.scripts_for(order)
    assert [entry.text for entry in panel.source_code] == ["Catalog text"]


def test_scripts_are_not_shown_when_direct_selling_is_off(logged_in, clerk, call_center):
    ScriptFactory(moment=Script.Moment.ORDER_OPENED, text="Hello, USRT here.")
    call_center.direct_selling_enabled = False
    call_center.save()
    order = make_order(clerk=clerk)
    assert guided_selling.scripts_for(order) is None
    content = logged_in.get(detail(order)).content.decode()
    assert "Hello, USRT here." not in content
    assert 'aria-label="Script"' not in content


def test_a_header_change_with_htmx_refreshes_the_script_panel(logged_in, clerk):
    code = SourceCodeFactory()
    ScriptFactory(moment=Script.Moment.SOURCE_CODE_ENTERED, text="Code text", source_code=code)
    order = make_order(clerk=clerk)
    response = logged_in.post(
        reverse("orders:header", args=[order.number]),
        {
            "delivery_mode": order.delivery_mode_id,
            "source_code": code.pk,
            "version": order.version,
        },
        **HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="script-panel"' in content and 'hx-swap-oob="true"' in content
    assert "Code text" in content


def test_script_attachments_must_fit_the_moment():
    with pytest.raises(ValidationError):
        Script(name="x", moment=Script.Moment.PRODUCT_ADDED, text="t").full_clean()
    with pytest.raises(ValidationError):
        Script(name="x", moment=Script.Moment.SOURCE_CODE_ENTERED, text="t").full_clean()
    Script(name="x", moment=Script.Moment.CLOSING, text="t").full_clean()


def test_an_upsell_rule_needs_exactly_one_trigger(speaker):
    with pytest.raises(ValidationError):
        UpsellRule(name="none").clean()
    with pytest.raises(ValidationError):
        UpsellRule(name="two", trigger_product=speaker, min_order_total=Decimal("1")).clean()
    UpsellRule(name="one", min_order_total=Decimal("1")).clean()


# --- Product images ---


def test_product_images_show_in_the_suggestions_and_on_the_lines(logged_in, clerk, speaker):
    ProductImage.objects.create(product=speaker, path="catalog/products/81327.svg")
    ProductFactory(item_number="81399")
    response = logged_in.get(reverse("catalog:suggestions"), {"item_number": "813"})
    content = response.content.decode()
    assert content.count("<img") == 1
    assert 'src="/static/catalog/products/81327.svg" alt="" width="32" height="32"' in content
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    assert "/static/catalog/products/81327.svg" in logged_in.get(detail(order)).content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "catalog/products/81327.txt",
        "http://example.com/x.png",
        "/etc/x.svg",
        "../x.svg",
        "catalog/products/missing.svg",
    ],
)
def test_an_image_must_be_an_image_file_in_the_static_files_or_over_https(speaker, path):
    with pytest.raises(ValidationError):
        ProductImage(product=speaker, path=path).full_clean()


def test_an_image_over_https_is_used_as_is(speaker):
    image = ProductImage(product=speaker, path="https://img.example.com/81327.png")
    image.full_clean()
    assert image.url == "https://img.example.com/81327.png"


# --- Catalog requests ---


@pytest.fixture
def catalog():
    return CatalogFactory(name="Fabrikam semiannual")


def test_a_catalog_request_copies_the_customers_mailing_address(clerk, call_center, catalog):
    customer = CustomerFactory()
    code = SourceCodeFactory(catalog=catalog)
    request = guided_selling.record_catalog_request(
        customer=customer, call_center=call_center, catalog=catalog, source_code=code, by=clerk
    )
    assert (request.street, request.city, request.postal_code) == (
        "1 Main Street",
        "Seattle",
        "98101",
    )
    assert (request.status, request.requested_by, request.source_code) == ("requested", clerk, code)
    customer.addresses.update(street="2 Other Road")
    request.refresh_from_db()
    assert request.street == "1 Main Street"


def test_a_catalog_request_refuses_a_source_code_of_another_catalog(clerk, call_center, catalog):
    with pytest.raises(InvalidOrderData, match="not an active code of catalog"):
        guided_selling.record_catalog_request(
            customer=CustomerFactory(),
            call_center=call_center,
            catalog=catalog,
            source_code=SourceCodeFactory(),
            by=clerk,
        )


def test_a_catalog_request_is_refused_when_direct_selling_is_off(clerk, call_center, catalog):
    call_center.direct_selling_enabled = False
    call_center.save()
    with pytest.raises(guided_selling.DirectSellingOff):
        guided_selling.record_catalog_request(
            customer=CustomerFactory(), call_center=call_center, catalog=catalog, by=clerk
        )


def test_the_customer_page_lists_catalog_requests_and_takes_a_new_one(
    logged_in, clerk, call_center, catalog
):
    customer = CustomerFactory()
    page = logged_in.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "Catalog requests" in page and "No catalog requested." in page
    form = page.split('id="catalog-requests"')[1].split("</form>")[0]
    assert f'<option value="{catalog.pk}">{catalog}</option>' in form
    assert '<option value="" selected>(none)</option>' in form  # no source code chosen
    response = logged_in.post(
        reverse("orders:catalog_request_create", args=[customer.pk]), {"catalog": catalog.pk}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#catalog-requests")
    assert CatalogRequest.objects.get().customer == customer
    page = logged_in.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "Fabrikam semiannual" in page.split('id="catalog-requests"')[1]
    # the address written as the customer page writes it, state included
    request_ = CatalogRequest.objects.get()
    assert request_.mailing_address == customer.primary_address.one_line()
    assert f"<td>{request_.mailing_address}</td>" in page


def test_catalog_requests_are_hidden_and_refused_without_direct_selling(
    logged_in, call_center, catalog
):
    call_center.direct_selling_enabled = False
    call_center.save()
    customer = CustomerFactory()
    page = logged_in.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "catalog-requests" not in page
    response = logged_in.post(
        reverse("orders:catalog_request_create", args=[customer.pk]), {"catalog": catalog.pk}
    )
    assert response.status_code == 403
    assert "Direct selling is off" in response.content.decode()
    assert not CatalogRequest.objects.exists()


@pytest.fixture
def supervisor(call_center):
    return ChannelUserFactory(call_center=call_center, role=ChannelUser.Role.SUPERVISOR).user


def csv_rows(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_a_supervisor_exports_new_requests_as_csv_and_they_are_marked_exported(
    client, supervisor, call_center, catalog
):
    old = CatalogRequestFactory(call_center=call_center, catalog=catalog)
    CatalogRequest.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - timezone.timedelta(days=40)
    )
    new = CatalogRequestFactory(call_center=call_center, catalog=catalog, name="Karen Berg")
    CatalogRequestFactory(catalog=catalog)  # another call center's
    client.force_login(supervisor)
    listing = client.get(reverse("orders:catalog_requests"))
    assert listing.status_code == 200 and "Karen Berg" in listing.content.decode()

    since = (timezone.localdate() - timezone.timedelta(days=7)).isoformat()
    response = client.post(reverse("orders:catalog_requests_export"), {"requested_after": since})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][:3] == ["requested", "account", "name"]
    assert [row[2] for row in rows[1:]] == ["Karen Berg"]
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.status, old.status) == ("exported", "requested")
    assert new.exported_at is not None

    again = client.post(reverse("orders:catalog_requests_export"), {"requested_after": since})
    assert csv_rows(again)[1:] == []
    with_exported = client.post(
        reverse("orders:catalog_requests_export"),
        {"requested_after": since, "include_exported": "on"},
    )
    assert [row[2] for row in csv_rows(with_exported)[1:]] == ["Karen Berg"]


def test_the_catalog_request_export_writes_a_would_be_formula_as_text(
    client, supervisor, call_center, catalog
):
    CatalogRequestFactory(
        call_center=call_center, catalog=catalog, name='=HYPERLINK("http://evil.example")'
    )
    client.force_login(supervisor)
    since = (timezone.localdate() - timezone.timedelta(days=7)).isoformat()
    response = client.post(reverse("orders:catalog_requests_export"), {"requested_after": since})
    assert [row[2] for row in csv_rows(response)[1:]] == ['\'=HYPERLINK("http://evil.example")']


def test_clerks_cannot_export_catalog_requests(logged_in):
    assert logged_in.get(reverse("orders:catalog_requests")).status_code == 403
    assert logged_in.post(reverse("orders:catalog_requests_export")).status_code == 403


def test_the_export_is_refused_when_direct_selling_is_off(client, supervisor, call_center):
    call_center.direct_selling_enabled = False
    call_center.save()
    client.force_login(supervisor)
    response = client.get(reverse("orders:catalog_requests"))
    assert response.status_code == 403
    assert "Direct selling is off" in response.content.decode()


def test_the_customer_page_makes_as_many_queries_for_25_catalog_requests_as_for_1(
    logged_in, call_center, catalog, django_assert_num_queries
):
    quiet, busy = CustomerFactory(), CustomerFactory()
    CatalogRequestFactory(customer=quiet, call_center=call_center, catalog=catalog)
    for _ in range(25):
        CatalogRequestFactory(customer=busy, call_center=call_center, catalog=catalog)
    logged_in.get(reverse("customers:detail", args=[quiet.pk]))  # the session is written once
    with CaptureQueriesContext(connection) as captured:
        logged_in.get(reverse("customers:detail", args=[quiet.pk]))
    with django_assert_num_queries(len(captured)):
        response = logged_in.get(reverse("customers:detail", args=[busy.pk]))
    section = response.content.decode().split('id="catalog-requests"')[1]
    assert section.count("Fabrikam semiannual</td>") == 10  # the latest ten


def test_the_order_page_queries_do_not_grow_with_lines_prompts_and_scripts(
    logged_in, clerk, django_assert_num_queries
):
    ScriptFactory(moment=Script.Moment.ORDER_OPENED)
    small, large = make_order(clerk=clerk), make_order(clerk=clerk)
    for order, count in [(small, 1), (large, 30)]:
        for _ in range(count):
            product = ProductFactory()
            ProductImage.objects.create(product=product, path="catalog/products/81327.svg")
            ScriptFactory(moment=Script.Moment.PRODUCT_ADDED, product=product)
            UpsellRuleFactory(trigger_product=product)
            services.add_line(order=order, by=clerk, product=product, quantity=1)
    logged_in.get(detail(small))  # the session is written once
    # the suggested products' trade agreements are read once, all of a page in one query
    logged_in.get(detail(large))
    with CaptureQueriesContext(connection) as captured:
        logged_in.get(detail(small))
    with django_assert_num_queries(len(captured)):
        response = logged_in.get(detail(large))
    content = response.content.decode()
    assert content.count("data-upsell-add") == 30
    assert content.count("/static/catalog/products/81327.svg") == 30


# --- Quick quote ---


def test_a_quick_quote_prices_items_for_the_customer_without_creating_an_order(
    logged_in, clerk, speaker
):
    customer = CustomerFactory()
    gone = ProductFactory(item_number="99001", is_active=False)
    center = clerk.channel_memberships.get().call_center
    numbers_before = center.next_order_number
    response = logged_in.get(
        reverse("orders:quick_quote", args=[customer.pk]),
        {"items": "81327 2\n99001", "delivery_mode": center.delivery_modes.get(code="99").pk},
    )
    content = response.content.decode()
    assert response.status_code == 200
    # 200.00 of merchandise, 10.00 shipping (99 Standard), 10% tax on merchandise
    assert re.search(r'id="quote-total">230.00<', content)
    assert "No longer sold" in content and gone.name in content
    assert not SalesOrder.objects.exists()
    center.refresh_from_db()
    assert center.next_order_number == numbers_before


def test_a_quick_quote_names_unknown_items(logged_in):
    customer = CustomerFactory()
    response = logged_in.get(reverse("orders:quick_quote", args=[customer.pk]), {"items": "nope 1"})
    assert response.status_code == 400
    assert "No item nope" in response.content.decode()


@pytest.mark.parametrize("items", ["81327 1,5", "81327 2 81330 3"])
def test_a_quick_quote_guesses_nothing_from_a_line_it_cannot_read(logged_in, speaker, items):
    customer = CustomerFactory()
    url = reverse("orders:quick_quote", args=[customer.pk])
    response = logged_in.get(url, {"items": items})
    assert response.status_code == 400
    assert "write one item number per line, then its quantity" in response.content.decode()


def test_the_customer_page_offers_quick_quote(logged_in):
    customer = CustomerFactory()
    page = logged_in.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert reverse("orders:quick_quote", args=[customer.pk]) in page
    assert "Quick quote" in page


# --- Admin set-up ---


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return client


def test_an_administrator_sets_up_a_script_in_the_admin(admin_client, call_center):
    response = admin_client.post(
        reverse("admin:catalog_script_add"),
        {
            "name": "Greeting",
            "moment": "order_opened",
            "text": "Thank you for calling.",
            "call_center": call_center.pk,
            "sort_order": 100,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Script.objects.get().call_center == call_center


def test_the_admin_refuses_a_product_script_without_its_product(admin_client):
    response = admin_client.post(
        reverse("admin:catalog_script_add"),
        {"name": "P", "moment": "product_added", "text": "t", "sort_order": 100},
    )
    assert response.status_code == 200
    assert "needs the product" in response.content.decode()
    assert not Script.objects.exists()


def test_an_administrator_sets_up_an_upsell_rule_in_the_admin(admin_client, speaker, stand):
    response = admin_client.post(
        reverse("admin:catalog_upsellrule_add"),
        {
            "name": "Stand",
            "kind": "upsell",
            "trigger_product": speaker.pk,
            "suggested_products": [stand.pk],
            "script": "Add the stand?",
            "sort_order": 100,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = UpsellRule.objects.get()
    assert list(rule.suggested_products.all()) == [stand]


def test_the_admin_refuses_an_upsell_rule_with_two_triggers(admin_client, speaker, stand):
    response = admin_client.post(
        reverse("admin:catalog_upsellrule_add"),
        {
            "name": "Two",
            "kind": "upsell",
            "trigger_product": speaker.pk,
            "min_order_total": "200",
            "suggested_products": [stand.pk],
            "sort_order": 100,
        },
    )
    assert response.status_code == 200
    assert "Choose one trigger" in response.content.decode()


def test_an_administrator_sets_up_a_category_and_a_product_image(admin_client, speaker):
    response = admin_client.post(
        reverse("admin:catalog_productcategory_add"),
        {"code": "SPK", "name": "Speakers", "products": [speaker.pk]},
    )
    assert response.status_code == 302
    assert list(ProductCategory.objects.get().products.all()) == [speaker]
    response = admin_client.post(
        reverse("admin:catalog_product_change", args=[speaker.pk]),
        {
            "item_number": speaker.item_number,
            "name": speaker.name,
            "price": "100.00",
            "weight": "0",
            "is_active": "on",
            "image-TOTAL_FORMS": "1",
            "image-INITIAL_FORMS": "0",
            "image-MIN_NUM_FORMS": "0",
            "image-MAX_NUM_FORMS": "1",
            "image-0-path": "catalog/products/81327.svg",
            "image-0-alt_text": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert speaker.image.path == "catalog/products/81327.svg"


def test_offers_and_catalog_requests_are_read_only_in_the_admin(admin_client, clerk, rule, speaker):
    make_order(clerk=clerk, lines=[(speaker, 1)])
    CatalogRequestFactory()
    assert admin_client.get(reverse("admin:orders_upselloffer_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:orders_catalogrequest_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:orders_upselloffer_add")).status_code == 403


def test_a_suggestion_is_quoted_at_the_caller_s_price(logged_in, clerk, rule, speaker, stand):
    """A customer of a price group hears the price the line will have, not the list price."""
    from catalog.models import PriceGroup, TradeAgreement
    from orders.models import CustomerPriceGroup

    trade = PriceGroup.objects.create(code="TRADE", name="Trade")
    TradeAgreement.objects.create(price_group=trade, product=stand, price=Decimal("19.99"))
    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    CustomerPriceGroup.objects.create(customer=order.customer, price_group=trade)
    content = logged_in.get(detail(order)).content.decode()
    prompt = content[content.index('id="upsell-prompt"') :]
    assert "19.99" in prompt and "24.99" not in prompt


def test_the_answers_to_the_prompt_are_in_the_order_s_history(clerk, rule, speaker, stand):
    from orders.models import OrderEvent

    order = make_order(clerk=clerk, lines=[(speaker, 1)])
    offer = order.upsell_offers.get(product=stand)
    guided_selling.accept_upsell(order=order, by=clerk, offer_id=offer.pk)
    accepted = order.events.get(type=OrderEvent.Type.UPSELL_ACCEPTED)
    assert accepted.parameters == {"items": ["81340"]}
    other = make_order(clerk=clerk, lines=[(speaker, 1)])
    assert guided_selling.dismiss_upsell(order=other, by=clerk) == 1
    dismissed = other.events.get(type=OrderEvent.Type.UPSELL_DISMISSED)
    assert dismissed.parameters == {"items": ["81340"]}
    # nothing left to dismiss: nothing written
    assert guided_selling.dismiss_upsell(order=other, by=clerk) == 0
    assert other.events.filter(type=OrderEvent.Type.UPSELL_DISMISSED).count() == 1


def test_an_invoice_address_written_like_the_delivery_one_is_one_choice(logged_in, catalog):
    from tests.factories import AddressFactory

    customer = CustomerFactory()
    primary = customer.primary_address
    AddressFactory(
        customer=customer,
        purpose="invoice",
        is_primary=False,
        street=primary.street,
        city=primary.city,
        state=primary.state,
        postal_code=primary.postal_code,
        country=primary.country,
    )
    page = logged_in.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    form = page.split('id="catalog-requests"')[1].split("</form>")[0]
    assert form.count(f">{primary.one_line()}</option>") == 1


def test_a_catalog_request_filter_that_is_not_valid_is_named(client, supervisor, call_center):
    client.force_login(supervisor)
    response = client.get(reverse("orders:catalog_requests"), {"status": "bogus"})
    assert response.status_code == 400
    assert "Status: Select a valid choice." in alert_text(response)
