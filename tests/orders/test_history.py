"""The order's history in words: every kind of event, in the reader's language."""

import pytest
from django.utils import translation

from orders.history import describe
from orders.models import OrderEvent

T = OrderEvent.Type


def event(type_, **parameters):
    return OrderEvent(type=type_, parameters=parameters)


# (event, English, French): the parameters as orders/events.py writes them
WORDED = [
    (
        event(T.CREATED, number="USRT-000001", customer="2001", call_center="USRT-CC"),
        "order USRT-000001 for customer 2001, call center USRT-CC",
        "commande USRT-000001 pour le client 2001, centre d'appels USRT-CC",
    ),
    (event(T.COMPLETED, total="1234.50"), "total 1,234.50", "total 1\u00a0234,50"),
    (event(T.RELEASED, total="120.00"), "total 120.00", "total 120,00"),
    (
        event(T.SUBMITTED, total="120.00", paid="120.00"),
        "total 120.00, paid 120.00",
        "total 120,00, payé 120,00",
    ),
    (
        event(T.PAYMENT_ADDED, payment=7, method="Cash", amount="120.00"),
        "Cash 120.00 (payment 7)",
        "Cash 120,00 (paiement 7)",
    ),
    (
        event(T.PAYMENT_REFUNDED, payment=7, method="Cash", method_fr="Espèces", amount="11.00"),
        "Cash 11.00 (payment 7)",
        "Espèces 11,00 (paiement 7)",
    ),
    (
        event(T.PAYMENT_VOIDED, payment=8, method="Card", amount="120.00"),
        "Card 120.00 (payment 8)",
        "Card 120,00 (paiement 8)",
    ),
    (
        event(T.PAYMENT_ADDED, payment=7, method="Cash", method_fr="Espèces", amount="120.00"),
        "Cash 120.00 (payment 7)",
        "Espèces 120,00 (paiement 7)",
    ),
    (
        event(T.PAYMENT_STATUS_CHANGED, old="none", new="covered"),
        "Not paid → Paid",
        "Non payé → Payé",
    ),
    (
        event(T.SUBMIT_REFUSED, reason="Submit refused: ...", balance="12.50"),
        "a balance of 12.50 was still due",
        "un solde de 12,50 restait dû",
    ),
    (
        event(T.SUBMIT_REFUSED, reason="Submit refused: ...", balance="-5.00"),
        "the payments were 5.00 more than the total",
        "5,00 avaient été payés en trop",
    ),
    (event(T.COUPON_APPLIED, code="SAVE5", replaced=""), "SAVE5", "SAVE5"),
    (
        event(T.COUPON_APPLIED, code="SAVE5", replaced="OLD10"),
        "SAVE5, in place of OLD10",
        "SAVE5, à la place de OLD10",
    ),
    (event(T.COUPON_REDEEMED, code="SAVE5"), "SAVE5", "SAVE5"),
    (event(T.UPSELL_ACCEPTED, items=["81340"]), "81340", "81340"),
    (event(T.UPSELL_DISMISSED, items=["81328", "81330"]), "81328, 81330", "81328, 81330"),
    (
        event(
            T.PRICE_OVERRIDDEN,
            line=2,
            item_number="81327",
            old="",
            new="90.00",
            computed="100.00",
            reason="Damaged box",
            beyond_limit=False,
            approved_by="",
        ),
        "line 2, 81327: 90.00 instead of 100.00 (reason: Damaged box)",
        "ligne 2, 81327\u00a0: 90,00 au lieu de 100,00 (motif\u00a0: Damaged box)",
    ),
    (
        event(
            T.PRICE_OVERRIDDEN,
            line=2,
            item_number="81327",
            old="90.00",
            new="50.00",
            computed="100.00",
            reason="Goodwill",
            beyond_limit=True,
            approved_by="supervisor",
        ),
        "line 2, 81327: 50.00 instead of 100.00 (reason: Goodwill), beyond the clerk's limit,"
        " by supervisor",
        "ligne 2, 81327\u00a0: 50,00 au lieu de 100,00 (motif\u00a0: Goodwill), au-delà de la"
        " limite de l'agent, par supervisor",
    ),
    (
        event(
            T.PRICE_OVERRIDDEN,
            line=1,
            item_number="81327",
            old="90.00",
            new="",
            computed="100.00",
            reason="",
        ),
        "line 1, 81327: back to the computed price 100.00",
        "ligne 1, 81327\u00a0: retour au prix calculé 100,00",
    ),
    (
        event(T.RETURN_CREATED, number="USRT-R000001", amount="24.99", reason="Damaged"),
        "return USRT-R000001, 24.99: Damaged",
        "retour USRT-R000001, 24,99\u00a0: Damaged",
    ),
    (
        event(T.LINE_ADDED, line=1, item_number="81327", quantity=2, unit_price="100.00"),
        "line 1, 2 × 81327",
        "ligne 1, 2 × 81327",
    ),
]


@pytest.mark.parametrize(("event", "english", "french"), WORDED)
def test_each_kind_of_event_is_worded_in_the_reader_s_language(event, english, french):
    with translation.override("en"):
        assert describe(event) == english
    with translation.override("fr"):
        assert describe(event) == french


def test_every_kind_of_event_has_its_own_words():
    """No kind falls through to the values-only fallback that a new kind would get."""
    worded = {e.type for e, _en, _fr in WORDED} | {
        T.HEADER_CHANGED,
        T.LINE_REMOVED,
        T.LINE_CANCELLED,
        T.CANCELLED,
        T.HOLD_PLACED,
        T.HOLD_CHECKED_OUT,
        T.HOLD_CLEARED,
        T.SHIPPED,
        T.COUPON_REMOVED,
        T.COUPON_RELEASED,
    }
    assert worded == set(T.values)


def test_a_refusal_written_without_its_balance_shows_the_sentence_the_clerk_saw():
    refused = event(T.SUBMIT_REFUSED, reason="Submit refused: a balance of 5.00 is still due.")
    assert describe(refused) == "Submit refused: a balance of 5.00 is still due."


def test_a_kind_of_event_this_version_does_not_know_shows_its_values_without_keys():
    assert describe(event("imported", source="legacy", total="10.00", note="")) == ("legacy, 10.00")


def test_in_french_a_placed_hold_is_named_as_an_event_not_as_the_button():
    from django.utils.translation import gettext

    with translation.override("fr"):
        assert event(T.HOLD_PLACED).get_type_display() == "Mise en attente"
        assert gettext("Put on hold") == "Mettre en attente"  # the button
