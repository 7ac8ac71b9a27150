"""Holds: automatic ones through the real submit gate, manual ones, clearing, release, the
check-out race, and the warehouse's shipping file."""

import io
import os
import subprocess
import sys
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from callcenter.models import ChannelUser
from orders import holds, services
from orders.errors import OrderError
from orders.history import describe
from orders.models import FraudRule, HoldCode, HoldSettings, OrderEvent, OrderHold, SalesOrder
from tests.concurrency import run_together
from tests.factories import (
    TENDERS,
    ChannelUserFactory,
    CustomerFactory,
    PaymentMethodFactory,
    ProductFactory,
    make_order,
    offer,
)


@pytest.fixture
def cash(call_center):
    return offer(call_center, PaymentMethodFactory(**TENDERS["cash"]))


@pytest.fixture
def supervisor(call_center):
    return ChannelUserFactory(call_center=call_center, role=ChannelUser.Role.SUPERVISOR).user


@pytest.fixture
def research():
    return HoldCode.objects.create(code="RESEARCH", name="Research", reason_required=True)


def paid_submit(order, clerk, method):
    from payments import services as payments

    payments.add_payment(
        order=order, by=clerk, method=method, amount=order.total, idempotency_key=uuid.uuid4()
    )
    return payments.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())


def new_order(clerk, price="100.00", customer=None):
    return make_order(
        clerk=clerk, customer=customer, lines=[(ProductFactory(price=Decimal(price)), 1)]
    )


def open_codes(order):
    return sorted(OrderHold.objects.open().filter(order=order).values_list("code__code", flat=True))


@pytest.mark.django_db
class TestAutomaticHolds:
    def test_an_order_matching_no_rule_is_submitted_without_a_hold(self, clerk, cash):
        FraudRule.objects.create(name="Big", kind="total_above", amount=Decimal("2000"), score=100)
        order = paid_submit(new_order(clerk), clerk, cash)
        assert order.status == SalesOrder.Status.SUBMITTED
        assert open_codes(order) == []

    def test_a_fraud_score_at_the_threshold_puts_the_order_on_fraud_hold(
        self, clerk, cash, call_center
    ):
        HoldSettings.objects.create(call_center=call_center, fraud_threshold=100)
        FraudRule.objects.create(name="Over 500", kind="total_above", amount=Decimal(500), score=60)
        FraudRule.objects.create(
            name="Blocked domain", kind="email", values="@fraud.test", score=40
        )
        customer = CustomerFactory(email="someone@fraud.test")
        order = paid_submit(new_order(clerk, "600.00", customer), clerk, cash)
        assert order.status == SalesOrder.Status.SUBMITTED
        hold = OrderHold.objects.get(order=order)
        assert hold.code.code == "FRAUD"
        assert hold.source == OrderHold.Source.AUTOMATIC
        assert hold.details == {
            "score": 100,
            "threshold": 100,
            "matched": ["Blocked domain", "Over 500"],
        }
        event = order.events.get(type=OrderEvent.Type.HOLD_PLACED)
        assert event.parameters["matched"] == ["Blocked domain", "Over 500"]
        # placed by an English-speaking clerk, read by a French-speaking supervisor
        english = "Fraud score 100 (threshold 100): Blocked domain, Over 500"
        french = "Score de fraude 100 (seuil 100)\u00a0: Blocked domain, Over 500"
        assert hold.note == english
        with translation.override("fr"):
            assert hold.shown_note == french
            assert describe(event) == f"FRAUD\u00a0: {french}"

    def test_a_score_below_the_threshold_does_not_hold(self, clerk, cash, call_center):
        HoldSettings.objects.create(call_center=call_center, fraud_threshold=100)
        FraudRule.objects.create(name="Over 500", kind="total_above", amount=Decimal(500), score=60)
        order = paid_submit(new_order(clerk, "600.00"), clerk, cash)
        assert open_codes(order) == []

    def test_a_rule_of_another_call_center_does_not_count(self, clerk, cash):
        other = ChannelUserFactory().call_center
        FraudRule.objects.create(
            call_center=other, name="Any", kind="total_above", amount=Decimal(0), score=500
        )
        assert open_codes(paid_submit(new_order(clerk), clerk, cash)) == []

    def test_a_first_order_above_the_amount_is_held(self, clerk, cash):
        FraudRule.objects.create(
            name="First big", kind="first_order_above", amount=Decimal(100), score=100
        )
        customer = CustomerFactory()
        assert open_codes(paid_submit(new_order(clerk, "100.00", customer), clerk, cash)) == [
            "FRAUD"
        ]
        second = paid_submit(new_order(clerk, "100.00", customer), clerk, cash)
        assert open_codes(second) == []

    def test_many_orders_from_one_phone_in_a_day_are_held(self, clerk, cash):
        FraudRule.objects.create(name="Busy phone", kind="orders_per_phone", count=1, score=100)
        customer = CustomerFactory()
        assert open_codes(paid_submit(new_order(clerk, customer=customer), clerk, cash)) == []
        second = paid_submit(new_order(clerk, customer=customer), clerk, cash)
        assert open_codes(second) == ["FRAUD"]

    def test_a_price_overridden_beyond_the_limit_puts_the_order_on_price_hold(
        self, clerk, cash, supervisor
    ):
        from orders.models import PriceOverrideReason

        order = new_order(clerk)
        line = order.lines.get()
        services.override_price(
            order=order,
            by=supervisor,
            line_id=line.pk,
            price=Decimal("50.00"),
            reason=PriceOverrideReason.objects.create(code="MATCH", description="Match"),
        )
        order.refresh_from_db()
        assert open_codes(paid_submit(order, clerk, cash)) == ["PRICE"]
        hold = OrderHold.objects.get(order=order)
        assert hold.note == "Price overridden beyond the clerk's limit on line 1."
        with translation.override("fr"):
            assert hold.shown_note == (
                "Prix remplacé au-delà de la limite de l'agent sur la ligne 1."
            )

    def test_on_account_above_the_share_of_the_credit_limit_is_held(self, clerk, call_center):
        HoldSettings.objects.create(call_center=call_center, credit_hold_percent=Decimal(50))
        method = offer(call_center, PaymentMethodFactory(**TENDERS["on_account"]))
        customer = CustomerFactory(credit_limit=Decimal("200.00"))
        order = paid_submit(new_order(clerk, customer=customer), clerk, method)
        assert open_codes(order) == ["CREDIT"]
        hold = OrderHold.objects.get(order=order)
        assert hold.note == "120.00 on account is above 50.00 % of the credit limit."
        with translation.override("fr"):
            assert hold.shown_note == (
                "120,00 sur compte dépasse 50,00\u00a0% de la limite de crédit."
            )

    def test_an_automatic_hold_placed_before_its_details_were_kept_shows_its_stored_note(
        self, clerk
    ):
        hold = OrderHold(
            source=OrderHold.Source.AUTOMATIC,
            note="Fraud score 100 (threshold 90): Over 500",
            details={"score": 100, "matched": ["Over 500"]},
        )
        with translation.override("fr"):
            assert hold.shown_note == "Fraud score 100 (threshold 90): Over 500"

    def test_a_person_s_note_is_shown_as_typed_in_every_language(self, clerk, research):
        hold = holds.place_hold(order=new_order(clerk), by=clerk, code=research, note="Check")
        with translation.override("fr"):
            assert hold.shown_note == "Check"

    def test_on_account_within_the_share_is_not_held(self, clerk, call_center):
        HoldSettings.objects.create(call_center=call_center, credit_hold_percent=Decimal(80))
        method = offer(call_center, PaymentMethodFactory(**TENDERS["on_account"]))
        customer = CustomerFactory(credit_limit=Decimal("1000.00"))
        assert open_codes(paid_submit(new_order(clerk, customer=customer), clerk, method)) == []


@pytest.mark.django_db
class TestManualHoldsAndRelease:
    def test_a_clerk_puts_an_order_on_hold_with_a_note(self, clerk, research):
        order = new_order(clerk)
        hold = holds.place_hold(order=order, by=clerk, code=research, note="Check address")
        assert hold.is_open and hold.source == "manual"
        assert order.events.filter(type="hold_placed", parameters__note="Check address").exists()

    def test_a_hold_needs_a_note(self, clerk, research):
        with pytest.raises(OrderError, match="note"):
            holds.place_hold(order=new_order(clerk), by=clerk, code=research, note=" ")

    def test_a_clerk_may_not_clear_a_supervisors_hold(self, clerk, research):
        order = new_order(clerk)
        hold = holds.place_hold(order=order, by=clerk, code=research, note="x")
        with pytest.raises(OrderError, match="cleared by a supervisor"):
            holds.clear_hold(order=order, by=clerk, hold_id=hold.pk, reason="ok")

    def test_clearing_needs_the_reason_its_code_asks_for(self, clerk, supervisor, research):
        order = new_order(clerk)
        hold = holds.place_hold(order=order, by=clerk, code=research, note="x")
        with pytest.raises(OrderError, match="reason"):
            holds.clear_hold(order=order, by=supervisor, hold_id=hold.pk, reason="")
        holds.clear_hold(order=order, by=supervisor, hold_id=hold.pk, reason="Address fine")
        hold.refresh_from_db()
        assert hold.cleared_by == supervisor and hold.clear_reason == "Address fine"
        assert order.events.filter(type="hold_cleared").count() == 1

    def test_a_code_without_reason_and_for_clerks_is_cleared_by_a_clerk(self, clerk):
        code = HoldCode.objects.create(
            code="CUSTOMER-REQUEST", name="Customer", reason_required=False, clear_role="clerk"
        )
        order = new_order(clerk)
        hold = holds.place_hold(order=order, by=clerk, code=code, note="Call back Monday")
        holds.clear_hold(order=order, by=clerk, hold_id=hold.pk, reason="")
        assert open_codes(order) == []

    def test_release_is_refused_while_a_hold_is_open(self, clerk, cash, supervisor, research):
        order = paid_submit(new_order(clerk), clerk, cash)
        hold = holds.place_hold(order=order, by=clerk, code=research, note="x")
        with pytest.raises(OrderError, match="on hold and cannot be released"):
            holds.release_order(order=order, by=clerk)
        holds.clear_hold(order=order, by=supervisor, hold_id=hold.pk, reason="fine")
        order = holds.release_order(order=order, by=clerk)
        assert order.status == SalesOrder.Status.PROCESSING
        assert order.events.filter(type="released").exists()

    def test_cancelling_an_order_clears_its_open_holds_with_the_reason(
        self, clerk, cash, supervisor, research
    ):
        from orders.models import OrderHold as Hold
        from payments import services as payments

        order = paid_submit(new_order(clerk), clerk, cash)
        worked = holds.place_hold(order=order, by=clerk, code=research, note="x")
        already = holds.place_hold(
            order=order,
            by=clerk,
            code=HoldCode.objects.create(code="CALLBACK", name="Call back", clear_role="clerk"),
            note="y",
        )
        holds.clear_hold(order=order, by=clerk, hold_id=already.pk, reason="called")
        payments.cancel_order(
            order=order, by=supervisor, reason="Caller withdrew", idempotency_key=uuid.uuid4()
        )
        worked.refresh_from_db()
        assert (worked.cleared_by, worked.clear_reason) == (supervisor, "Caller withdrew")
        assert open_codes(order) == []
        assert not Hold.objects.open().filter(call_center=order.call_center).exists()
        cleared = order.events.filter(type="hold_cleared").order_by("pk")
        assert [e.parameters.get("cancelled", False) for e in cleared] == [False, True]
        already.refresh_from_db()
        assert already.clear_reason == "called"  # a hold cleared before keeps its reason
        with translation.override("en"):
            assert describe(cleared.last()) == (
                "RESEARCH cleared with the order's cancellation: Caller withdrew"
            )
        with translation.override("fr"):
            assert describe(cleared.last()) == (
                "RESEARCH levée avec l'annulation de la commande\u00a0: Caller withdrew"
            )

    def test_holds_left_open_on_orders_cancelled_before_are_cleared_by_the_migration(
        self, clerk, cash, supervisor, research
    ):
        import importlib

        from django.apps import apps

        from payments import services as payments

        migration = importlib.import_module(
            "orders.migrations.0013_clear_holds_of_cancelled_orders"
        )
        held = paid_submit(new_order(clerk), clerk, cash)
        hold = holds.place_hold(order=held, by=clerk, code=research, note="x")
        payments.cancel_order(
            order=held, by=supervisor, reason="Duplicate order", idempotency_key=uuid.uuid4()
        )
        # as cancelling left it before: open, without its clearing event
        OrderHold.objects.filter(pk=hold.pk).update(
            cleared_at=None, cleared_by=None, clear_reason=""
        )
        held.events.filter(type="hold_cleared").delete()
        still_held = new_order(clerk)
        other = holds.place_hold(order=still_held, by=clerk, code=research, note="x")

        migration.clear_holds_of_cancelled_orders(apps, None)

        hold.refresh_from_db()
        assert (hold.cleared_by, hold.clear_reason) == (supervisor, "Duplicate order")
        event = held.events.get(type="hold_cleared")
        assert event.user == supervisor
        assert event.parameters == {
            "hold": hold.pk,
            "code": "RESEARCH",
            "reason": "Duplicate order",
            "cancelled": True,
        }
        other.refresh_from_db()
        assert other.is_open  # an order that is not cancelled keeps its hold

    @pytest.mark.parametrize(
        ("paid", "said"),
        [
            ("110.00", "has a balance of 10.00: collect it before it is released."),
            ("140.00", "was paid 20.00 more than its total: refund it before it is released."),
        ],
    )
    def test_release_is_refused_until_the_order_is_paid_to_the_cent(self, clerk, cash, paid, said):
        order = paid_submit(new_order(clerk), clerk, cash)
        assert order.total == Decimal("120.00")
        SalesOrder.objects.filter(pk=order.pk).update(amount_paid=Decimal(paid))
        with pytest.raises(OrderError) as refused:
            holds.release_order(order=order, by=clerk)
        assert refused.value.message == f"Sales order {order.number} {said}"
        order.refresh_from_db()
        assert order.status == SalesOrder.Status.SUBMITTED

    def test_a_draft_cannot_be_released(self, clerk):
        with pytest.raises(OrderError, match="draft order cannot become processing"):
            holds.release_order(order=new_order(clerk), by=clerk)

    def test_release_orders_releases_only_unheld_orders(self, clerk, cash, research):
        held = paid_submit(new_order(clerk), clerk, cash)
        holds.place_hold(order=held, by=clerk, code=research, note="x")
        free = paid_submit(new_order(clerk), clerk, cash)
        call_command("release_orders")
        held.refresh_from_db()
        free.refresh_from_db()
        assert (held.status, free.status) == ("submitted", "processing")

    def test_mark_shipped_reads_a_file_and_is_idempotent(self, clerk, cash, tmp_path):
        order = holds.release_order(order=paid_submit(new_order(clerk), clerk, cash), by=clerk)
        shipped = tmp_path / "shipped.csv"
        shipped.write_text(f"number,tracking\n{order.number},1Z999\n")
        call_command("mark_shipped", str(shipped))
        call_command("mark_shipped", str(shipped))
        order.refresh_from_db()
        assert order.status == SalesOrder.Status.SHIPPED
        assert list(order.events.filter(type="shipped").values_list("parameters", flat=True)) == [
            {"tracking": "1Z999"}
        ]


@pytest.mark.django_db(transaction=True)
def test_two_supervisors_checking_out_one_hold_at_once_one_wins(clerk, call_center, research):
    first = ChannelUserFactory(call_center=call_center, role="supervisor").user
    second = ChannelUserFactory(call_center=call_center, role="supervisor").user
    order = new_order(clerk)
    hold = holds.place_hold(order=order, by=clerk, code=research, note="x")
    results, errors = run_together(
        lambda: holds.check_out_hold(order=order, by=first, hold_id=hold.pk),
        lambda: holds.check_out_hold(order=order, by=second, hold_id=hold.pk),
    )
    assert sum(r is not None for r in results) == 1
    refused = [e for e in errors if e is not None]
    assert len(refused) == 1 and "is already working this hold" in str(refused[0])
    hold.refresh_from_db()
    winner = first if results[0] is not None else second
    assert hold.checked_out_by == winner
    assert order.events.filter(type="hold_checked_out").count() == 1


@pytest.mark.django_db
def test_a_lapsed_check_out_can_be_taken_over(clerk, call_center, research):
    from datetime import timedelta

    from django.utils import timezone

    first = ChannelUserFactory(call_center=call_center, role="supervisor").user
    second = ChannelUserFactory(call_center=call_center, role="supervisor").user
    order = new_order(clerk)
    hold = holds.place_hold(order=order, by=clerk, code=research, note="x")
    holds.check_out_hold(order=order, by=first, hold_id=hold.pk)
    OrderHold.objects.filter(pk=hold.pk).update(
        checked_out_at=timezone.now() - timedelta(minutes=31)
    )
    assert holds.check_out_hold(order=order, by=second, hold_id=hold.pk).checked_out_by == second


@pytest.mark.django_db
class TestHoldsAfterAnEdit:
    def test_an_edit_raising_the_total_above_the_fraud_rule_puts_the_order_on_hold(
        self, clerk, cash
    ):
        FraudRule.objects.create(name="Big", kind="total_above", amount=Decimal("500"), score=100)
        order = paid_submit(new_order(clerk), clerk, cash)
        assert open_codes(order) == []
        line = order.lines.get()
        services.change_quantity(
            order=order, by=clerk, line_id=line.pk, quantity=10, version=order.version
        )
        assert open_codes(order) == ["FRAUD"]

    def test_an_edit_of_a_draft_places_no_hold(self, clerk):
        FraudRule.objects.create(name="Big", kind="total_above", amount=Decimal("500"), score=100)
        order = new_order(clerk)
        services.change_quantity(order=order, by=clerk, line_id=order.lines.get().pk, quantity=10)
        assert open_codes(order) == []


@pytest.mark.django_db
class TestShippingFile:
    """``mark_shipped FILE``: what a spreadsheet writes is read, what cannot be read is refused."""

    @pytest.fixture
    def released(self, clerk, cash):
        return holds.release_order(order=paid_submit(new_order(clerk), clerk, cash), by=clerk)

    def run(self, path):
        out, err = io.StringIO(), io.StringIO()
        call_command("mark_shipped", str(path), stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def shipped_tracking(self, order):
        order.refresh_from_db()
        assert order.status == SalesOrder.Status.SHIPPED
        return order.events.get(type="shipped").parameters["tracking"]

    @pytest.mark.parametrize(
        "content",
        [
            b"\xef\xbb\xbfnumber,tracking\r\n{number},1Z1\r\n",  # Excel's "CSV UTF-8"
            b"number;tracking\n{number};1Z1\n",  # a decimal-comma locale's CSV
            b"Number\tTracking\n{number}\t1Z1\n",  # tab-separated, capitalised header
        ],
        ids=["byte-order-mark", "semicolons", "tabs"],
    )
    def test_a_spreadsheets_csv_is_read(self, released, tmp_path, content):
        path = tmp_path / "shipped.csv"
        path.write_bytes(content.replace(b"{number}", released.number.encode()))
        out, err = self.run(path)
        assert (out, err) == ("1 shipped, 0 already shipped, 0 refused\n", "")
        assert self.shipped_tracking(released) == "1Z1"

    def test_a_single_column_file_is_read(self, released, tmp_path):
        path = tmp_path / "shipped.csv"
        path.write_text(f"\ufeffnumber\n{released.number}\n")  # no separator to detect
        assert self.run(path)[0] == "1 shipped, 0 already shipped, 0 refused\n"
        assert self.shipped_tracking(released) == ""

    @pytest.mark.parametrize(
        ("content", "said"),
        [
            (b"order,tracking\n{number},1Z1\n", "has no 'number' column (columns found: order, "),
            (b"", "has no 'number' column (columns found: none)"),
            (b"number,tracking\n{number},1Z\xe9\n", "is not a UTF-8 text file (byte "),
            (b"number,tracking\n{number},1Z1\nX\x00Y,\n", "holds a NUL character (line 3)"),
        ],
        ids=["no-number-column", "empty", "not-utf-8", "nul"],
    )
    def test_a_file_it_cannot_read_is_refused_and_changes_nothing(
        self, released, tmp_path, content, said
    ):
        path = tmp_path / "shipped.csv"
        path.write_bytes(content.replace(b"{number}", released.number.encode()))
        with pytest.raises(CommandError) as refused:
            self.run(path)
        assert str(refused.value).startswith(f"{path} {said}")
        released.refresh_from_db()
        assert released.status == SalesOrder.Status.PROCESSING

    def test_refused_rows_are_printed_and_fail_the_run_after_the_others_are_done(
        self, released, tmp_path
    ):
        path = tmp_path / "shipped.csv"
        path.write_text(f"number,tracking\nNOPE-1,\n,1Z2\n,\n{released.number},1Z1\n")
        err = io.StringIO()
        with pytest.raises(CommandError) as refused:
            call_command("mark_shipped", str(path), stdout=io.StringIO(), stderr=err)
        said = f"2 rows were refused: correct them in {path} and run it again."
        assert str(refused.value) == said
        assert err.getvalue() == (
            "line 2: NOPE-1: There is no sales order NOPE-1.\nline 3: no order number\n"
        )
        assert self.shipped_tracking(released) == "1Z1"

    def test_from_the_command_line_a_refused_file_exits_1_without_a_traceback(self, tmp_path):
        path = tmp_path / "shipped.csv"
        path.write_bytes(b"number\n\xff\xfe\n")
        result = subprocess.run(
            [sys.executable, "manage.py", "mark_shipped", str(path)],
            capture_output=True,
            text=True,
            env={**os.environ, "DEBUG": "1", "DATABASE_URL": ""},
            cwd=settings.BASE_DIR,
            timeout=60,
        )
        assert result.returncode == 1
        assert result.stderr == (
            f"CommandError: {path} is not a UTF-8 text file (byte 7): save it as CSV UTF-8.\n"
        )


def test_an_automatic_codes_name_is_shown_in_the_readers_language(logged_in, clerk):
    from orders.holds import FRAUD, _automatic_code

    order = make_order(clerk=clerk, lines=[(ProductFactory(), 1)])
    code = _automatic_code(FRAUD)  # created on first use, its name stored in English
    assert code.name == "Fraud check"
    OrderHold.objects.create(
        order=order, call_center=order.call_center, code=code, note="", created_by=clerk
    )
    logged_in.post(reverse("set_language"), {"language": "fr"})
    page = logged_in.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert "<strong>FRAUD</strong> Contrôle de fraude" in page
    code.name = "Vérification maison"  # a name an administrator gave stays as given
    code.save()
    page = logged_in.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert "<strong>FRAUD</strong> Vérification maison" in page
