"""Card gateways: the one door through which card money moves.

A gateway authorizes an amount on a card and answers with a token and the last
four digits; everything after that (capture, void, refund) names the token.
The card number and CVV go to ``authorize`` and nowhere else: they are never
stored, logged or returned. Every authorization carries the payment's
idempotency key, so a request retried after a timeout never charges twice.

The gateway in use is ``settings.PAYMENT_GATEWAY`` (a dotted path).
"""

import threading
import uuid
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


class GatewayError(Exception):
    """The gateway could not be reached or refused the request itself (not the card)."""


class GatewayTimeout(GatewayError):
    """No answer in time: the request may or may not have been done; retry with the same key."""


@dataclass(frozen=True)
class Authorization:
    approved: bool
    token: str
    last4: str
    brand: str
    message: str = ""


class Gateway(Protocol):
    def authorize(
        self,
        *,
        amount: Decimal,
        currency: str,
        card_number: str,
        expiry_month: int,
        expiry_year: int,
        cvv: str,
        idempotency_key: uuid.UUID,
    ) -> Authorization: ...

    def charge_token(
        self, *, token: str, amount: Decimal, currency: str, idempotency_key: uuid.UUID
    ) -> Authorization:
        """Authorize ``amount`` on the card a stored token names (a continuity renewal);
        the answer carries a new token for that authorization."""
        ...

    def capture(self, *, token: str, amount: Decimal) -> None: ...

    def void(self, *, token: str) -> None: ...

    def refund(self, *, token: str, amount: Decimal, idempotency_key: uuid.UUID) -> None: ...


def card_brand(card_number: str) -> str:
    if card_number.startswith("4"):
        return "Visa"
    if card_number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= card_number[:4] <= "2720":
        return "Mastercard"
    if card_number[:2] in {"34", "37"}:
        return "American Express"
    if card_number.startswith("6011") or card_number.startswith("65"):
        return "Discover"
    return "Card"


class TestGateway:
    """A gateway that behaves like a real one, for development, the demo and the tests.

    Test card numbers (any future expiry date, any three-digit CVV):

    - ``4000000000000002``: declined ("Card declined by the issuer")
    - ``4000000000009995``: declined ("Insufficient funds")
    - ``4000000000000119``: the gateway times out (raises :class:`GatewayTimeout`)
    - any other number that passes the Luhn check, e.g. ``4111111111111111``
      or ``5555555555554444``: approved

    Tokens derive from the idempotency key, so the same authorization asked
    twice answers the same token and counts once in ``charges``.

    A stored token is charged again by :meth:`charge_token` (continuity renewals).
    To see a renewal declined, tell the gateway the card behind a token stopped
    working: ``get_gateway().decline_token(token)`` (the tests' hook; optionally
    with the issuer's message).
    """

    __test__ = False  # not a pytest test class

    DECLINED = {
        "4000000000000002": gettext_noop("Card declined by the issuer."),
        "4000000000009995": gettext_noop("Insufficient funds."),
    }
    TIMEOUT = "4000000000000119"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: token -> {"amount", "captured", "voided", "refunded"}: what a real gateway's
        #: dashboard would show; never a card number
        self.charges: dict[str, dict] = {}
        #: stored token -> the message a charge on it is declined with
        self.declining_tokens: dict[str, str] = {}

    def authorize(
        self,
        *,
        amount,
        currency,
        card_number,
        expiry_month,
        expiry_year,
        cvv,
        idempotency_key,
    ) -> Authorization:
        if card_number == self.TIMEOUT:
            raise GatewayTimeout(_("The card gateway did not answer in time."))
        token = f"tok_test_{uuid.uuid5(uuid.NAMESPACE_URL, str(idempotency_key)).hex}"
        last4, brand = card_number[-4:], card_brand(card_number)
        if card_number in self.DECLINED:
            return Authorization(False, "", last4, brand, _(self.DECLINED[card_number]))
        with self._lock:
            self.charges.setdefault(
                token,
                {"amount": amount, "captured": False, "voided": False, "refunded": False},
            )
        return Authorization(True, token, last4, brand)

    def _charge(self, token: str) -> dict:
        if not token.startswith("tok_test_"):
            raise GatewayError(_("Unknown card token."))
        with self._lock:
            return self.charges.setdefault(
                token, {"amount": None, "captured": False, "voided": False, "refunded": False}
            )

    def decline_token(self, token: str, message: str = "") -> None:
        """From now on charges on ``token`` are declined (a test hook)."""
        with self._lock:
            self.declining_tokens[token] = message or gettext_noop("Card declined by the issuer.")

    def charge_token(self, *, token, amount, currency, idempotency_key) -> Authorization:
        self._charge(token)  # an unknown token is the gateway's error, not a decline
        new_token = f"tok_test_{uuid.uuid5(uuid.NAMESPACE_URL, str(idempotency_key)).hex}"
        with self._lock:
            declined = self.declining_tokens.get(token)
        if declined is not None:
            return Authorization(False, "", "", "", _(declined))
        with self._lock:
            self.charges.setdefault(
                new_token,
                {
                    "amount": amount,
                    "captured": False,
                    "voided": False,
                    "refunded": False,
                    "stored": token,
                },
            )
        return Authorization(True, new_token, "", "")

    def capture(self, *, token, amount) -> None:
        self._charge(token)["captured"] = True

    def void(self, *, token) -> None:
        self._charge(token)["voided"] = True

    def refund(self, *, token, amount, idempotency_key) -> None:
        charge = self._charge(token)
        with self._lock:
            # one refund per key: a retried request is not paid out twice
            charge.setdefault("refunds", {})[str(idempotency_key)] = amount
            charge["refunded"] = True


@cache
def get_gateway() -> Gateway:
    return import_string(settings.PAYMENT_GATEWAY)()
