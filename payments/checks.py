"""System checks of the payments app: ``manage.py check --deploy`` warns while cards are
taken by the test gateway, which approves test card numbers and takes no money."""

from django.conf import settings
from django.core import checks

TEST_GATEWAY = "payments.gateways.TestGateway"


@checks.register(checks.Tags.security, deploy=True)
def card_gateway(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if settings.PAYMENT_GATEWAY != TEST_GATEWAY:
        return []
    return [
        checks.Warning(
            "Card payments go to the test gateway: it approves test card numbers and "
            "takes no money.",
            hint="Set PAYMENT_GATEWAY to the dotted path of your card processor's gateway "
            "class (see payments/gateways.py for what it implements).",
            id="payments.W001",
        )
    ]
