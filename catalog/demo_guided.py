"""Demo data of guided selling: scripts, product pictures, upsell and cross-sell rules.

The seed walk-through is unchanged: adding 81327 prompts the speaker upsell,
which the clerk may answer or ignore; the cross-sell only starts above 200.00.
"""

from decimal import Decimal

from callcenter.models import CallCenter

from .models import (
    Product,
    ProductCategory,
    ProductImage,
    Script,
    SourceCode,
    UpsellRule,
)

ACCESSORIES = [("81340", "Fabrikam speaker stand", Decimal("24.99"))]
IMAGES = ["81327", "81328", "81330", "81340"]


def load() -> None:
    for item_number, name, price in ACCESSORIES:
        Product.objects.get_or_create(
            item_number=item_number, defaults={"name": name, "price": price}
        )
    products = {p.item_number: p for p in Product.objects.filter(item_number__startswith="813")}
    for item_number in IMAGES:
        ProductImage.objects.get_or_create(
            product=products[item_number],
            defaults={"path": f"catalog/products/{item_number}.svg"},
        )
    speakers, created = ProductCategory.objects.get_or_create(
        code="SPEAKERS", defaults={"name": "Speakers"}
    )
    if created:
        speakers.products.add(products["81327"], products["81328"])
    _load_scripts(products)
    _load_rules(products)


def _script(name: str, moment: str, text: str, **targets) -> None:
    Script.objects.get_or_create(name=name, defaults={"moment": moment, "text": text, **targets})


def _load_scripts(products) -> None:
    center = CallCenter.objects.filter(code="USRT-CC").first()
    _script(
        "USRT greeting",
        Script.Moment.ORDER_OPENED,
        "Thank you for calling USRT, this is … speaking. "
        "May I have the code printed on the back of your catalog?",
        call_center=center,
    )
    _script(
        "USRT closing",
        Script.Moment.CLOSING,
        "Your order number is on your screen: please note it. "
        "Thank you for shopping with USRT, and have a nice day.",
        call_center=center,
    )
    fab26 = SourceCode.objects.filter(code="FAB26").first()
    if fab26 is not None:
        _script(
            "FAB26 main mailing",
            Script.Moment.SOURCE_CODE_ENTERED,
            "Thank you for ordering from the Fabrikam semiannual catalog. "
            "Everything on pages 4 to 19 ships within two days.",
            source_code=fab26,
        )
    _script(
        "Wireless speaker",
        Script.Moment.PRODUCT_ADDED,
        "The wireless speaker plays for twelve hours on a charge and pairs with two phones.",
        product=products["81327"],
    )


def _load_rules(products) -> None:
    speaker, created = UpsellRule.objects.get_or_create(
        name="Wireless speaker: large model and stand",
        defaults={
            "kind": UpsellRule.Kind.UPSELL,
            "trigger_product": products["81327"],
            "script": "For a bigger room, the large model has twice the sound. "
            "And the matching stand keeps the speaker off the desk for 24.99.",
        },
    )
    if created:
        speaker.suggested_products.add(products["81328"], products["81340"])
    big_order, created = UpsellRule.objects.get_or_create(
        name="Orders above 200.00: headphones",
        defaults={
            "kind": UpsellRule.Kind.CROSS_SELL,
            "min_order_total": Decimal("200.00"),
            "script": "With an order this size, may I suggest our headphones? "
            "They are perfect for private listening.",
        },
    )
    if created:
        big_order.suggested_products.add(products["81330"])
