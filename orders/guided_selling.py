"""Guided selling on a sales order: scripts, upsell and cross-sell prompts, catalog
requests and quick quotes.

The rules and texts are catalog data (``catalog.models.Script``,
``catalog.models.UpsellRule``); what happens on one order — an offer made,
accepted or dismissed, a catalog request taken — is recorded here. Lines are
only ever added through :func:`orders.services.add_line`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from callcenter import reference
from callcenter.models import CallCenter, DeliveryMode
from catalog.models import Catalog, Product, ProductCategory, Script, SourceCode, UpsellRule
from customers.models import Address, Customer

from . import events, services
from .errors import InvalidOrderData, OrderError
from .models import CatalogRequest, SalesLine, SalesOrder, UpsellOffer
from .selectors import order_lines


class DirectSellingOff(OrderError):
    """Scripts, source codes and catalog requests are switched off in the call center."""


def direct_selling_refusal(call_center: CallCenter) -> str:
    return _(
        "Direct selling is off in call center %(code)s: scripts and catalog requests are not used."
    ) % {"code": call_center.code}


def _ensure_direct_selling(call_center: CallCenter) -> None:
    if not call_center.direct_selling_enabled:
        raise DirectSellingOff(direct_selling_refusal(call_center))


# --- Upsell and cross-sell prompts ---


@dataclass(frozen=True)
class _Rule:
    pk: int
    trigger_product_id: int | None
    trigger_category_id: int | None
    min_order_total: Decimal | None
    suggested: tuple[int, ...]  # product ids, by item number


@dataclass(frozen=True)
class _Rules:
    rules: tuple[_Rule, ...]
    categories: dict[int, frozenset[int]]  # the trigger categories' products


def _center_rules(center: CallCenter) -> _Rules:
    """The active upsell rules of the call center and of all centers, in their order."""

    def load() -> _Rules:
        rules = tuple(
            _Rule(
                rule.pk,
                rule.trigger_product_id,
                rule.trigger_category_id,
                rule.min_order_total,
                tuple(product.pk for product in rule.suggested_products.all()),
            )
            for rule in UpsellRule.objects.active()
            .filter(Q(call_center__isnull=True) | Q(call_center=center))
            .prefetch_related("suggested_products")
        )
        category_ids = {rule.trigger_category_id for rule in rules if rule.trigger_category_id}
        categories: dict[int, set[int]] = {pk: set() for pk in category_ids}
        links = ProductCategory.products.through.objects.filter(productcategory__in=category_ids)
        for category_id, product_id in links.values_list("productcategory_id", "product_id"):
            categories[category_id].add(product_id)
        return _Rules(rules, {pk: frozenset(ids) for pk, ids in categories.items()})

    return reference.cached(center, "upsell_rules", load)


def _rules_triggered(order: SalesOrder, line: SalesLine) -> list[_Rule]:
    """The active rules of the order's call center that the new line (or the new total) sets off."""
    setup = _center_rules(order.call_center)
    product_id = line.product_id
    return [
        rule
        for rule in setup.rules
        if (rule.min_order_total is not None and rule.min_order_total < order.total)
        or (
            product_id is not None
            and (
                rule.trigger_product_id == product_id
                or product_id in setup.categories.get(rule.trigger_category_id, ())
            )
        )
    ]


def offer_upsells(*, order: SalesOrder, line: SalesLine, by) -> list[UpsellOffer]:
    """Record the suggestions a line just added sets off; called by ``services.add_line``
    on the locked, re-priced order.

    A suggestion already made on this order (offered, accepted or dismissed) is
    not made again, and products already on the order are not suggested. A
    pending suggestion of the product just added counts as accepted: the clerk
    typed it instead of pressing Add.
    """
    made = {}
    for rule_id, product_id, status in order.upsell_offers.order_by().values_list(
        "rule_id", "product_id", "status"
    ):
        made[rule_id, product_id] = status
    # the page's prompt stays as it is unless an offer is accepted or made below
    order.upsell_prompt_unchanged = True
    if line.product_id is not None and any(
        product_id == line.product_id and status == UpsellOffer.Status.OFFERED
        for (_rule, product_id), status in made.items()
    ):
        order.upsell_prompt_unchanged = False
        order.upsell_offers.filter(
            product_id=line.product_id, status=UpsellOffer.Status.OFFERED
        ).update(
            status=UpsellOffer.Status.ACCEPTED, decided_by=by, decided_at=timezone.now(), line=line
        )
    on_order = {line.product_id for line in order_lines(order) if line.product_id}
    wanted = []
    for rule in _rules_triggered(order, line):
        for product_id in rule.suggested:
            if product_id in on_order or (rule.pk, product_id) in made:
                continue
            made[rule.pk, product_id] = UpsellOffer.Status.OFFERED
            wanted.append((rule.pk, product_id))
    if not wanted:
        return []
    active = set(
        Product.objects.filter(
            pk__in={product_id for _rule, product_id in wanted}, is_active=True
        ).values_list("pk", flat=True)
    )
    offers = [
        UpsellOffer(order=order, rule_id=rule_id, product_id=product_id, offered_by=by)
        for rule_id, product_id in wanted
        if product_id in active
    ]
    if offers:
        order.upsell_prompt_unchanged = False
    return UpsellOffer.objects.bulk_create(offers, ignore_conflicts=True)


@dataclass
class PromptRule:
    rule: UpsellRule
    offers: list[UpsellOffer] = field(default_factory=list)


def pending_prompts(order: SalesOrder) -> list[PromptRule]:
    """The suggestions waiting for the clerk's answer, grouped by rule, in one query."""
    if not order.is_editable:
        return []
    offers = sorted(
        order.upsell_offers.filter(status=UpsellOffer.Status.OFFERED)
        .select_related("rule", "product", "product__image")
        .order_by(),  # sorted here: cheaper than Django compiling an ORDER BY this wide
        key=lambda offer: (offer.rule.sort_order, offer.rule_id, offer.product.item_number),
    )
    prices = services.caller_prices(order, [offer.product for offer in offers])
    prompts: dict[int, PromptRule] = {}
    for offer in offers:
        offer.caller_price = prices[offer.product_id]  # the customer's, not the list price
        prompts.setdefault(offer.rule_id, PromptRule(rule=offer.rule)).offers.append(offer)
    return list(prompts.values())


@transaction.atomic
def accept_upsell(*, order: SalesOrder, by, offer_id: int, quantity: int = 1) -> SalesLine:
    """Add the suggested product to the order (through ``services.add_line``) and record
    the offer as accepted."""
    order = services.lock(order, by=by)
    offer = (
        order.upsell_offers.select_for_update(of=("self",))
        .select_related("product")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None or offer.status != UpsellOffer.Status.OFFERED or not order.is_editable:
        raise InvalidOrderData(
            _("That suggestion is no longer offered: it was already added or dismissed.")
        )
    line = services.add_line(order=order, by=by, product=offer.product, quantity=quantity)
    events.upsell_answered(order=order, by=by, items=[offer.product.item_number], accepted=True)
    # add_line's own hook marks a pending offer of the product accepted; make sure of it.
    UpsellOffer.objects.filter(pk=offer.pk, status=UpsellOffer.Status.OFFERED).update(
        status=UpsellOffer.Status.ACCEPTED, decided_by=by, decided_at=timezone.now(), line=line
    )
    return line


@transaction.atomic
def dismiss_upsell(*, order: SalesOrder, by, rule_id: int | None = None) -> int:
    """Dismiss the pending suggestions (of one rule, or all): they do not come back on
    this order. Returns how many were dismissed."""
    order = services.lock(order, by=by)
    pending = order.upsell_offers.filter(status=UpsellOffer.Status.OFFERED)
    if rule_id is not None:
        pending = pending.filter(rule_id=rule_id)
    items = sorted(set(pending.values_list("product__item_number", flat=True)))
    dismissed = pending.update(
        status=UpsellOffer.Status.DISMISSED, decided_by=by, decided_at=timezone.now()
    )
    if dismissed:
        events.upsell_answered(order=order, by=by, items=items, accepted=False)
    return dismissed


def conversion(rule: UpsellRule) -> dict[str, int]:
    """How often the rule's suggestions were offered, accepted and dismissed."""
    counts = dict.fromkeys(UpsellOffer.Status.values, 0)
    for status in UpsellOffer.objects.filter(rule=rule).values_list("status", flat=True):
        counts[status] += 1
    counts["total"] = sum(counts.values())
    return counts


# --- Scripts ---


@dataclass
class ScriptEntry:
    title: str
    text: str


@dataclass
class ScriptPanel:
    greeting: list[ScriptEntry] = field(default_factory=list)
    source_code: list[ScriptEntry] = field(default_factory=list)
    products: list[ScriptEntry] = field(default_factory=list)
    closing: list[ScriptEntry] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.greeting or self.source_code or self.products or self.closing)


@dataclass(frozen=True)
class _Script:
    moment: str
    name: str
    text: str
    product_id: int | None
    source_code_id: int | None
    catalog_id: int | None


def _center_scripts(center: CallCenter) -> tuple[_Script, ...]:
    """The active scripts of the call center and of all centers, in their order."""
    return reference.cached(
        center,
        "scripts",
        lambda: tuple(
            _Script(*row)
            for row in Script.objects.active()
            .filter(Q(call_center__isnull=True) | Q(call_center=center))
            .values_list("moment", "name", "text", "product_id", "source_code_id", "catalog_id")
        ),
    )


def scripts_for(order: SalesOrder) -> ScriptPanel | None:
    """What the clerk reads on this order, by moment of the call; None when direct selling
    is off in the order's call center.

    A fixed number of queries, whatever the number of lines (none once the center's
    scripts are kept and the lines read for the page).
    """
    center = order.call_center
    if not center.direct_selling_enabled:
        return None
    lines = order_lines(order)
    product_ids = [line.product_id for line in lines if line.product_id]
    codes = {line.source_code for line in lines if line.source_code_id}
    if order.source_code_id:
        codes.add(order.source_code)
    codes = sorted(codes, key=lambda code: code.code)
    code_ids = {code.pk for code in codes}
    catalog_ids = {code.catalog_id for code in codes}
    on_order = set(product_ids)

    panel = ScriptPanel()
    by_product: dict[int, list[ScriptEntry]] = {}
    for script in _center_scripts(center):
        entry = ScriptEntry(title=script.name, text=script.text)
        if script.moment == Script.Moment.ORDER_OPENED:
            panel.greeting.append(entry)
        elif script.moment == Script.Moment.CLOSING:
            panel.closing.append(entry)
        elif script.moment == Script.Moment.SOURCE_CODE_ENTERED:
            if codes and (
                script.source_code_id in code_ids
                or (script.source_code_id is None and script.catalog_id in catalog_ids)
            ):
                panel.source_code.append(entry)
        elif script.moment == Script.Moment.PRODUCT_ADDED and script.product_id in on_order:
            by_product.setdefault(script.product_id, []).append(entry)
    for code in codes:
        if code.script:  # a source code may carry its own script text
            panel.source_code.insert(0, ScriptEntry(title=code.code, text=code.script))
    # the product added last comes first: that is what the clerk is talking about
    for product_id in dict.fromkeys(reversed(product_ids)):
        panel.products.extend(by_product.get(product_id, []))
    return panel


# --- Catalog requests ---


@transaction.atomic
def record_catalog_request(
    *,
    customer: Customer,
    call_center: CallCenter,
    catalog: Catalog,
    by,
    source_code: SourceCode | None = None,
    address: Address | None = None,
) -> CatalogRequest:
    """Take a request to mail ``catalog`` to the customer, at their (primary) address."""
    services.ensure_channel_user(call_center, by)
    _ensure_direct_selling(call_center)
    if customer.company != call_center.company:
        raise OrderError(
            _("Customer %(account)s is a customer of %(company)s, not of this call center.")
            % {"account": customer.account_number, "company": customer.company}
        )
    today = call_center.today()
    if catalog.company not in ("", call_center.company):
        # another company's catalog is as unknown as one that does not exist
        raise InvalidOrderData(
            _("Choose one of the catalogs offered."),
            field="catalog",
        )
    if catalog.valid_to is not None and catalog.valid_to < today:
        raise InvalidOrderData(
            _("Catalog %(name)s is no longer mailed: it ran until %(date)s.")
            % {"name": catalog.name, "date": catalog.valid_to},
            field="catalog",
        )
    if source_code is not None and (
        source_code.catalog_id != catalog.pk
        or not source_code.is_valid_on(today, call_center.company)
    ):
        raise InvalidOrderData(
            _("Source code %(code)s is not an active code of catalog %(name)s.")
            % {"code": source_code.code, "name": catalog.name},
            field="source_code",
        )
    if address is None:
        address = customer.primary_address
    elif address.customer_id != customer.pk:
        raise InvalidOrderData(_("Choose one of the customer's addresses."), field="address")
    if address is None:
        raise InvalidOrderData(
            _("Customer %(account)s has no address to mail the catalog to: add one first.")
            % {"account": customer.account_number},
            field="address",
        )
    return CatalogRequest.objects.create(
        customer=customer,
        call_center=call_center,
        catalog=catalog,
        source_code=source_code,
        name=customer.name,
        street=address.street,
        city=address.city,
        state=address.state,
        postal_code=address.postal_code,
        country=address.country,
        requested_by=by,
    )


def mark_exported(requests, *, at=None) -> int:
    """Mark the requested (not yet exported) ones among ``requests`` as exported at ``at``."""
    return requests.filter(status=CatalogRequest.Status.REQUESTED).update(
        status=CatalogRequest.Status.EXPORTED, exported_at=at or timezone.now()
    )


# --- Quick quote ---


@dataclass
class QuoteLine:
    product: Product
    quantity: int
    available: bool
    unit_price: Decimal | None = None
    discount: Decimal | None = None
    amount: Decimal | None = None


@dataclass
class Quote:
    lines: list[QuoteLine]
    subtotal: Decimal
    discount_total: Decimal
    charges_total: Decimal
    tax_total: Decimal
    total: Decimal


class _DiscardQuote(Exception):
    pass


def quick_quote(
    *,
    customer: Customer,
    call_center: CallCenter,
    by,
    items: list[tuple[Product, int]],
    delivery_mode: DeliveryMode | None = None,
    source_code: SourceCode | None = None,
) -> Quote:
    """Price and availability of items for the customer, without creating an order.

    The items are priced by the very services that price a sales order (price
    groups, source code, charges, tax), on a draft built inside a transaction
    that is then rolled back: nothing of it is kept, no order number is used.
    """
    quote = None
    try:
        with transaction.atomic():
            order = services.create_order(call_center=call_center, customer=customer, by=by)
            if delivery_mode is not None or source_code is not None:
                order = services.update_header(
                    order=order,
                    by=by,
                    version=order.version,
                    delivery_mode=delivery_mode or order.delivery_mode,
                    source_code=source_code,
                )
            unavailable = []
            for product, quantity in items:
                if product.is_active:
                    services.add_line(order=order, by=by, product=product, quantity=quantity)
                else:
                    unavailable.append(QuoteLine(product, quantity, available=False))
            order.refresh_from_db()
            priced = [
                QuoteLine(
                    line.product,
                    line.quantity,
                    available=True,
                    unit_price=line.sold_price,
                    discount=line.discount_amount,
                    amount=line.line_amount,
                )
                for line in order.lines.select_related("product").order_by("line_number")
            ]
            quote = Quote(
                lines=priced + unavailable,
                subtotal=order.subtotal,
                discount_total=order.discount_total,
                charges_total=order.charges_total,
                tax_total=order.tax_total,
                total=order.total,
            )
            raise _DiscardQuote
    except _DiscardQuote:
        pass
    return quote
