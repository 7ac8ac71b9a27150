"""Demo payment methods, offered by the demo call centers, and USRT's demo gift cards."""

from decimal import Decimal

from .models import CallCenterPaymentMethod, GiftCard, PaymentMethod

METHODS = [
    ("CASH", "Cash", "Espèces", PaymentMethod.TenderType.CASH),
    ("CHECK", "Check", "Chèque", PaymentMethod.TenderType.CHECK),
    ("CARD", "Card", "Carte bancaire", PaymentMethod.TenderType.CARD),
    ("GIFT", "Gift card", "Carte cadeau", PaymentMethod.TenderType.GIFT_CARD),
    ("ACCOUNT", "On account", "En compte", PaymentMethod.TenderType.ON_ACCOUNT),
]

# Numbers documented in the README, USRT's cards; running the demo load again does not
# top them up.
GIFT_CARD_COMPANY = "USRT"
GIFT_CARDS = [
    ("6006491000000018", Decimal("50.00")),
    ("6006491000000026", Decimal("500.00")),
]


def load(call_center, codes=None) -> None:
    """Define the payment methods; offer those of ``codes`` (all by default) in the center.

    Cash over the balance is accepted (change due) in the demo centers.
    """
    for code, name, name_fr, tender_type in METHODS:
        method, _ = PaymentMethod.objects.get_or_create(
            code=code, defaults={"name": name, "name_fr": name_fr, "tender_type": tender_type}
        )
        if codes is None or code in codes:
            CallCenterPaymentMethod.objects.get_or_create(
                call_center=call_center,
                payment_method=method,
                defaults={
                    "allow_overpayment": tender_type == PaymentMethod.TenderType.CASH,
                    # preselected in the payment dialog, as the procedure pays cash
                    "is_default": tender_type == PaymentMethod.TenderType.CASH,
                },
            )
    if call_center.company != GIFT_CARD_COMPANY:
        return
    for number, balance in GIFT_CARDS:
        card, _ = GiftCard.objects.get_or_create(
            number=number,
            defaults={
                "company": GIFT_CARD_COMPANY,
                "balance": balance,
                "currency": call_center.currency,
            },
        )
        if not card.company:  # loaded before cards had a company, left without one since
            card.company = GIFT_CARD_COMPANY
            card.save(update_fields=["company"])
