import uuid
from decimal import Decimal

import pytest

from payments.forms import luhn_valid
from payments.gateways import GatewayTimeout, TestGateway, card_brand


def authorize(gateway, number, key=None):
    return gateway.authorize(
        amount=Decimal("10.00"),
        currency="USD",
        card_number=number,
        expiry_month=12,
        expiry_year=2099,
        cvv="123",
        idempotency_key=key or uuid.uuid4(),
    )


def test_the_approving_test_card_gives_a_token_and_the_last_four_digits():
    result = authorize(TestGateway(), "4111111111111111")
    assert result.approved and result.token.startswith("tok_test_")
    assert (result.last4, result.brand) == ("1111", "Visa")
    assert "4111111111111111" not in repr(result)


@pytest.mark.parametrize("number", ["4000000000000002", "4000000000009995"])
def test_the_declining_test_cards_are_declined_with_a_reason(number):
    result = authorize(TestGateway(), number)
    assert not result.approved and result.token == "" and result.message


def test_the_timeout_test_card_raises_a_timeout():
    with pytest.raises(GatewayTimeout):
        authorize(TestGateway(), "4000000000000119")


def test_the_same_key_authorizes_once():
    gateway, key = TestGateway(), uuid.uuid4()
    assert authorize(gateway, "4111111111111111", key) == authorize(
        gateway, "4111111111111111", key
    )
    assert len(gateway.charges) == 1


def test_the_gateway_keeps_no_card_number():
    gateway = TestGateway()
    result = authorize(gateway, "4111111111111111")
    gateway.capture(token=result.token, amount=Decimal("10.00"))
    assert "4111111111111111" not in repr(gateway.charges)


@pytest.mark.parametrize(
    ("number", "valid"),
    [("4111111111111111", True), ("4111111111111112", False), ("5555555555554444", True)],
)
def test_luhn(number, valid):
    assert luhn_valid(number) is valid


def test_brands():
    assert card_brand("5555555555554444") == "Mastercard"
    assert card_brand("378282246310005") == "American Express"
