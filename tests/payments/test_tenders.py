"""Each tender through the payment service: what it takes, what it refuses, what it records."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import SalesOrder
from payments.errors import GatewayUnavailable, PaymentDeclined, PaymentError, SubmitRefused
from payments.gateways import get_gateway
from payments.models import Payment, PaymentEvent
from tests.factories import CustomerFactory, GiftCardFactory, ProductFactory, make_order
from tests.payments.conftest import APPROVED, DECLINED, TIMEOUT, card, pay, submit

pytestmark = pytest.mark.django_db


def event_types(payment):
    return list(payment.events.order_by("pk").values_list("type", flat=True))


class TestCash:
    def test_over_tendered_cash_pays_the_balance_and_records_the_change_due(
        self, order, clerk, tender
    ):
        cash = tender("cash", allow_overpayment=True)
        payment = pay(order, clerk, cash, "150.00")
        assert payment.status == Payment.Status.CAPTURED
        assert (payment.amount, payment.amount_tendered, payment.change_due) == (
            Decimal("120.00"),
            Decimal("150.00"),
            Decimal("30.00"),
        )
        order.refresh_from_db()
        assert order.amount_paid == Decimal("120.00")
        created = payment.events.get(type=PaymentEvent.Type.CREATED)
        assert created.parameters["change_due"] == "30.00"

    def test_over_tendered_cash_is_refused_where_the_call_center_does_not_allow_it(
        self, order, clerk, tender
    ):
        cash = tender("cash")
        with pytest.raises(PaymentError, match=r"more than the balance of 120\.00"):
            pay(order, clerk, cash, "150.00")
        assert not order.payments.exists()

    def test_exact_cash_has_no_change_due(self, order, clerk, tender):
        payment = pay(order, clerk, tender("cash", allow_overpayment=True), "120.00")
        assert payment.change_due == 0 and payment.amount_tendered is None


class TestCheck:
    def test_a_check_is_captured_with_its_number(self, order, clerk, tender):
        payment = pay(order, clerk, tender("check"), "120.00", check_number="1042")
        assert payment.status == Payment.Status.CAPTURED
        assert payment.check_number == "1042"

    def test_a_check_without_a_number_is_refused(self, order, clerk, tender):
        with pytest.raises(PaymentError, match="check number"):
            pay(order, clerk, tender("check"), "120.00", check_number="  ")

    def test_a_check_over_the_balance_is_refused_even_when_overpayment_is_allowed(
        self, order, clerk, tender
    ):
        check = tender("check", allow_overpayment=True)
        with pytest.raises(PaymentError, match="more than the balance"):
            pay(order, clerk, check, "130.00", check_number="1042")


class TestCard:
    def test_an_approved_card_is_authorized_with_a_token_and_last_four_only(
        self, order, clerk, tender
    ):
        payment = pay(order, clerk, tender("card"), "120.00", card=card(APPROVED))
        assert payment.status == Payment.Status.AUTHORIZED
        assert payment.card_token.startswith("tok_test_")
        assert (payment.card_last4, payment.card_brand) == ("1111", "Visa")
        assert (payment.card_expiry_month, payment.card_expiry_year) == (12, 2099)
        assert event_types(payment) == [PaymentEvent.Type.CREATED, PaymentEvent.Type.AUTHORIZED]
        order.refresh_from_db()
        assert order.amount_paid == Decimal("120.00")

    def test_a_declined_card_is_kept_in_the_ledger_and_counts_for_nothing(
        self, order, clerk, tender
    ):
        with pytest.raises(PaymentDeclined, match="ending 0002 was declined"):
            pay(order, clerk, tender("card"), "120.00", card=card(DECLINED))
        payment = order.payments.get()
        assert payment.status == Payment.Status.DECLINED
        assert payment.card_token == ""
        assert event_types(payment) == [PaymentEvent.Type.CREATED, PaymentEvent.Type.DECLINED]
        order.refresh_from_db()
        assert order.amount_paid == 0
        with pytest.raises(SubmitRefused, match=r"120\.00"):
            submit(order, clerk)

    def test_a_replayed_decline_asks_the_gateway_nothing_and_records_nothing_new(
        self, order, clerk, tender
    ):
        key = uuid.uuid4()
        method = tender("card")
        for _ in range(2):
            with pytest.raises(PaymentDeclined):
                pay(order, clerk, method, "120.00", key, card=card(DECLINED))
        assert order.payments.count() == 1

    def test_a_gateway_timeout_leaves_the_payment_pending_with_a_try_again_message(
        self, order, clerk, tender
    ):
        with pytest.raises(GatewayUnavailable, match="try again"):
            pay(order, clerk, tender("card"), "120.00", card=card(TIMEOUT))
        payment = order.payments.get()
        assert payment.status == Payment.Status.PENDING
        assert event_types(payment) == [PaymentEvent.Type.CREATED, PaymentEvent.Type.GATEWAY_ERROR]
        order.refresh_from_db()
        assert order.amount_paid == 0

    def test_retrying_after_a_timeout_with_the_same_key_authorizes_once(self, order, clerk, tender):
        key, method = uuid.uuid4(), tender("card")
        with pytest.raises(GatewayUnavailable):
            pay(order, clerk, method, "120.00", key, card=card(TIMEOUT))
        first = pay(order, clerk, method, "120.00", key, card=card(APPROVED))
        again = pay(order, clerk, method, "120.00", key, card=card(APPROVED))
        assert first.pk == again.pk
        assert order.payments.count() == 1
        assert first.status == Payment.Status.AUTHORIZED
        assert first.events.filter(type=PaymentEvent.Type.AUTHORIZED).count() == 1
        assert first.card_token in get_gateway().charges

    def test_a_retry_for_more_than_is_now_due_is_refused(self, order, clerk, tender):
        key, method = uuid.uuid4(), tender("card")
        with pytest.raises(GatewayUnavailable):
            pay(order, clerk, method, "100.00", key, card=card(TIMEOUT))
        pay(order, clerk, tender("cash"), "50.00")  # the pending payment is not counted
        with pytest.raises(PaymentError, match=r"more than the balance of 70\.00"):
            pay(order, clerk, method, "100.00", key, card=card(APPROVED))
        payment = order.payments.get(idempotency_key=key)
        assert payment.status == Payment.Status.PENDING
        assert payment.card_token == ""  # the gateway was not asked again

    def test_a_retry_with_another_amount_is_refused_and_charges_nothing(self, order, clerk, tender):
        key, method = uuid.uuid4(), tender("card")
        with pytest.raises(GatewayUnavailable):
            pay(order, clerk, method, "120.00", key, card=card(TIMEOUT))
        with pytest.raises(PaymentError, match=r"card payment of 120\.00 that is still pending"):
            pay(order, clerk, method, "50.00", key, card=card(APPROVED))
        payment = order.payments.get()
        assert (payment.amount, payment.status) == (Decimal("120.00"), Payment.Status.PENDING)
        assert payment.card_token == ""  # the gateway was not asked again
        assert pay(order, clerk, method, "120.00", key, card=card()).status == "authorized"

    def test_a_form_posted_again_with_another_method_is_refused(self, order, clerk, tender):
        key = uuid.uuid4()
        pay(order, clerk, tender("cash"), "20.00", key)
        with pytest.raises(PaymentError, match=r"already took a payment of 20\.00 by Cash"):
            pay(order, clerk, tender("check"), "20.00", key, check_number="1001")
        assert order.payments.count() == 1

    def test_over_tendered_cash_posted_again_is_the_same_payment(self, order, clerk, tender):
        key, cash = uuid.uuid4(), tender("cash", allow_overpayment=True)
        first = pay(order, clerk, cash, "150.00", key)
        assert pay(order, clerk, cash, "150.00", key).pk == first.pk
        assert order.payments.count() == 1

    def test_a_card_payment_above_the_balance_is_refused(self, order, clerk, tender):
        with pytest.raises(PaymentError, match=r"Enter at most 120\.00"):
            pay(order, clerk, tender("card"), "120.01", card=card())

    def test_submit_captures_the_authorized_card(self, order, clerk, tender):
        payment = pay(order, clerk, tender("card"), "120.00", card=card())
        assert submit(order, clerk).status == SalesOrder.Status.SUBMITTED
        payment.refresh_from_db()
        assert payment.status == Payment.Status.CAPTURED
        assert get_gateway().charges[payment.card_token]["captured"]
        assert event_types(payment)[-1] == PaymentEvent.Type.CAPTURED


class TestGiftCard:
    def test_a_gift_card_is_redeemed_and_its_balance_lowered(self, order, clerk, tender):
        gift_card = GiftCardFactory(balance=Decimal("50.00"))
        payment = pay(order, clerk, tender("gift_card"), "50.00", gift_card_number=gift_card.number)
        gift_card.refresh_from_db()
        assert gift_card.balance == 0
        assert payment.status == Payment.Status.CAPTURED
        assert payment.gift_card == gift_card

    def test_the_number_is_found_as_typed_with_spaces(self, order, clerk, tender):
        gift_card = GiftCardFactory(number="6006491000000018")
        pay(order, clerk, tender("gift_card"), "10.00", gift_card_number="6006 4910 0000 0018")
        gift_card.refresh_from_db()
        assert gift_card.balance == Decimal("40.00")

    def test_more_than_the_card_balance_is_refused_with_the_balance(self, order, clerk, tender):
        gift_card = GiftCardFactory(balance=Decimal("30.00"))
        with pytest.raises(PaymentError, match=r"balance of 30\.00. Enter at most 30\.00"):
            pay(order, clerk, tender("gift_card"), "40.00", gift_card_number=gift_card.number)
        gift_card.refresh_from_db()
        assert gift_card.balance == Decimal("30.00")

    @pytest.mark.parametrize("number", ["0000000000000000", "inactive"])
    def test_an_unknown_or_inactive_card_is_refused(self, order, clerk, tender, number):
        inactive = GiftCardFactory(is_active=False)
        with pytest.raises(PaymentError, match="No active gift card"):
            pay(
                order,
                clerk,
                tender("gift_card"),
                "10.00",
                gift_card_number=inactive.number if number == "inactive" else number,
            )

    def test_another_companys_card_is_refused_as_an_unknown_number_and_keeps_its_balance(
        self, order, clerk, tender
    ):
        theirs = GiftCardFactory(
            company="FABR", number="6006491000000026", balance=Decimal("500.00")
        )
        with pytest.raises(PaymentError) as refused:
            pay(order, clerk, tender("gift_card"), "50.00", gift_card_number=theirs.number)
        with pytest.raises(PaymentError) as unknown:
            pay(order, clerk, tender("gift_card"), "50.00", gift_card_number="6006499999990026")
        assert str(refused.value) == str(unknown.value)
        assert "No active gift card has the number ending 0026" in str(refused.value)
        theirs.refresh_from_db()
        assert theirs.balance == Decimal("500.00")
        assert not order.payments.exists()

    def test_a_card_of_the_call_centers_own_company_pays(self, clerk, call_center, tender):
        call_center.company = "FABR"
        call_center.save(update_fields=["company"])
        customer = CustomerFactory(company="FABR")
        order = make_order(clerk=clerk, customer=customer, lines=[(ProductFactory(), 1)])
        ours = GiftCardFactory(company="FABR", balance=Decimal("500.00"))
        payment = pay(order, clerk, tender("gift_card"), "50.00", gift_card_number=ours.number)
        ours.refresh_from_db()
        assert (payment.gift_card, ours.balance) == (ours, Decimal("450.00"))

    def test_a_gift_card_in_another_currency_is_refused(self, order, clerk, tender):
        gift_card = GiftCardFactory(currency="EUR")
        with pytest.raises(PaymentError, match="EUR"):
            pay(order, clerk, tender("gift_card"), "10.00", gift_card_number=gift_card.number)

    def test_split_tender_gift_card_then_card_covers_the_order(self, order, clerk, tender):
        gift_card = GiftCardFactory(balance=Decimal("50.00"))
        pay(order, clerk, tender("gift_card"), "50.00", gift_card_number=gift_card.number)
        pay(order, clerk, tender("card"), "70.00", card=card())
        assert submit(order, clerk).status == SalesOrder.Status.SUBMITTED
        assert sorted(order.payments.values_list("status", flat=True)) == ["captured", "captured"]


class TestOnAccount:
    @pytest.fixture
    def customer(self):
        return CustomerFactory(credit_limit=Decimal("200.00"))

    def order_for(self, clerk, customer):
        return make_order(clerk=clerk, customer=customer, lines=[(ProductFactory(), 1)])

    def test_on_account_is_taken_within_the_credit_limit(self, clerk, tender, customer):
        order = self.order_for(clerk, customer)
        payment = pay(order, clerk, tender("on_account"), "120.00")
        assert payment.status == Payment.Status.CAPTURED

    def test_the_open_on_account_balance_of_other_orders_uses_the_credit(
        self, clerk, tender, customer
    ):
        method = tender("on_account")
        pay(self.order_for(clerk, customer), clerk, method, "120.00")
        second = self.order_for(clerk, customer)
        with pytest.raises(PaymentError, match=r"80\.00 of credit available"):
            pay(second, clerk, method, "120.00")
        pay(second, clerk, method, "80.00")

    def test_a_cancelled_order_gives_its_credit_back(self, clerk, tender, customer):
        from tests.payments.conftest import cancel

        method = tender("on_account")
        first = self.order_for(clerk, customer)
        pay(first, clerk, method, "120.00")
        cancel(first, clerk)
        pay(self.order_for(clerk, customer), clerk, method, "120.00")

    def test_a_customer_without_a_credit_limit_cannot_pay_on_account(self, clerk, tender):
        order = self.order_for(clerk, CustomerFactory(credit_limit=None))
        with pytest.raises(PaymentError, match="no credit limit"):
            pay(order, clerk, tender("on_account"), "10.00")

    def test_the_customer_page_shows_the_on_account_balance_and_credit_left(
        self, client, clerk, tender, customer
    ):
        pay(self.order_for(clerk, customer), clerk, tender("on_account"), "120.00")
        client.force_login(clerk)
        content = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
        assert 'id="customer-on-account">120.00<' in content
        assert 'id="customer-credit-available">80.00<' in content

    def test_a_customer_not_on_account_has_no_balance_shown(self, client, clerk):
        client.force_login(clerk)
        customer = CustomerFactory(credit_limit=None)
        content = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
        assert "customer-on-account" not in content
