"""Demo payment methods, offered by the demo call center."""

from .models import CallCenterPaymentMethod, PaymentMethod

METHODS = [
    ("CASH", "Cash", PaymentMethod.TenderType.CASH),
    ("CHECK", "Check", PaymentMethod.TenderType.CHECK),
    ("CARD", "Card", PaymentMethod.TenderType.CARD),
    ("GIFT", "Gift card", PaymentMethod.TenderType.GIFT_CARD),
]


def load(call_center, codes=None) -> None:
    """Define the payment methods; offer those of ``codes`` (all by default) in the center."""
    for code, name, tender_type in METHODS:
        method, _ = PaymentMethod.objects.get_or_create(
            code=code, defaults={"name": name, "tender_type": tender_type}
        )
        if codes is None or code in codes:
            CallCenterPaymentMethod.objects.get_or_create(
                call_center=call_center, payment_method=method
            )
