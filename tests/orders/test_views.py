"""The sales order pages through the test client: create, header, lines, channel isolation."""

import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import OrderEvent, SalesOrder
from payments import services as payment_services
from tests.factories import (
    ChannelUserFactory,
    CustomerFactory,
    DeliveryModeFactory,
    PaymentMethodFactory,
    ProductFactory,
    make_order,
    offer,
)
from tests.html import alert_text

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def product():
    return ProductFactory(item_number="81327", name="Speaker", price=Decimal("100.00"))


@pytest.fixture
def order(clerk, product):
    """A draft with one unit of a 100.00 product, mode of delivery 99 (10.00), 10% tax."""
    return make_order(clerk=clerk, lines=[(product, 1)])


@pytest.fixture
def express(call_center):
    mode = DeliveryModeFactory(code="01", name="Express", charge=Decimal("25.00"))
    call_center.delivery_modes.add(mode)
    return mode


@pytest.fixture
def submitted(clerk, call_center, order):
    cash = offer(call_center, PaymentMethodFactory())
    payment_services.add_payment(
        order=order, by=clerk, method=cash, amount=order.total, idempotency_key=uuid.uuid4()
    )
    payment_services.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.SUBMITTED
    return order


@pytest.fixture
def stranger(client):
    """A clerk of another call center (of the same company)."""
    user = ChannelUserFactory().user
    client.force_login(user)
    return client


def url(name, order):
    return reverse(name, args=[order.number])


def line_rows(response) -> list[str]:
    """The rows of the lines table, as text, without the empty-table row."""
    content = response.content.decode()
    body = content[content.index('aria-label="Sales order lines"') :]
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows if "colspan" not in row]


# creating an order


def test_a_new_sales_order_is_created_and_opened(logged_in, clerk, call_center):
    customer = CustomerFactory()
    response = logged_in.post(reverse("orders:create", args=[customer.pk]))
    order = SalesOrder.objects.get()
    assert response.status_code == 302
    assert response.url == url("orders:detail", order)
    assert (order.customer, order.clerk, order.call_center) == (customer, clerk, call_center)
    assert order.status == SalesOrder.Status.DRAFT


def test_the_new_order_page_shows_the_customer_and_an_empty_lines_table(logged_in):
    customer = CustomerFactory(name="Karen Berg", account_number="2001")
    response = logged_in.post(reverse("orders:create", args=[customer.pk]), follow=True)
    content = response.content.decode()
    assert response.status_code == 200
    assert "2001 Karen Berg" in content
    assert line_rows(response) == []
    assert "No lines yet" in content


def test_a_sales_order_is_not_created_by_a_get(logged_in):
    customer = CustomerFactory()
    response = logged_in.get(reverse("orders:create", args=[customer.pk]))
    assert response.status_code == 405
    assert not SalesOrder.objects.exists()


def test_a_sales_order_for_another_company_s_customer_is_not_found(logged_in):
    customer = CustomerFactory(company="FABR")
    response = logged_in.post(reverse("orders:create", args=[customer.pk]))
    assert response.status_code == 404
    assert not SalesOrder.objects.exists()


def test_a_sales_order_for_a_blocked_customer_is_refused_with_an_alert(logged_in):
    logged_in.raise_request_exception = False
    customer = CustomerFactory(is_blocked=True)
    response = logged_in.post(reverse("orders:create", args=[customer.pk]))
    assert response.status_code == 409
    assert f"Customer {customer.account_number} is blocked" in alert_text(response)
    assert not SalesOrder.objects.exists()


# channel isolation


def test_another_call_center_s_order_page_is_not_found(stranger, order):
    assert stranger.get(url("orders:detail", order)).status_code == 404


def test_another_call_center_s_order_header_cannot_be_changed(stranger, order, express):
    response = stranger.post(
        url("orders:header", order), {"delivery_mode": express.pk, "version": order.version}
    )
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.delivery_mode.code == "99"
    assert order.events.filter(type=OrderEvent.Type.HEADER_CHANGED).count() == 1


def test_another_call_center_s_order_gets_no_line(stranger, order, product):
    response = stranger.post(
        url("orders:add_line", order), {"item_number": product.item_number, "quantity": "1"}
    )
    assert response.status_code == 404
    assert order.lines.count() == 1


def test_another_call_center_s_order_keeps_its_lines(stranger, order):
    line = order.lines.get()
    response = stranger.post(url("orders:remove_line", order), {"line": line.pk}, **HTMX)
    assert response.status_code == 404
    assert order.lines.filter(pk=line.pk).exists()


# The order-taking posts (lines, complete, pay, submit) leave the order to their
# service's locked read when the clerk works in one call center (selectors.order_to_change):
# a clerk of several has it read first, and an order that is not there is a 404 either way.


def test_a_clerk_of_two_call_centers_takes_an_order_of_the_second_from_line_to_submit(
    logged_in, clerk, product
):
    second = ChannelUserFactory(user=clerk).call_center
    cash = offer(second, PaymentMethodFactory())
    order = make_order(clerk=clerk, call_center=second, lines=[(product, 1)])

    response = logged_in.post(
        url("orders:add_line", order), {"item_number": "81327", "quantity": "2"}, **HTMX
    )
    assert response.status_code == 200
    assert len(line_rows(response)) == 2
    assert logged_in.post(url("payments:complete", order), **HTMX).status_code == 200
    order.refresh_from_db()
    response = logged_in.post(
        url("payments:payment_create", order),
        {"method": cash.pk, "amount": str(order.total), "idempotency_key": uuid.uuid4()},
        **HTMX,
    )
    assert response.status_code == 200
    response = logged_in.post(url("payments:submit", order), {"idempotency_key": uuid.uuid4()})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.SUBMITTED
    assert order.amount_paid == order.total == Decimal("340.00")  # 3 × 100, tax, 99


@pytest.mark.parametrize("several_centers", [False, True])
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("orders:add_line", {"item_number": "81327", "quantity": "1"}),
        ("orders:add_line", {"item_number": "81327", "quantity": "0"}),  # an invalid form
        ("orders:line_quantity", {"line": "1", "quantity": "2"}),
        ("orders:line_quantity", {"line": "1", "quantity": "x"}),  # invalid
        ("orders:remove_line", {"line": "1"}),
        ("orders:cancel_line", {"line": "1", "reason": "Out of stock"}),
        ("payments:complete", {}),
        ("payments:payment_create", {"amount": "1.00", "idempotency_key": uuid.uuid4()}),
        ("payments:payment_create", {"amount": "", "idempotency_key": ""}),  # invalid
        ("payments:submit", {"idempotency_key": uuid.uuid4()}),
        ("payments:submit", {"idempotency_key": "not a key"}),  # invalid
    ],
)
def test_an_order_number_that_is_not_there_is_not_found(
    logged_in, clerk, order, name, data, several_centers
):
    if several_centers:
        ChannelUserFactory(user=clerk)
    response = logged_in.post(reverse(name, args=["NOPE-000001"]), data, **HTMX)
    assert response.status_code == 404
    assert order.lines.count() == 1
    assert not order.events.filter(type=OrderEvent.Type.COMPLETED).exists()


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "en",
            ["Remove line 2", "Change or cancel line 2", "Quantity of line 2", "Cancel line 2"],
        ),
        (
            "fr",
            [
                "Supprimer la ligne 2",
                "Modifier ou annuler la ligne 2",
                "Quantité de la ligne 2",
                "Annuler la ligne 2",
                "Remplacer le prix de la ligne 2",
            ],
        ),
    ],
)
def test_each_line_s_buttons_and_labels_name_its_own_line_number(
    logged_in, clerk, product, language, texts
):
    """The rows' texts are translated once per table (|numbered): each still says its line."""
    order = make_order(clerk=clerk, lines=[(product, 1), (product, 3)])
    response = logged_in.get(url("orders:detail", order), HTTP_ACCEPT_LANGUAGE=language)
    content = response.content.decode()
    for text in texts:
        assert content.count(text) == 1, text
        assert content.count(text.replace(" 2", " 1")) == 1, text
    assert "__n__" not in content
    second = order.lines.get(line_number=2)
    assert f'id="line-quantity-{second.pk}" class="form-control form-control-sm" value="3"' in (
        content
    )


# adding lines


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("-1", "Ensure this value is greater than or equal to 1."),
        ("abc", "Enter a whole number."),
        ("1000000000000", "Ensure this value is less than or equal to 99999."),
        ("", "This field is required."),
    ],
)
def test_a_bad_quantity_is_refused_with_a_message_and_adds_no_line(
    logged_in, order, product, quantity, message
):
    response = logged_in.post(
        url("orders:add_line", order), {"item_number": product.item_number, "quantity": quantity}
    )
    assert response.status_code == 400
    assert f"Quantity: {message}" in alert_text(response)
    assert order.lines.count() == 1


def test_the_quantity_boxes_are_text_boxes_for_whole_numbers(logged_in, order):
    """Not number boxes: the browser would send "2,5" typed in French as 25."""
    content = logged_in.get(url("orders:detail", order)).content.decode()
    line = order.lines.get()
    assert re.search(r'<input type="text" name="quantity" [^>]*inputmode="numeric"', content)
    assert (
        f'<input type="text" inputmode="numeric" autocomplete="off" name="quantity" '
        f'id="line-quantity-{line.pk}"' in content
    )
    assert 'type="number"' not in content


@pytest.mark.parametrize("quantity", ["2,5", "2.5", "1 000", "1,000"])
def test_a_quantity_that_is_not_a_whole_number_is_refused_in_french(
    logged_in, order, product, quantity
):
    response = logged_in.post(
        url("orders:add_line", order),
        {"item_number": product.item_number, "quantity": quantity},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert "Quantité : Saisissez un nombre entier." in alert_text(response)
    assert order.lines.count() == 1


def test_an_unknown_item_number_is_refused_with_a_message_and_adds_no_line(logged_in, order):
    response = logged_in.post(
        url("orders:add_line", order), {"item_number": "NOPE", "quantity": "1"}
    )
    assert response.status_code == 400
    assert "No item NOPE is for sale" in alert_text(response)
    assert order.lines.count() == 1


def test_an_empty_item_number_is_refused_with_a_message_and_adds_no_line(logged_in, order):
    response = logged_in.post(url("orders:add_line", order), {"item_number": "", "quantity": "1"})
    assert response.status_code == 400
    assert "Item number: This field is required." in alert_text(response)
    assert order.lines.count() == 1


def test_an_item_no_longer_sold_is_refused_with_a_message(logged_in, order):
    retired = ProductFactory(is_active=False)
    response = logged_in.post(
        url("orders:add_line", order), {"item_number": retired.item_number, "quantity": "1"}
    )
    assert response.status_code == 400
    assert f"No item {retired.item_number} is for sale" in alert_text(response)
    assert order.lines.count() == 1


def test_a_refused_line_with_htmx_returns_the_lines_panel_with_the_message(logged_in, order):
    response = logged_in.post(
        url("orders:add_line", order), {"item_number": "NOPE", "quantity": "1"}, **HTMX
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert content.lstrip().startswith('<div id="lines-panel">')
    assert "No item NOPE is for sale" in alert_text(response)
    assert 'value="NOPE"' in content  # what the clerk typed is kept


def test_a_line_added_with_htmx_returns_the_lines_and_the_totals(logged_in, order):
    other = ProductFactory(item_number="55555", name="Cable", price=Decimal("5.00"))
    response = logged_in.post(
        url("orders:add_line", order), {"item_number": other.item_number, "quantity": "2"}, **HTMX
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="lines-panel">')
    row = line_rows(response)[1]
    # line, item, name, quantity, unit price with how it was reached, discount, amount
    assert row.startswith("2 55555 Cable 2 5.00 How the price of line 2 was reached")
    assert "Base price 5.00 0.00 10.00" in row
    assert '<div id="order-totals" class="card" hx-swap-oob="true">' in content
    # 110.00 of merchandise, 10.00 of shipping, 10% tax on merchandise
    assert re.search(r"Total</dt><dd[^>]*>131.00</dd>", content)
    assert order.lines.count() == 2


def test_a_line_added_without_javascript_redirects_to_the_lines(logged_in, order):
    other = ProductFactory(price=Decimal("5.00"))
    response = logged_in.post(
        url("orders:add_line", order), {"item_number": other.item_number, "quantity": "3"}
    )
    assert response.status_code == 302
    assert response.url == url("orders:detail", order) + "#lines"
    line = order.lines.get(line_number=2)
    assert (line.product, line.quantity, line.unit_price) == (other, 3, Decimal("5.00"))
    order.refresh_from_db()
    assert order.subtotal == Decimal("115.00")


def test_a_suggestion_typed_with_its_name_adds_the_item(logged_in, order, product):
    response = logged_in.post(
        url("orders:add_line", order), {"item_number": "81327 Speaker", "quantity": "1"}
    )
    assert response.status_code == 302
    assert order.lines.get(line_number=2).item_number == "81327"


# the header


def test_changing_the_mode_of_delivery_saves_it_and_updates_the_totals(logged_in, order, express):
    response = logged_in.post(
        url("orders:header", order), {"delivery_mode": express.pk, "version": order.version}, **HTMX
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<form id="header-form"')
    assert '<div id="order-totals" class="card" hx-swap-oob="true">' in content
    assert re.search(r"Charges</dt><dd[^>]*>25.00</dd>", content)
    assert re.search(r"Total</dt><dd[^>]*>135.00</dd>", content)
    order.refresh_from_db()
    assert order.delivery_mode == express
    assert (order.charges_total, order.total) == (Decimal("25.00"), Decimal("135.00"))


def test_a_header_change_without_javascript_redirects_to_the_header(logged_in, order, express):
    response = logged_in.post(
        url("orders:header", order), {"delivery_mode": express.pk, "version": order.version}
    )
    assert response.status_code == 302
    assert response.url == url("orders:detail", order) + "#header"
    order.refresh_from_db()
    assert order.delivery_mode == express


def test_the_saved_header_carries_the_next_version(logged_in, order, express):
    response = logged_in.post(
        url("orders:header", order), {"delivery_mode": express.pk, "version": order.version}, **HTMX
    )
    assert f'name="version" value="{order.version + 1}"' in response.content.decode()


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_header_post_with_a_stale_version_is_refused_and_changes_nothing(
    logged_in, clerk, order, express, htmx
):
    stale = order.version
    assert logged_in.post(url("orders:header", order), {"version": stale}).status_code == 302
    response = logged_in.post(
        url("orders:header", order),
        {"delivery_mode": express.pk, "version": stale},
        **(HTMX if htmx else {}),
    )
    assert response.status_code == 409
    assert "was changed by someone else" in alert_text(response)
    order.refresh_from_db()
    assert order.delivery_mode is None
    assert order.version == stale + 1


@pytest.mark.parametrize("mode", ["not offered", "abc", "99999999999999999999999"])
def test_a_mode_of_delivery_the_call_center_does_not_offer_is_refused(logged_in, order, mode):
    if mode == "not offered":
        mode = DeliveryModeFactory(code="77", name="Drone").pk
    response = logged_in.post(
        url("orders:header", order), {"delivery_mode": mode, "version": order.version}
    )
    assert response.status_code == 400
    assert "Mode of delivery: Select a valid choice." in alert_text(response)
    order.refresh_from_db()
    assert order.delivery_mode.code == "99"


def test_in_french_a_field_s_error_is_introduced_by_a_spaced_colon(logged_in, order):
    """French puts a (non-breaking) space before a colon: "Mode de livraison : …"."""
    response = logged_in.post(
        url("orders:header", order),
        {"delivery_mode": "abc", "version": order.version},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert "Mode de livraison : Sélectionnez un choix valide." in alert_text(response)
    assert "Mode de livraison\u00a0: Sélectionnez" in response.content.decode()


def test_in_french_a_header_change_in_the_history_is_spaced_the_french_way(clerk, order):
    from django.utils import translation

    from orders.history import describe
    from orders.models import OrderEvent

    event = OrderEvent(
        type=OrderEvent.Type.HEADER_CHANGED,
        parameters={
            "changes": {
                "delivery_mode": {"from": "", "to": "99 Standard"},
                "delivery_address": {"from": "1 Old Road", "to": "2 New Road"},
            }
        },
    )
    with translation.override("fr"):
        assert describe(event) == (
            "Mode de livraison\u00a0: — → 99 Standard\u00a0; "
            "Adresse de livraison\u00a0: 1 Old Road → 2 New Road"
        )


@pytest.mark.parametrize(
    ("version", "status"), [("", 400), ("abc", 400), ("99999999999999999999999", 409)]
)
def test_a_header_post_with_a_bad_version_is_refused(logged_in, order, express, version, status):
    response = logged_in.post(
        url("orders:header", order), {"delivery_mode": express.pk, "version": version}
    )
    assert response.status_code == status
    assert alert_text(response)
    order.refresh_from_db()
    assert order.delivery_mode.code == "99"


# a submitted order


@pytest.fixture
def released(submitted):
    SalesOrder.objects.filter(pk=submitted.pk).update(status=SalesOrder.Status.PROCESSING)
    submitted.refresh_from_db()
    return submitted


def test_the_header_of_a_released_order_cannot_be_changed(logged_in, released, express):
    response = logged_in.post(
        url("orders:header", released),
        {"delivery_mode": express.pk, "version": released.version},
        **HTMX,
    )
    assert response.status_code == 409
    assert "is processing and can no longer be changed" in alert_text(response)
    released.refresh_from_db()
    assert released.delivery_mode.code == "99"


def test_a_released_order_gets_no_new_line(logged_in, released, product):
    response = logged_in.post(
        url("orders:add_line", released), {"item_number": product.item_number, "quantity": "1"}
    )
    assert response.status_code == 409
    assert "is processing and can no longer be changed" in alert_text(response)
    assert released.lines.count() == 1


def test_a_released_order_keeps_its_lines(logged_in, released):
    line = released.lines.get()
    response = logged_in.post(url("orders:remove_line", released), {"line": line.pk})
    assert response.status_code == 409
    assert "is processing and can no longer be changed" in alert_text(response)
    assert released.lines.filter(pk=line.pk).exists()


def test_a_released_order_page_offers_no_editing(logged_in, released):
    content = logged_in.get(url("orders:detail", released)).content.decode()
    assert re.search(r'<strong id="order-status">Processing</strong>', content)
    assert "Add line" not in content
    assert "Remove line" not in content
    assert ">Complete</button>" not in content


def test_a_submitted_order_page_offers_line_editing_but_no_complete(logged_in, submitted):
    content = logged_in.get(url("orders:detail", submitted)).content.decode()
    assert re.search(r'<strong id="order-status">Submitted</strong>', content)
    assert "Add line" in content
    assert ">Complete</button>" not in content


# removing lines


def test_a_line_is_removed_and_the_totals_follow(logged_in, order):
    first = order.lines.get()
    logged_in.post(
        url("orders:add_line", order),
        {"item_number": ProductFactory(price=Decimal("5.00")).item_number, "quantity": "1"},
    )
    response = logged_in.post(url("orders:remove_line", order), {"line": first.pk})
    assert response.status_code == 302
    assert response.url == url("orders:detail", order) + "#lines"
    assert not order.lines.filter(pk=first.pk).exists()
    order.refresh_from_db()
    assert order.subtotal == Decimal("5.00")
    assert order.events.filter(type=OrderEvent.Type.LINE_REMOVED).count() == 1


def test_a_line_removed_with_htmx_returns_the_lines_and_the_totals(logged_in, order):
    response = logged_in.post(
        url("orders:remove_line", order), {"line": order.lines.get().pk}, **HTMX
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert line_rows(response) == []
    assert '<div id="order-totals" class="card" hx-swap-oob="true">' in content
    assert re.search(r"Subtotal</dt><dd[^>]*>0.00</dd>", content)


def test_a_line_of_another_order_is_not_removed_through_this_one(logged_in, clerk, order):
    other = make_order(clerk=clerk, lines=[(ProductFactory(), 1)])
    other_line = other.lines.get()
    response = logged_in.post(url("orders:remove_line", order), {"line": other_line.pk})
    assert response.status_code == 400
    assert "That line is no longer on the order" in alert_text(response)
    assert other.lines.filter(pk=other_line.pk).exists()
    assert order.lines.count() == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "This field is required."),
        ("abc", "Enter a whole number."),
        ("99999999999999999999999", "That line is no longer on the order"),
    ],
)
def test_a_remove_without_a_line_is_refused_with_a_message(logged_in, order, line, message):
    response = logged_in.post(url("orders:remove_line", order), {"line": line})
    assert response.status_code == 400
    text = alert_text(response)
    assert message in text
    # the clerk reads a sentence, not the markup of an error list
    assert "&lt;" not in text and "errorlist" not in text
    assert order.lines.count() == 1


# the History section, read again by the order page after a change


def test_the_history_section_lists_the_order_s_events_in_words(logged_in, order, product):
    logged_in.post(
        url("orders:add_line", order),
        {"item_number": product.item_number, "quantity": 2, "version": order.version},
        **HTMX,
    )
    response = logged_in.get(url("orders:history", order), **HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section id="history"')
    assert f'data-refresh-url="{url("orders:history", order)}"' in content
    assert "line 2, 2 × 81327" in " ".join(re.sub(r"<[^>]+>", " ", content).split())
    assert content.count("Line added") == 2


def test_the_history_section_is_in_the_reader_s_language(logged_in, order):
    response = logged_in.get(url("orders:history", order), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Historique" in response.content.decode()
    assert "Ligne ajoutée" in response.content.decode()


def test_the_history_section_of_another_call_center_s_order_is_not_found(stranger, order):
    response = stranger.get(url("orders:history", order), **HTMX)
    assert response.status_code == 404
    assert order.number not in response.content.decode()


def test_the_history_section_is_only_read(logged_in, order):
    assert logged_in.post(url("orders:history", order)).status_code == 405


def add_events(order, clerk, count):
    """``count`` more events on ``order`` (notes of lines 1001, 1002, ...), newest last."""
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order=order,
            customer_id=order.customer_id,
            user=clerk,
            type=OrderEvent.Type.LINE_ADDED,
            parameters={"line": 1000 + n, "item_number": "X", "quantity": 1},
        )
        for n in range(1, count + 1)
    )


def shown_lines(content: str) -> list[int]:
    return [int(n) for n in re.findall(r"line (1\d\d\d), 1 × X", content)]


def test_a_long_history_shows_its_newest_events_and_offers_them_all(logged_in, clerk, order):
    add_events(order, clerk, 60)
    content = logged_in.get(url("orders:detail", order)).content.decode()
    assert shown_lines(content) == list(range(1011, 1061))  # the newest 50, oldest first
    assert "Order created" not in content.split('id="history"')[1]
    assert "Only the newest 50 events are shown." in content
    show_all = f'href="{url("orders:detail", order)}?history=all#history"'
    assert show_all in content

    content = logged_in.get(url("orders:detail", order), {"history": "all"}).content.decode()
    assert shown_lines(content) == list(range(1001, 1061))
    assert "Order created" in content.split('id="history"')[1]
    assert "Only the newest" not in content
    # read again after a change, the History stays whole
    assert f'data-refresh-url="{url("orders:history", order)}?history=all"' in content


def test_the_history_section_read_again_keeps_to_the_newest_events_unless_asked(
    logged_in, clerk, order
):
    add_events(order, clerk, 60)
    newest = logged_in.get(url("orders:history", order), **HTMX).content.decode()
    assert shown_lines(newest) == list(range(1011, 1061))
    everything = logged_in.get(url("orders:history", order), {"history": "all"}, **HTMX)
    assert shown_lines(everything.content.decode()) == list(range(1001, 1061))


def test_a_history_of_fifty_events_is_shown_whole(logged_in, clerk, order):
    shown = order.events.count()
    add_events(order, clerk, 50 - shown)
    content = logged_in.get(url("orders:detail", order)).content.decode()
    assert "Order created" in content.split('id="history"')[1]
    assert "Only the newest" not in content


def test_in_french_a_long_history_says_that_only_the_newest_are_shown(logged_in, clerk, order):
    add_events(order, clerk, 60)
    content = logged_in.get(url("orders:detail", order), HTTP_ACCEPT_LANGUAGE="fr").content
    assert "Seuls les 50 événements les plus récents sont affichés." in content.decode()
    assert "Afficher tous les événements" in content.decode()


@pytest.mark.parametrize(
    ("data", "focused"),
    [
        ({"item_number": "NOPE", "quantity": "1"}, "item_number"),
        ({"item_number": "81327", "quantity": "0"}, "quantity"),
    ],
)
def test_a_refused_new_line_gives_the_focus_to_the_field_to_mend(logged_in, order, data, focused):
    url = reverse("orders:add_line", args=[order.number])
    content = logged_in.post(url, data, **HTMX).content.decode()
    form = content[content.index('id="add-line-form"') :]
    autofocused = re.findall(r'<(?:input|select)[^>]*name="(\w+)"[^>]*\sautofocus', form)
    assert autofocused == [focused]


def test_a_hidden_field_missing_is_not_named_to_the_clerk(logged_in, order):
    url = reverse("orders:header", args=[order.number])
    response = logged_in.post(url, {"delivery_mode": order.delivery_mode_id}, **HTMX)
    assert response.status_code == 400
    said = alert_text(response)
    assert "reload the page" in said
    assert "Version" not in said


def test_a_submitted_order_s_page_does_not_give_the_new_line_box_the_focus(logged_in, submitted):
    """After the submit the order page is swapped in (htmx): the focus is not put where
    typing would amend the submitted order; adding a line to it keeps the box focused."""
    page = logged_in.get(reverse("orders:detail", args=[submitted.number]), **HTMX)
    assert not re.search(r'name="item_number"[^>]*\sautofocus', page.content.decode())
    added = logged_in.post(
        reverse("orders:add_line", args=[submitted.number]),
        {"item_number": "81327", "quantity": 1, "version": submitted.version},
        **HTMX,
    )
    assert added.status_code == 200
    assert re.search(r'name="item_number"[^>]*\sautofocus', added.content.decode())


# what a change made is said to a screen reader


def announced(response) -> str:
    """The text the response puts in the order page's polite live region."""
    found = re.search(
        r'<div id="order-announce" hx-swap-oob="innerHTML">([^<]*)</div>', response.content.decode()
    )
    return found.group(1) if found else ""


def test_the_order_page_has_a_polite_live_region_for_changes(logged_in, order):
    content = logged_in.get(url("orders:detail", order)).content.decode()
    assert (
        '<div id="order-announce" class="visually-hidden" role="status" aria-live="polite"></div>'
        in content
    )


def test_a_line_added_is_announced_with_the_new_total(logged_in, order):
    other = ProductFactory(item_number="55555", name="Cable", price=Decimal("5.00"))
    response = logged_in.post(
        url("orders:add_line", order), {"item_number": other.item_number, "quantity": "2"}, **HTMX
    )
    assert announced(response) == "Line 2 added: 2 × 55555 Cable, total 131.00."


def test_a_line_removed_changed_or_cancelled_is_announced_with_the_new_total(
    logged_in, clerk, product
):
    order = make_order(clerk=clerk, lines=[(product, 1), (product, 1), (product, 1)])
    first, second, _third = order.lines.order_by("line_number")
    response = logged_in.post(
        url("orders:line_quantity", order), {"line": first.pk, "quantity": "2"}, **HTMX
    )
    assert announced(response) == "Line 1: quantity 2, total 450.00."
    response = logged_in.post(url("orders:remove_line", order), {"line": second.pk}, **HTMX)
    assert announced(response) == "Line 2 removed, total 340.00."
    order.refresh_from_db()
    assert order.lines.count() == 2


def test_a_refused_line_change_announces_nothing(logged_in, order):
    line = order.lines.get()
    response = logged_in.post(
        url("orders:line_quantity", order), {"line": line.pk, "quantity": "0"}, **HTMX
    )
    assert response.status_code == 400
    assert announced(response) == ""


def test_a_header_change_is_announced_with_the_mode_of_delivery_and_total(
    logged_in, order, express
):
    response = logged_in.post(
        url("orders:header", order),
        {"delivery_mode": express.pk, "version": order.version},
        **HTMX,
    )
    assert response.status_code == 200
    assert announced(response) == "Header saved: mode of delivery 01 Express, total 135.00."
    assert announced(response) and response.content.decode().count("order-announce") == 1


def test_a_line_change_without_javascript_says_what_was_done(logged_in, order):
    line = order.lines.get()
    response = logged_in.post(
        url("orders:line_quantity", order), {"line": line.pk, "quantity": "3"}, follow=True
    )
    assert "Line 1: quantity 3, total 340.00." in response.content.decode()
