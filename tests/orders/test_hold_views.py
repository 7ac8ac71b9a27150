"""The hold pages: the order page's Holds and History, the queue, release, the export."""

import csv
import html
import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from callcenter.models import ChannelUser
from orders import holds
from orders.models import HoldCode, OrderHold
from tests.factories import ChannelUserFactory, ProductFactory, make_order
from tests.html import alert_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(call_center):
    return ChannelUserFactory(call_center=call_center, role=ChannelUser.Role.SUPERVISOR).user


@pytest.fixture
def research():
    return HoldCode.objects.create(code="RESEARCH", name="Research")


def held_order(clerk, code, note="Check the address"):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])
    holds.place_hold(order=order, by=clerk, code=code, note=note)
    return order


def queries(client, url) -> int:
    client.get(url)  # the call center's setup data read (callcenter/reference.py)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_order_page_shows_the_hold_the_badge_and_the_history(client, clerk, research):
    order = held_order(clerk, research)
    client.force_login(clerk)
    page = client.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert 'id="order-hold-badge"' in page and "On hold" in page
    assert "Check the address" in page
    assert "Put on hold" in page and "Order created" in page


def test_the_holds_section_names_who_held_works_and_cleared_each_hold(
    client, clerk, supervisor, research
):
    order = held_order(clerk, research, note="open one")
    fraud = HoldCode.objects.create(code="FRAUD", name="Fraud", clear_role="clerk")
    cleared = holds.place_hold(order=order, by=clerk, code=fraud, note="cleared one")
    holds.clear_hold(order=order, by=supervisor, hold_id=cleared.pk, reason="caller verified")
    open_hold = OrderHold.objects.open().get(order=order)
    holds.check_out_hold(order=order, by=supervisor, hold_id=open_hold.pk)
    client.force_login(supervisor)
    page = client.get(reverse("orders:detail", args=[order.number])).content.decode()
    row = re.search(r"<tr>\s*<td><strong>RESEARCH</strong>.*?</tr>", page, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]
    assert cells[:3] == ["RESEARCH Research", "open one", clerk.username]
    assert cells[4] == supervisor.username
    assert f"cleared by {supervisor.username} on" in page and "caller verified" in page


def test_a_clerk_puts_an_order_on_hold_from_the_order_page(client, clerk, research):
    order = make_order(clerk=clerk)
    client.force_login(clerk)
    response = client.post(
        reverse("holds:place", args=[order.number]), {"code": research.pk, "note": "Caller asks"}
    )
    assert response.status_code == 302
    assert OrderHold.objects.open().get(order=order).note == "Caller asks"


def test_a_clerk_cannot_see_the_queue(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("holds:queue")).status_code == 403


def test_the_supervisor_works_and_clears_a_hold_in_the_queue(client, clerk, supervisor, research):
    order = held_order(clerk, research)
    hold = OrderHold.objects.get(order=order)
    client.force_login(supervisor)
    queue = reverse("holds:queue")
    assert order.number in client.get(queue).content.decode()
    client.post(reverse("holds:check_out", args=[order.number]), {"hold": hold.pk, "next": queue})
    page = client.get(queue).content.decode()
    assert "Clear hold" in page and "Cancel order" in page
    response = client.post(
        reverse("holds:clear", args=[order.number]),
        {"hold": hold.pk, "reason": "Verified", "next": queue},
    )
    assert response.status_code == 302 and response.url == queue
    assert not OrderHold.objects.open().filter(order=order).exists()


@pytest.mark.parametrize("back", ["queue", "elsewhere"])
def test_an_order_cancelled_from_the_queue_leaves_it_and_the_supervisor_stays_there(
    client, clerk, supervisor, research, back
):
    import uuid

    order = held_order(clerk, research)
    client.force_login(supervisor)
    queue = reverse("holds:queue") + "?code=RESEARCH"
    page = client.get(queue).content.decode()
    assert f'<input type="hidden" name="next" value="{html.escape(queue)}">' in page
    response = client.post(
        reverse("payments:cancel", args=[order.number]),
        {
            "reason": "Caller withdrew",
            "idempotency_key": uuid.uuid4(),
            "next": queue if back == "queue" else "https://elsewhere.example/",
        },
    )
    order_page = reverse("orders:detail", args=[order.number])
    assert response.status_code == 302
    assert response.url == (queue if back == "queue" else order_page)
    after = client.get(response.url).content.decode()
    assert f"Sales order {order.number} is cancelled." in after
    assert not OrderHold.objects.open().filter(order=order).exists()
    assert order.number not in client.get(queue).content.decode()


def test_an_automatic_hold_s_note_reads_in_the_supervisor_s_language(client, clerk, supervisor):
    """Placed at an English-speaking clerk's submit, read in French: the queue, the order
    page and its history word the note from the hold's details."""
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])
    OrderHold.objects.create(
        order=order,
        call_center=order.call_center,
        code=HoldCode.objects.create(code="PRICE", name="Price"),
        source=OrderHold.Source.AUTOMATIC,
        note="Price overridden beyond the clerk's limit on line 1.",
        details={"lines": [1]},
        created_by=clerk,
    )
    client.force_login(supervisor)
    french = "Prix remplacé au-delà de la limite de l'agent sur la ligne 1."
    for url in (reverse("holds:queue"), reverse("orders:detail", args=[order.number])):
        page = html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode())
        assert french in page, url
        assert "Price overridden beyond" not in page, url


def test_a_second_supervisor_is_told_who_works_the_hold(client, clerk, supervisor, research):
    order = held_order(clerk, research)
    hold = OrderHold.objects.get(order=order)
    holds.check_out_hold(order=order, by=supervisor, hold_id=hold.pk)
    other = ChannelUserFactory(call_center=order.call_center, role="supervisor").user
    client.force_login(other)
    response = client.post(
        reverse("holds:check_out", args=[order.number]), {"hold": hold.pk}, follow=True
    )
    assert f"{supervisor.username} is already working this hold" in response.content.decode()


def test_the_supervisor_working_a_hold_is_named_as_the_queue_names_them_at_a_local_time(
    client, clerk, supervisor, research
):
    from django.utils import formats, timezone, translation

    supervisor.first_name, supervisor.last_name = "Sophie", "Dupré"
    supervisor.save()
    order = held_order(clerk, research)
    hold = OrderHold.objects.get(order=order)
    holds.check_out_hold(order=order, by=supervisor, hold_id=hold.pk)
    hold.refresh_from_db()
    other = ChannelUserFactory(call_center=order.call_center, role="supervisor").user
    client.force_login(other)
    for language in ("en", "fr"):
        response = client.post(
            reverse("holds:check_out", args=[order.number]),
            {"hold": hold.pk},
            follow=True,
            HTTP_ACCEPT_LANGUAGE=language,
        )
        with translation.override(language):
            time = formats.time_format(timezone.localtime(hold.checked_out_at))
        content = html.unescape(response.content.decode())
        assert f"Sophie Dupré ({supervisor.username})" in content
        assert time in content
        assert f"<td>{supervisor.username}</td>" in content  # the Worked by column


def test_the_queue_lists_the_holds_of_the_supervisor_s_call_centers_by_their_center(
    client, clerk, supervisor, research, call_center
):
    """Each hold carries its order's call center; the queue reads holds by it: another
    center's held order is not listed, and the call center filter picks one center."""
    ours = held_order(clerk, research)
    assert OrderHold.objects.get(order=ours).call_center_id == ours.call_center_id
    other_clerk = ChannelUserFactory().user
    theirs = held_order(other_clerk, research)
    assert OrderHold.objects.get(order=theirs).call_center_id == theirs.call_center_id
    assert theirs.call_center_id != call_center.pk
    client.force_login(supervisor)
    page = client.get(reverse("holds:queue")).content.decode()
    assert ours.number in page and theirs.number not in page
    # a supervisor of both centers sees both, and can narrow the queue to one
    ChannelUserFactory(call_center=theirs.call_center, user=supervisor, role="supervisor")
    queue = reverse("holds:queue")
    page = client.get(queue).content.decode()
    assert ours.number in page and theirs.number in page
    page = client.get(queue, {"call_center": theirs.call_center_id}).content.decode()
    assert theirs.number in page and ours.number not in page


def test_a_hold_form_that_does_not_validate_is_said_and_changes_nothing(
    client, clerk, supervisor, research
):
    order = held_order(clerk, research)
    hold = OrderHold.objects.get(order=order)
    client.force_login(supervisor)
    for action in ("holds:check_out", "holds:clear"):
        response = client.post(reverse(action, args=[order.number]), {"hold": "not a number"})
        assert response.status_code == 400
        page = response.content.decode()
        assert re.search(r'role="alert"[^>]*>[^<]*Enter a whole number\.', page), action
    hold.refresh_from_db()
    assert hold.cleared_at is None and hold.checked_out_by is None


def test_the_queue_filters_by_code(client, clerk, supervisor, research):
    fraud = HoldCode.objects.create(code="FRAUD", name="Fraud")
    held_order(clerk, research, note="research me")
    held_order(clerk, fraud, note="fraud me")
    client.force_login(supervisor)
    page = client.get(reverse("holds:queue"), {"code": fraud.pk}).content.decode()
    assert "fraud me" in page and "research me" not in page


def test_a_queue_filtered_to_nothing_says_so_and_not_that_nothing_is_held(
    client, clerk, supervisor, research
):
    held_order(clerk, research)
    client.force_login(supervisor)
    page = client.get(reverse("holds:queue"), {"age": "72"}).content.decode()
    assert "No held order matches these filters." in page
    assert "No order is on hold." not in page


def test_a_filter_that_is_not_valid_is_named_and_the_whole_queue_shown(
    client, clerk, supervisor, research
):
    order = held_order(clerk, research)
    client.force_login(supervisor)
    response = client.get(reverse("holds:queue"), {"code": "abc", "sort": "bad"})
    assert response.status_code == 400
    said = alert_text(response)
    assert "Hold code: Select a valid choice." in said
    assert "Sort: Select a valid choice." in said
    assert order.number in response.content.decode()


def test_the_queue_and_the_order_page_make_as_many_queries_for_many_holds(
    client, clerk, supervisor, research
):
    first = held_order(clerk, research)
    client.force_login(supervisor)
    client.get(reverse("customers:service"))
    one_queue = queries(client, reverse("holds:queue"))
    one_order = queries(client, reverse("orders:detail", args=[first.number]))
    one_customer = queries(client, reverse("customers:detail", args=[first.customer_id]))
    for index in range(3):
        held_order(clerk, research, note=f"note {index}")
        code = HoldCode.objects.create(code=f"C{index}", name="x", clear_role="clerk")
        holds.place_hold(order=first, by=clerk, code=code, note="more")
        hold = OrderHold.objects.filter(order=first, code=code).get()
        holds.clear_hold(order=first, by=supervisor, hold_id=hold.pk, reason="done")
    for _ in range(2):
        make_order(clerk=clerk, customer=first.customer)
    assert queries(client, reverse("holds:queue")) == one_queue
    assert queries(client, reverse("orders:detail", args=[first.number])) == one_order
    assert queries(client, reverse("customers:detail", args=[first.customer_id])) == one_customer
    page = client.get(reverse("holds:queue")).content.decode()
    assert len(re.findall(r"Work this hold", page)) == 4


def streamed(response) -> str:
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content).decode()


def released(clerk, client, *lines, cancel=()):
    """An order of ``lines`` (product, quantity), submitted with its lines ``cancel``
    cancelled, then released by the clerk."""
    import uuid

    from orders import services
    from payments import services as payments

    order = make_order(clerk=clerk, lines=lines)
    payments.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())
    for line in order.lines.filter(line_number__in=cancel):
        services.cancel_line(order=order, by=clerk, line_id=line.pk, reason="Out of stock")
    client.force_login(clerk)
    client.post(reverse("holds:release", args=[order.number]))
    order.refresh_from_db()
    assert order.status == "processing"
    return order


def test_release_and_the_fulfilment_export(client, clerk, supervisor, call_center):
    """Released orders, oldest first, with the lines to ship: a cancelled line is not."""
    call_center.order_completion_enabled = False  # submitted without payments
    call_center.default_warehouse = "WH-SEA"  # where the center's orders ship from
    call_center.save()
    speaker = ProductFactory(item_number="81327", price=Decimal("100.00"))
    stand = ProductFactory(item_number="81340", price=Decimal("24.99"))
    first = released(clerk, client, (speaker, 2), (stand, 1), cancel=[2])
    second = released(clerk, client, (stand, 3))
    assert client.get(reverse("holds:fulfilment_json")).status_code == 403
    client.force_login(supervisor)
    data = json.loads(streamed(client.get(reverse("holds:fulfilment_json"))))
    customer = first.customer
    assert data["orders"][0] == {
        "number": first.number,
        "call_center": call_center.code,
        "warehouse": "WH-SEA",
        "customer": customer.account_number,
        "name": customer.name,
        "delivery_address": first.delivery_address,
        "mode_of_delivery": first.delivery_mode.code,
        "lines": [{"line": 1, "item": "81327", "quantity": 2}],
    }
    assert [o["number"] for o in data["orders"]] == [first.number, second.number]
    assert data["orders"][1]["lines"] == [{"line": 1, "item": "81340", "quantity": 3}]
    rows = list(csv.reader(io.StringIO(streamed(client.get(reverse("holds:fulfilment_csv"))))))
    assert rows[0] == [
        "number",
        "warehouse",
        "customer",
        "name",
        "delivery_address",
        "mode_of_delivery",
        "line",
        "item",
        "quantity",
    ]
    assert [(row[0], row[1], row[6], row[7], row[8]) for row in rows[1:]] == [
        (first.number, "WH-SEA", "1", "81327", "2"),
        (second.number, "WH-SEA", "1", "81340", "3"),
    ]


def test_the_fulfilment_csv_writes_a_would_be_formula_as_text(
    client, clerk, supervisor, call_center
):
    call_center.order_completion_enabled = False  # submitted without payments
    call_center.save()
    order = released(clerk, client, (ProductFactory(), 1))
    order.customer.name = "@SUM(1+1)"
    order.customer.save()
    client.force_login(supervisor)
    rows = list(csv.reader(io.StringIO(streamed(client.get(reverse("holds:fulfilment_csv"))))))
    assert rows[1][:4] == [order.number, "", order.customer.account_number, "'@SUM(1+1)"]


def test_the_fulfilment_export_makes_as_many_queries_for_many_orders(
    client, clerk, supervisor, call_center
):
    call_center.order_completion_enabled = False
    call_center.save()
    released(clerk, client, (ProductFactory(), 1))
    client.force_login(supervisor)

    def export_queries(name):
        streamed(client.get(reverse(name)))  # the call center's setup data read
        with CaptureQueriesContext(connection) as captured:
            streamed(client.get(reverse(name)))
        return len(captured)

    one = {name: export_queries(name) for name in ("holds:fulfilment_csv", "holds:fulfilment_json")}
    for _ in range(3):
        released(clerk, client, (ProductFactory(), 2), (ProductFactory(), 1))
    client.force_login(supervisor)
    assert {name: export_queries(name) for name in one} == one


def test_the_customer_page_lists_open_holds_and_the_history_has_a_hold_column(
    client, clerk, research
):
    order = held_order(clerk, research)
    client.force_login(clerk)
    page = client.get(reverse("customers:detail", args=[order.customer_id])).content.decode()
    assert "Open holds" in page and "Check the address" in page
    assert '<th scope="col">Hold</th>' in page


def test_a_refused_hold_change_is_a_4xx_on_the_order_page(client, clerk, supervisor, research):
    """Releasing a held order is refused with 409 and the order page's alert (or the
    message in place, for an htmx click)."""
    order = held_order(clerk, research)
    client.force_login(supervisor)
    response = client.post(reverse("holds:release", args=[order.number]))
    assert response.status_code == 409
    assert 'role="alert"' in response.content.decode()
    htmx = client.post(reverse("holds:release", args=[order.number]), HTTP_HX_REQUEST="true")
    assert htmx.status_code == 409 and "request-refused" in htmx["HX-Trigger"]
    status = order.status
    order.refresh_from_db()
    assert order.status == status  # not released


@pytest.mark.parametrize(
    ("language", "low", "high"), [("en", "1,000.50", "2,000"), ("fr", "1\u00a0000,50", "2000")]
)
def test_the_queue_filters_by_amount_written_the_reader_s_way(
    client, clerk, supervisor, research, language, low, high
):
    cheap = held_order(clerk, research, note="cheap one")
    dear = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("1000.00")), 1)])
    holds.place_hold(order=dear, by=clerk, code=research, note="dear one")
    client.force_login(supervisor)
    response = client.get(
        reverse("holds:queue"),
        {"amount_min": low, "amount_max": high},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "dear one" in page and "cheap one" not in page
    assert cheap.total < Decimal("1000.50") < dear.total


def test_a_clerk_is_not_offered_to_clear_a_hold_a_supervisor_clears(
    client, clerk, supervisor, research
):
    order = held_order(clerk, research)  # research: cleared by a supervisor
    detail = reverse("orders:detail", args=[order.number])
    client.force_login(clerk)
    page = client.get(detail).content.decode()
    assert "A supervisor clears this hold." in page and ">Clear hold</button>" not in page
    client.force_login(supervisor)
    page = client.get(detail).content.decode()
    assert ">Clear hold</button>" in page


def test_the_queue_gives_the_focus_to_the_reason_of_the_hold_worked_and_refuses_no_reason(
    client, clerk, supervisor, research
):
    """Worked from the queue, the hold's reason box has the focus; cleared without a
    reason, the server says so in an alert (the form has no browser check) and the box
    has the focus again."""
    research.reason_required = True
    research.save()
    order = held_order(clerk, research)
    hold = OrderHold.objects.get(order=order)
    client.force_login(supervisor)
    queue = reverse("holds:queue")
    reason_box = re.compile(rf'<input [^>]*id="queue-reason-{hold.pk}"[^>]*>')
    client.post(reverse("holds:check_out", args=[order.number]), {"hold": hold.pk, "next": queue})
    page = client.get(queue).content.decode()
    assert "autofocus" in reason_box.search(page).group()
    clear_url = reverse("holds:clear", args=[order.number])
    assert re.search(rf'action="{clear_url}"[^>]*novalidate', page)
    assert "autofocus" not in reason_box.search(client.get(queue).content.decode()).group()

    response = client.post(
        reverse("holds:clear", args=[order.number]),
        {"hold": hold.pk, "reason": "", "next": queue},
        follow=True,
    )
    page = response.content.decode()
    assert "Enter the reason for clearing the RESEARCH hold." in alert_text(response)
    assert "autofocus" in reason_box.search(page).group()
    assert 'aria-invalid="true"' in reason_box.search(page).group()
    # once: the next look at the queue is a clean form
    assert "aria-invalid" not in reason_box.search(client.get(queue).content.decode()).group()
    assert OrderHold.objects.open().filter(order=order).exists()


def test_the_order_page_s_clear_form_leaves_the_reason_to_the_server(
    client, clerk, supervisor, research
):
    """No browser bubble (in the browser's language): an empty reason gets the server's
    alert, in the clerk's."""
    research.reason_required = True
    research.save()
    order = held_order(clerk, research)
    hold = OrderHold.objects.get(order=order)
    client.force_login(supervisor)
    page = client.get(reverse("orders:detail", args=[order.number])).content.decode()
    clear_url = reverse("holds:clear", args=[order.number])
    assert re.search(rf'action="{clear_url}"[^>]*novalidate', page)
    response = client.post(clear_url, {"hold": hold.pk, "reason": ""}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code in (400, 409)
    assert "RESEARCH" in alert_text(response)
    assert OrderHold.objects.open().filter(order=order).exists()


def test_the_hold_code_choice_starts_with_choose_as_the_order_page_s_other_choices(
    client, clerk, research
):
    order = make_order(clerk=clerk, lines=[(ProductFactory(price=Decimal("100.00")), 1)])
    client.force_login(clerk)
    page = client.get(reverse("orders:detail", args=[order.number])).content.decode()
    hold_code = page.split('name="code"')[1].split("</select>")[0]
    assert '<option value="">(choose)</option>' in hold_code
    assert "---------" not in hold_code
