"""What happens to a sales order. Each service locks the order row first,
re-reads what it depends on, changes it, writes an event, and re-prices."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from callcenter import reference
from callcenter.access import call_centers_of, role_may
from callcenter.models import CallCenter, ChannelUser, ChargeRule, DeliveryMode
from callcenter.money import MAX_AMOUNT, ZERO, fits_column, format_money, quantize
from catalog.models import (
    PriceGroup,
    Product,
    SourceCode,
    SourceCodePrice,
    TaxRate,
    TradeAgreement,
)
from catalog.selectors import product_by_item_number
from customers.models import Address, Customer, state_and_country_in
from customers.normalize import is_country_code
from customers.selectors import delivery_addresses

from . import events, pricing
from .errors import (
    ConcurrentEdit,
    CouponError,
    InvalidOrderData,
    InvalidTransition,
    NotAChannelUser,
    OrderError,
    OrderNotEditable,
    OverrideNeedsApproval,
)
from .models import (
    FLAT_CHARGE,
    MAX_QUANTITY,
    Coupon,
    CouponUsage,
    CustomerPriceGroup,
    OrderHold,
    PriceOverrideLimit,
    PriceOverrideReason,
    ReturnEvent,
    ReturnLine,
    ReturnOrder,
    ReturnReason,
    SalesLine,
    SalesOrder,
    charge_description,
)
from .pricing import (
    ChargeRuleInput,
    CouponInput,
    LineInput,
    OrderTotals,
    PricedCharge,
    ShippingEffect,
    SourceCodeEffect,
    TaxRateInput,
    TradeAgreementInput,
    override_percent_below,
    price_order,
    tax_rate_for,
)
from .returns import ChargeInput, ReturnLineInput, refund_for_return
from .selectors import HEADER_RELATIONS, keep_lines, open_holds, order_lines, read_lines


def _membership(call_center, by):
    """``by``'s membership of ``call_center`` (a center, or an OuterRef to one), active only."""
    return ChannelUser.objects.filter(call_center=call_center, user=by, call_center__is_active=True)


def _not_a_channel_user(call_center: CallCenter) -> NotAChannelUser:
    return NotAChannelUser(
        _("You are not a user of call center %(code)s.") % {"code": call_center.code}
    )


def ensure_channel_user(call_center: CallCenter, by) -> None:
    """Services re-check what views check: only the center's own users act on its orders.

    ``by``'s call centers as read with their request, else read now.
    """
    centers = call_centers_of(by)
    if centers is not None:
        if call_center.pk not in centers:
            raise _not_a_channel_user(call_center)
    elif not _membership(call_center, by).exists():
        raise _not_a_channel_user(call_center)


def lock_order(order_id: int, *, by, with_open_holds: bool = False) -> SalesOrder:
    """The order, re-read under a row lock held until the transaction ends.

    ``by`` must be a channel user of the order's call center: checked against the call
    centers read with their request (the order's is then that one), else in the same
    query. ``with_open_holds``: the order's ``has_open_holds`` is read in that query too.
    """
    return _checked_lock(_locking(by, with_open_holds).get(pk=order_id), by)


def lock(order: SalesOrder, *, by, with_open_holds: bool = False) -> SalesOrder:
    """``order`` re-read under its row lock, as ``lock_order`` reads it.

    An order its view left unread (``selectors.order_to_change``: no id yet) is read
    here by number in the call center it was given, in the same single query; when it
    is not there the request gets a 404, as ``order_for_user`` gives.
    """
    if order.pk is not None:
        return lock_order(order.pk, by=by, with_open_holds=with_open_holds)
    locked = (
        _locking(by, with_open_holds)
        .filter(number=order.number, call_center_id=order.call_center_id)
        .first()
    )
    if locked is None:
        raise Http404
    return _checked_lock(locked, by)


def _locking(by, with_open_holds: bool = False) -> QuerySet[SalesOrder]:
    """The orders as the lock reads them: with their customer; for a ``by`` whose call
    centers were not read with a request, with their header relations and whether ``by``
    is a channel user of their call center, in the same query. ``with_open_holds``: and
    whether the order has an open hold (``has_open_holds``)."""
    orders = SalesOrder.objects.select_for_update(of=("self",))
    if with_open_holds:
        orders = orders.annotate(
            has_open_holds=Exists(OrderHold.objects.open().filter(order=OuterRef("pk")))
        )
    if call_centers_of(by) is not None:
        return orders.select_related("customer")
    return orders.select_related(*HEADER_RELATIONS).annotate(
        by_is_channel_user=Exists(_membership(OuterRef("call_center"), by))
    )


def _checked_lock(order: SalesOrder, by) -> SalesOrder:
    """``order``, read by ``_locking``, once ``by`` is known to be a channel user of its
    call center (then the one read with their request)."""
    centers = call_centers_of(by)
    if centers is None:
        if not order.by_is_channel_user:
            raise _not_a_channel_user(order.call_center)
        return order
    if order.call_center_id not in centers:
        raise _not_a_channel_user(order.call_center)
    order.call_center = centers[order.call_center_id]
    return order


def _ensure_editable(order: SalesOrder) -> None:
    """A draft, or a submitted order the warehouse does not have yet."""
    if not order.is_amendable:
        raise OrderNotEditable(
            _("Sales order %(number)s is %(status)s and can no longer be changed.")
            % {"number": order.number, "status": order.get_status_display().lower()}
        )


def _ensure_draft(order: SalesOrder) -> None:
    """Coupons and price overrides are settled at submit: they change on drafts only."""
    if not order.is_editable:
        raise OrderNotEditable(
            _("Sales order %(number)s is %(status)s: this can only be changed before submit.")
            % {"number": order.number, "status": order.get_status_display().lower()}
        )


def _ensure_version(order: SalesOrder, version: int | None) -> None:
    """Optimistic concurrency: a form that saw an older version of the order is refused.

    ``None`` is for callers that hold no form (the guided selling prompt, programs).
    """
    if version is not None and version != order.version:
        raise ConcurrentEdit(
            _(
                "Sales order %(number)s was changed by someone else while you were editing it. "
                "The page now shows the latest version: check it and make your change again."
            )
            % {"number": order.number}
        )


def _ensure_source_code_valid(source_code: SourceCode | None, center: CallCenter) -> None:
    if source_code is None:
        return
    if not center.direct_selling_enabled:
        raise InvalidOrderData(
            _("Direct selling is off in call center %(code)s: source codes are not used.")
            % {"code": center.code},
            field="source_code",
        )
    if not source_code.is_valid_on(center.today(), center.company):
        raise InvalidOrderData(
            _(
                "Source code %(code)s is not active today. "
                "Ask the caller for the code printed on their catalog."
            )
            % {"code": source_code.code},
            field="source_code",
        )


def _catalog_products(catalog_ids: set[int]) -> dict[int, set[int]]:
    products: dict[int, set[int]] = {}
    if catalog_ids:
        memberships = Product.catalogs.through.objects.filter(catalog_id__in=catalog_ids)
        for catalog_id, product_id in memberships.values_list("catalog_id", "product_id"):
            products.setdefault(catalog_id, set()).add(product_id)
    return products


def caller_prices(order: SalesOrder, products) -> dict[int, Decimal]:
    """What one unit of each of ``products`` costs this order's customer today, by product
    id: the price of their trade agreement (their price group's, else the call center's),
    else the list price. What a suggestion is quoted at before it is on the order."""
    agreements = _agreements(order, {product.pk for product in products})
    today = order.call_center.today()
    prices = {}
    for product in products:
        deal = pricing.agreement_price(agreements.get(product.pk, ()), quantity=1, today=today)
        prices[product.pk] = deal.price if deal is not None else product.price
    return prices


def _agreements(order: SalesOrder, product_ids: set[int]) -> dict[int, list[TradeAgreementInput]]:
    """The trade agreements of the customer's and the call center's price groups, by product.

    Price groups, their call centers, the customer's group and each product's trade
    agreements are kept with the call center's setup data (``callcenter.reference``):
    a product's agreements are read once, when it is first priced.
    """
    by_product: dict[int, list[TradeAgreementInput]] = {}
    if not product_ids:
        return by_product
    center = order.call_center
    groups = _price_groups(center)
    customer_group = reference.cached(
        center,
        "customer_price_group",
        lambda: (
            CustomerPriceGroup.objects.filter(customer_id=order.customer_id)
            .values_list("price_group_id", flat=True)
            .first()
        ),
        order.customer_id,
    )
    applicable = groups.of_center | {customer_group}
    kept = reference.cached_each(center, "trade_agreements", product_ids, _read_agreements)
    for product_id, rows in kept.items():
        for group_id, price_, min_quantity, valid_from, valid_to in rows:
            if group_id in applicable:
                by_product.setdefault(product_id, []).append(
                    TradeAgreementInput(
                        price_group=groups.codes[group_id],
                        price=price_,
                        min_quantity=min_quantity,
                        valid_from=valid_from,
                        valid_to=valid_to,
                        is_customer_group=group_id == customer_group,
                    )
                )
    return by_product


@dataclass(frozen=True)
class _PriceGroups:
    of_center: frozenset[int]
    codes: MappingProxyType  # every price group's code, by id


def _price_groups(center: CallCenter) -> _PriceGroups:
    def load():
        return _PriceGroups(
            of_center=frozenset(center.price_groups.values_list("pk", flat=True)),
            codes=MappingProxyType(dict(PriceGroup.objects.values_list("pk", "code"))),
        )

    return reference.cached(center, "price_groups", load)


def _read_agreements(product_ids: set[int]) -> dict[int, tuple]:
    """Every trade agreement of these products, in any price group, by product."""
    rows: dict[int, list] = {product_id: [] for product_id in product_ids}
    for product_id, *agreement in TradeAgreement.objects.filter(
        product_id__in=product_ids
    ).values_list(
        "product_id", "price_group_id", "price", "min_quantity", "valid_from", "valid_to"
    ):
        rows[product_id].append(tuple(agreement))
    return {product_id: tuple(agreements) for product_id, agreements in rows.items()}


def _tax_rates(order: SalesOrder) -> tuple[TaxRateInput, ...]:
    country = order.delivery_country

    def load():
        rows = TaxRate.objects.filter(Q(country="") | Q(country=country)).values_list(
            "tax_group_id", "country", "state", "rate"
        )
        return tuple(
            TaxRateInput(tax_group=str(group or ""), country=country, state=state, rate=rate)
            for group, country, state, rate in rows
        )

    return reference.cached(order.call_center, "tax_rates", load, country)


def _charge_rules(order: SalesOrder) -> tuple[ChargeRuleInput, ...]:
    """The rules of the order's mode of delivery (the center's own, else those for all centers);
    without rules, the mode's flat charge."""
    if order.delivery_mode_id is None:
        return ()
    return reference.cached(
        order.call_center,
        "charge_rules",
        lambda: _load_charge_rules(order.call_center_id, order.delivery_mode_id),
        order.delivery_mode_id,
    )


def _load_charge_rules(call_center_id: int, mode_id: int) -> tuple[ChargeRuleInput, ...]:
    mode = DeliveryMode.objects.get(pk=mode_id)
    rules = list(
        ChargeRule.objects.filter(delivery_mode=mode).filter(
            Q(call_center=call_center_id) | Q(call_center__isnull=True)
        )
    )
    own = [rule for rule in rules if rule.call_center_id is not None]
    rules = own or rules
    if not rules:
        if not mode.charge:
            return ()
        return (
            ChargeRuleInput(
                code=FLAT_CHARGE,
                description=str(mode),  # worded in the reader's language: charge_description
                amount=mode.charge,
                category=pricing.SHIPPING,
            ),
        )
    return tuple(
        ChargeRuleInput(
            code=f"rule-{rule.pk}",
            description=rule.description,
            amount=rule.amount,
            category=rule.category,
            basis=rule.basis,
            tier_basis=rule.tier_basis,
            tier_from=rule.tier_from,
            tier_to=rule.tier_to,
            free_from=rule.free_from,
            taxable=rule.taxable,
        )
        for rule in rules
    )


def _coupon_input(coupon: Coupon | None) -> CouponInput | None:
    if coupon is None:
        return None
    return CouponInput(
        code=coupon.code,
        kind=coupon.kind,
        scope=coupon.scope,
        value=coupon.value,
        min_order_amount=coupon.min_order_amount,
    )


def _shipping_effect(source_code: SourceCode | None) -> ShippingEffect | None:
    if source_code is None:
        return None
    if not (source_code.shipping_waived or source_code.shipping_discount_percent):
        return None
    return ShippingEffect(
        code=source_code.code,
        waived=source_code.shipping_waived,
        discount_percent=source_code.shipping_discount_percent,
    )


def price(order: SalesOrder) -> OrderTotals:
    """Price the order as it stands in the database, with the same engine submit uses.

    Every input is read in a fixed number of queries, whatever the number of lines.
    """
    return _price_lines(order)[0]


def _price_lines(
    order: SalesOrder, every_line: list[SalesLine] | None = None
) -> tuple[OrderTotals, list[SalesLine]]:
    """The order's totals and the active lines they were computed from.

    ``every_line``: all the order's lines as they now are in the database, by line
    number, as ``read_lines`` gives them, when the caller has them; else they are read.
    """
    if every_line is None:
        every_line = read_lines(order)
    keep_lines(order, every_line)  # the page shown after this change shows these
    lines = [line for line in every_line if line.cancelled_at is None]
    source_codes = {line.source_code for line in lines if line.source_code} | (
        {order.source_code} if order.source_code else set()
    )
    catalog_products = _catalog_products({code.catalog_id for code in source_codes})
    special_prices = {}
    if source_codes and lines:
        special_prices = {
            (code_id, product_id): price_
            for code_id, product_id, price_ in SourceCodePrice.objects.filter(
                source_code__in=source_codes
            ).values_list("source_code_id", "product_id", "price")
        }
    agreements = _agreements(order, {line.product_id for line in lines if line.product_id})
    rates = _tax_rates(order)
    default_rate = order.call_center.tax_rate

    def rate_of(tax_group: str) -> Decimal:
        return tax_rate_for(
            rates,
            tax_group=tax_group,
            country=order.delivery_country,
            state=order.delivery_state,
            default=default_rate,
        )

    line_inputs = []
    for line in lines:
        code = line.source_code or order.source_code
        effect = None
        if code is not None and line.product_id is not None:
            special = special_prices.get((code.pk, line.product_id))
            in_catalog = line.product_id in catalog_products.get(code.catalog_id, set())
            if special is not None or in_catalog:
                effect = SourceCodeEffect(
                    code=code.code,
                    discount_percent=code.discount_percent,
                    discount_amount=code.discount_amount,
                    special_price=special,
                )
        product = line.product
        line_inputs.append(
            LineInput(
                key=line.pk,
                unit_price=line.unit_price,
                quantity=line.quantity,
                agreements=tuple(agreements.get(line.product_id, ())),
                source_code=effect,
                override_price=line.override_price,
                override_reason=line.override_reason.code if line.override_reason else "",
                tax_rate=rate_of(str(product.tax_group_id or "") if product else ""),
                weight=product.weight if product else ZERO,
                priced_on=line.priced_on,
                fixed_price=line.fixed_price,
            )
        )
    totals = price_order(
        lines=line_inputs,
        charge_rules=_charge_rules(order),
        tax_rate=default_rate,
        charge_tax_rate=rate_of(""),
        coupon=_coupon_input(order.coupon),
        shipping=_shipping_effect(order.source_code),
        today=pricing_day(order),
    )
    return totals, lines


def pricing_day(order: SalesOrder) -> date:
    """The day an order's lines are priced on (their trade agreements), in its call
    center's time zone: a draft's today, a submitted order's the day it was submitted,
    so an edit after submit keeps the prices the customer was given (a promotion that
    has ended since included). A line added after submit keeps its own day
    (``SalesLine.priced_on``)."""
    if order.status != SalesOrder.Status.DRAFT and order.submitted_at is not None:
        return order.call_center.day_of(order.submitted_at)
    return order.call_center.today()


def payment_status_for(*, total, amount_paid) -> str:
    if amount_paid <= 0:
        return SalesOrder.PaymentStatus.NONE
    if amount_paid >= total:
        return SalesOrder.PaymentStatus.COVERED
    return SalesOrder.PaymentStatus.PARTIAL


PRICED_LINE_FIELDS = (
    "discount_amount",
    "line_amount",
    "sold_price",
    "price_explanation",
    "coupon_share",
    "tax_amount",
)


def _apply_totals(order: SalesOrder, totals: OrderTotals, by, lines: list[SalesLine]) -> None:
    """Store the totals on the order and on ``lines``, the lines they were priced from;
    note a payment status change."""
    _apply_line_prices(totals, lines)
    _apply_order_totals(order, totals, by)


def _ensure_recordable(totals: OrderTotals, lines: dict) -> None:
    """Refuse totals with an amount too large for its column (``MAX_AMOUNT``), a line's
    or the order's, before any of them is stored: the change that priced them is undone
    with its transaction and the order stays as it was. ``lines``: by key, as priced."""
    limit = format_money(MAX_AMOUNT)
    for priced in totals.lines:
        line_amounts = (priced.unit_price, priced.discount, priced.net)
        if not all(map(fits_column, (*line_amounts, priced.coupon_share, priced.tax))):
            raise InvalidOrderData(
                _(
                    "This change would make the amounts of line %(line)s larger than the "
                    "system can record (at most %(max)s). Lower its quantity or its price, "
                    "or take the rest in another order."
                )
                % {"line": lines[priced.key].line_number, "max": limit}
            )
    if not fits_column(totals.total):
        raise InvalidOrderData(
            _(
                "This change would make the order's total larger than the system can record "
                "(at most %(max)s). Lower a quantity or a price, or take the rest in another "
                "order."
            )
            % {"max": limit}
        )
    order_amounts = (
        totals.subtotal,
        totals.discount_total,
        totals.coupon_discount,
        totals.charges_total,
        totals.tax_total,
        *(amount for charge in totals.charges for amount in (charge.amount, charge.tax)),
    )
    if not all(map(fits_column, order_amounts)):
        raise InvalidOrderData(
            _(
                "This change would make the order's amounts (subtotal, discounts, charges or "
                "tax) larger than the system can record (at most %(max)s each). Lower a "
                "quantity or a price, or take the rest in another order."
            )
            % {"max": limit}
        )


def _apply_line_prices(totals: OrderTotals, lines: list[SalesLine]) -> None:
    """Set each line's priced fields; store the saved lines whose prices changed.

    Every stored re-price starts here: totals with an amount too large to be stored are
    refused first (``_ensure_recordable``). A line not saved yet (``pk`` None: the one
    being added) is stored by its caller, prices included.
    """
    lines = {line.pk: line for line in lines}
    _ensure_recordable(totals, lines)
    changed_lines = []
    for priced in totals.lines:
        line = lines[priced.key]
        new = (
            priced.discount,
            priced.net,
            priced.unit_price,
            [step.as_dict() for step in priced.explanation],
            priced.coupon_share,
            priced.tax,
        )
        if tuple(getattr(line, name) for name in PRICED_LINE_FIELDS) != new:
            for name, value in zip(PRICED_LINE_FIELDS, new, strict=True):
                setattr(line, name, value)
            if line.pk is not None:
                changed_lines.append(line)
    if len(changed_lines) == 1:
        changed_lines[0].save(update_fields=PRICED_LINE_FIELDS)
    elif changed_lines:
        SalesLine.objects.bulk_update(changed_lines, PRICED_LINE_FIELDS)


def _apply_order_totals(order: SalesOrder, totals: OrderTotals, by) -> None:
    order.subtotal = totals.subtotal
    order.discount_total = totals.discount_total
    order.coupon_discount = totals.coupon_discount
    order.charge_lines = [_charge_line(charge) for charge in totals.charges]
    order.charges_total = totals.charges_total
    order.tax_total = totals.tax_total
    order.total = totals.total
    _update_payment_status(order, by)


def _charge_line(charge: PricedCharge) -> dict:
    """A priced charge as the order keeps it. The mode of delivery's own charge keeps the
    mode's name: each reader gets "Shipping and handling (...)" in their own language
    (``charge_description``); its description, in the language of the last re-price, is
    for readers of the stored data."""
    line = {
        "code": charge.code,
        "category": charge.category,
        "description": charge.description,
        "amount": str(charge.amount),
        "tax": str(charge.tax),
        "explanation": [step.as_dict() for step in charge.explanation],
    }
    if charge.code == FLAT_CHARGE:
        line["mode"] = charge.description
        line["description"] = charge_description(line)
    return line


def _payment_status_change(order: SalesOrder) -> tuple[str, str] | None:
    """(old, new) when the order's total and amount paid move its payment status."""
    new = payment_status_for(total=order.total, amount_paid=order.amount_paid)
    return None if new == order.payment_status else (order.payment_status, new)


def _update_payment_status(order: SalesOrder, by) -> None:
    change = _payment_status_change(order)
    if change is not None:
        old, order.payment_status = change
        events.payment_status_changed(order=order, by=by, old=old, new=order.payment_status)


def reprice(
    *, order: SalesOrder, by, every_line: list[SalesLine] | None = None, save: bool = True
) -> OrderTotals:
    """Re-price a locked order and store its totals (``every_line``: see ``_price_lines``).

    ``save=False`` leaves the order's row to the caller, which saves it later in the
    same transaction (the lines' prices are stored here).
    """
    totals, lines = _price_lines(order, every_line)
    _apply_totals(order, totals, by, lines)
    if save:
        order.save()
    return totals


@transaction.atomic
def create_order(*, call_center: CallCenter, customer: Customer, by) -> SalesOrder:
    """Open a draft sales order for the customer, numbered from the call center's sequence."""
    center = CallCenter.objects.select_for_update().get(pk=call_center.pk)
    ensure_channel_user(center, by)
    if not center.is_active:
        raise OrderError(_("Call center %(code)s is inactive.") % {"code": center.code})
    if customer.company != center.company:
        raise OrderError(
            _("Customer %(account)s is a customer of %(company)s, not of this call center.")
            % {"account": customer.account_number, "company": customer.company}
        )
    if customer.is_blocked:
        raise OrderError(
            _("Customer %(account)s is blocked: no new orders can be taken.")
            % {"account": customer.account_number}
        )
    number = f"{center.order_number_prefix}-{center.next_order_number:06d}"
    center.next_order_number += 1
    center.save(update_fields=["next_order_number"])
    address = customer.primary_address
    try:
        order = SalesOrder.objects.create(
            number=number,
            call_center=center,
            customer=customer,
            clerk=by,
            delivery_mode=center.default_delivery_mode,
            delivery_address=address.one_line() if address else "",
            delivery_country=address.country if address else "",
            delivery_state=address.state if address else "",
            financial_dimensions=center.dimension_values(),
        )
    except IntegrityError:
        # the number is a new order's only unique value: another order has it (a center
        # sharing the prefix, a sequence set back outside the admin). Nothing is kept.
        raise OrderError(
            _(
                "Order number %(number)s is already taken, so no new order can be opened in "
                "call center %(code)s. Ask an administrator to raise its next order number or "
                "to change its order number prefix."
            )
            % {"number": number, "code": center.code}
        ) from None
    events.order_created(order=order, by=by)
    reprice(order=order, by=by)
    return order


@transaction.atomic
def update_header(
    *,
    order: SalesOrder,
    by,
    version: int,
    delivery_mode: DeliveryMode | None,
    source_code: SourceCode | None = None,
    address: Address | None = None,
    delivery_address: str | None = None,
    delivery_country: str | None = None,
    delivery_state: str | None = None,
) -> SalesOrder:
    """Change the header. A form that saw an older version of the order is refused.

    The delivery address and its tax jurisdiction (country, state) change together:
    ``address``, one of the customer's delivery addresses, is copied whole; else a typed
    ``delivery_address`` (None: as it is) with ``delivery_country`` and ``delivery_state``
    (None: those the text names, see ``_typed_address``, else as they are).
    """
    order = lock(order, by=by)
    _ensure_editable(order)
    _ensure_version(order, version)
    if order.customer.erased_at is not None and (
        address is not None or delivery_address is not None
    ):
        # an address typed now would be personal data the erasure no longer reaches
        raise InvalidOrderData(
            _(
                "Customer %(account)s's personal data was erased: this order's delivery "
                "address can no longer be changed."
            )
            % {"account": order.customer.account_number},
            field="delivery_address",
        )
    if delivery_mode is not None and not order.call_center.offers_delivery_mode(delivery_mode):
        raise InvalidOrderData(
            _("Mode of delivery %(mode)s is not offered by this call center.")
            % {"mode": delivery_mode},
            field="delivery_mode",
        )
    if source_code != order.source_code:
        _ensure_source_code_valid(source_code, order.call_center)
    changes = {}
    if address is not None:
        place = _chosen_address(order, address)
    elif (delivery_address, delivery_country, delivery_state) != (None, None, None):
        place = _typed_address(order, delivery_address, delivery_country, delivery_state)
    else:
        place = {}
    for field, new in place.items():
        old = getattr(order, field)
        if old != new:
            changes[field] = (old, new)
            setattr(order, field, new)
    for field, new in [("delivery_mode", delivery_mode), ("source_code", source_code)]:
        old = getattr(order, field)
        if old != new:
            changes[field] = (str(old or ""), str(new or ""))
            setattr(order, field, new)
    if order.status != SalesOrder.Status.DRAFT and "source_code" in changes:
        raise OrderNotEditable(
            _("The catalog code of a submitted order cannot change: it was settled at submit."),
        )
    if not changes:
        return order
    events.header_changed(order=order, by=by, changes=changes)
    order.version += 1
    reprice(order=order, by=by)
    recheck_holds(order=order, by=by)
    return order


def _chosen_address(order: SalesOrder, address: Address) -> dict[str, str]:
    """The order's copy of ``address``, read again under the order's lock: one of the
    order's customer's delivery addresses, as it is now."""
    address = delivery_addresses(order.customer_id).filter(pk=address.pk).first()
    if address is None:
        raise InvalidOrderData(_("Choose one of the customer's addresses."), field="address")
    return {
        "delivery_address": address.one_line(),
        "delivery_country": address.country,
        "delivery_state": address.state,
    }


def _typed_address(
    order: SalesOrder, text: str | None, country: str | None, state: str | None
) -> dict[str, str]:
    """A typed address and its jurisdiction. A text that ends as the addresses on file do
    ("…, OR 97201, US") says its state and country: a country or state not given is
    taken from it, one given that says otherwise is refused. A text that does not say
    them keeps the order's unless they are given. A country is two letters."""
    text = order.delivery_address if text is None else text.strip()
    named = state_and_country_in(text)
    if named is not None:
        named_state, named_country = named
        country = named_country if country is None else country.strip().upper()
        state = named_state if state is None else state.strip()
        if (state.upper(), country) != named:
            raise InvalidOrderData(
                _(
                    "This address is in %(state)s, %(country)s: set State or region and "
                    "Country to match it, or correct the address."
                )
                % {"state": named_state, "country": named_country},
                field="delivery_state",
            )
        state, country = named
    country = order.delivery_country if country is None else country.strip().upper()
    state = order.delivery_state if state is None else state.strip()
    if text and not is_country_code(country):
        raise InvalidOrderData(
            _("Enter the two-letter country code, e.g. US."), field="delivery_country"
        )
    return {"delivery_address": text, "delivery_country": country, "delivery_state": state}


def _product_to_sell(product: Product | None, item_number: str | None) -> Product:
    """``product`` as it is now, or the active product with ``item_number``; with its
    picture, in one query."""
    if product is None:
        product = product_by_item_number(item_number or "")
        if product is None:
            raise InvalidOrderData(
                _("No item %(item)s is for sale. Check the number, or search by name.")
                % {"item": item_number},
                field="item_number",
            )
        return product
    product = Product.objects.select_related("image").get(pk=product.pk)
    if not product.is_active:
        raise InvalidOrderData(
            _("Item %(item)s is no longer sold.") % {"item": product.item_number},
            field="item_number",
        )
    return product


@transaction.atomic
def add_line(
    *,
    order: SalesOrder,
    by,
    product: Product | None = None,
    item_number: str | None = None,
    quantity: int,
    source_code: SourceCode | None = None,
    version: int | None = None,
) -> SalesLine:
    """Add ``product`` (or the product with the ``item_number`` the clerk typed)."""
    order = lock(order, by=by)
    _ensure_editable(order)
    _ensure_version(order, version)
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidOrderData(
            _("Enter a quantity from 1 to %(max)s.") % {"max": MAX_QUANTITY},
            field="quantity",
        )
    product = _product_to_sell(product, item_number)
    if order.status != SalesOrder.Status.DRAFT:
        from . import continuity  # continuity builds on this module

        if continuity.sells_program(order, product.pk):
            # the customer is enrolled when the order is submitted: after that, never
            raise InvalidOrderData(
                _(
                    "Item %(item)s enrols the customer in a continuity program, which is "
                    "done when an order is submitted: take it on a new order."
                )
                % {"item": product.item_number},
                field="item_number",
            )
    _ensure_source_code_valid(source_code, order.call_center)
    every_line = order_lines(order)  # under the order's lock: nobody else adds one now
    line = SalesLine(
        order=order,
        line_number=max((line.line_number for line in every_line), default=0) + 1,
        product=product,
        item_number=product.item_number,
        product_name=product.name,
        quantity=quantity,
        unit_price=product.price,
        source_code=source_code,
        # after submit, the order's other lines keep the submit day's prices: this one
        # is priced on its own day
        priced_on=order.call_center.today() if order.status != SalesOrder.Status.DRAFT else None,
    )
    # priced with the order before it is stored: one INSERT with its prices
    totals, lines = _price_lines(order, [*every_line, line])
    _apply_line_prices(totals, lines)
    line.save(force_insert=True)
    events.line_added(order=order, line=line, by=by)
    order.version += 1
    _apply_order_totals(order, totals, by)
    order.save()
    recheck_holds(order=order, by=by)
    from .guided_selling import offer_upsells  # guided selling builds on this module

    offer_upsells(order=order, line=line, by=by)
    return line


def _active_line(order: SalesOrder, line_id: int) -> SalesLine:
    line = order.lines.filter(pk=line_id, cancelled_at__isnull=True).first()
    if line is None:
        raise InvalidOrderData(_("That line is no longer on the order; it may have been removed."))
    return line


@transaction.atomic
def remove_line(*, order: SalesOrder, by, line_id: int, version: int | None = None) -> SalesLine:
    """Remove a line of a draft or a submitted order not yet released; the line removed
    (no longer saved) is handed back, its number and item still there to say which went.
    The continuity enrolment the line made at submit stops with it."""
    order = lock(order, by=by)
    _ensure_editable(order)
    _ensure_version(order, version)
    line = _active_line(order, line_id)
    events.line_removed(order=order, line=line, by=by)
    line.delete()
    from . import continuity  # continuity builds on this module

    continuity.cancel_enrolment_of_line(
        order=order,
        line=line,
        by=by,
        reason=_("Line %(line)s removed from sales order %(order)s")
        % {"line": line.line_number, "order": order.number},
    )
    order.version += 1
    reprice(order=order, by=by)
    recheck_holds(order=order, by=by)
    return line


@transaction.atomic
def change_quantity(
    *, order: SalesOrder, by, line_id: int, quantity: int, version: int | None = None
) -> SalesLine:
    """Change a line's quantity on a draft or a submitted order not yet released; the
    continuity enrolment the line made at submit ships the new quantity from its next
    event on."""
    order = lock(order, by=by)
    _ensure_editable(order)
    _ensure_version(order, version)
    line = _active_line(order, line_id)
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidOrderData(
            _("Enter a quantity from 1 to %(max)s.") % {"max": MAX_QUANTITY}, field="quantity"
        )
    if quantity == line.quantity:
        return line
    events.header_changed(
        order=order,
        by=by,
        changes={f"line {line.line_number} quantity": (str(line.quantity), str(quantity))},
    )
    from . import continuity  # continuity builds on this module

    continuity.change_quantity_of_line(order=order, line=line, by=by, quantity=quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    order.version += 1
    reprice(order=order, by=by)
    recheck_holds(order=order, by=by)
    return line


@transaction.atomic
def cancel_line(
    *, order: SalesOrder, by, line_id: int, reason: str, version: int | None = None
) -> SalesLine:
    """Cancel one line with a reason. The line stays on the order, flagged, for its history,
    and is priced no more; on a submitted order what was paid for it becomes a refund due,
    and the continuity enrolment it made stops."""
    order = lock(order, by=by)
    _ensure_editable(order)
    _ensure_version(order, version)
    reason = reason.strip()
    if not reason:
        raise InvalidOrderData(_("Enter the reason for cancelling the line."), field="reason")
    line = _active_line(order, line_id)
    if not order.lines.filter(cancelled_at__isnull=True).exclude(pk=line.pk).exists():
        raise InvalidOrderData(
            _("Line %(line)s is the order's last line: cancel the whole order instead.")
            % {"line": line.line_number}
        )
    events.line_cancelled(order=order, line=line, by=by, reason=reason)
    line.cancelled_at, line.cancel_reason = timezone.now(), reason[:200]
    line.save(update_fields=["cancelled_at", "cancel_reason"])
    from . import continuity  # continuity builds on this module

    continuity.cancel_enrolment_of_line(
        order=order,
        line=line,
        by=by,
        reason=_("Line %(line)s of sales order %(order)s cancelled: %(reason)s")
        % {"line": line.line_number, "order": order.number, "reason": reason},
    )
    order.version += 1
    reprice(order=order, by=by)
    recheck_holds(order=order, by=by)
    return line


@transaction.atomic
def complete_order(*, order: SalesOrder, by) -> SalesOrder:
    """Compute every charge (shipping and handling, tax) so the summary shows what is due."""
    order = lock(order, by=by)
    _ensure_draft(order)
    reprice(order=order, by=by)
    if not has_active_lines(order):
        raise InvalidTransition(_("Add at least one line before you complete the order."))
    refusal = delivery_refusal(order)
    if refusal:
        raise InvalidOrderData(refusal, field="delivery_mode")
    refusal = unsold_refusal(order)
    if refusal:
        raise InvalidTransition(refusal)
    events.order_completed(order=order, by=by)
    return order


def delivery_refusal(order: SalesOrder) -> str:
    """Why the order cannot be completed or submitted as it will be delivered, or "": it
    needs a mode of delivery still in use (its charge is part of the total)."""
    if order.delivery_mode_id is None:
        return _("Choose a mode of delivery on the Header tab, then try again.")
    active, name = reference.cached(
        order.call_center,
        "delivery_mode_state",
        lambda: _delivery_mode_state(order.delivery_mode_id),
        order.delivery_mode_id,
    )
    if not active:
        return _(
            "Mode of delivery %(mode)s is no longer used: choose another on the Header tab, "
            "then try again."
        ) % {"mode": name}
    return ""


def unsold_refusal(order: SalesOrder) -> str:
    """Why a draft cannot be completed or submitted with the products on it, or "": a
    product deactivated (or deleted) since its line was added is no longer sold. Its lines
    are read once per order object, with their products."""
    stopped = [
        line
        for line in order_lines(order)
        if line.cancelled_at is None and (line.product is None or not line.product.is_active)
    ]
    if not stopped:
        return ""
    return _(
        "No longer sold: %(lines)s. Remove these lines (or offer the caller another item), "
        "then try again."
    ) % {"lines": ", ".join(f"{line.line_number} ({line.item_number})" for line in stopped)}


def _delivery_mode_state(mode_id: int) -> tuple[bool, str]:
    mode = DeliveryMode.objects.get(pk=mode_id)
    return mode.is_active, str(mode)


def has_active_lines(order: SalesOrder) -> bool:
    """Whether the order has a line that is not cancelled: an order of charges alone is
    neither completed, paid nor submitted. Reads the lines once per order object."""
    return any(line.cancelled_at is None for line in order_lines(order))


def record_payment(
    *,
    order: SalesOrder,
    by,
    amount_paid,
    payment_id: int,
    method: str,
    amount,
    method_fr: str = "",
):
    """Note on a locked order that a payment was taken; called by the payments app.
    ``method`` is the payment method's name, ``method_fr`` its French name if it has one."""
    order.amount_paid = amount_paid
    change = _payment_status_change(order)
    events.payment_added(
        order=order,
        by=by,
        payment_id=payment_id,
        method=method,
        method_fr=method_fr,
        amount=amount,
        status_change=change,  # noted with the payment, in the same INSERT
    )
    if change is not None:
        order.payment_status = change[1]
    order.save()


def mark_submitted(*, order: SalesOrder, by, idempotency_key) -> SalesOrder:
    """Submit a locked order. Only the submit gate (``payments.services``) calls this."""
    order.set_status(SalesOrder.Status.SUBMITTED)
    order.submitted_at = timezone.now()
    order.submit_key = idempotency_key
    order.version += 1  # a page opened before the submit changes nothing without a look
    events.order_submitted(order=order, by=by)
    order.save()
    return order


def mark_cancelled(*, order: SalesOrder, by, reason: str) -> SalesOrder:
    """Cancel a locked order. Only ``payments.services.cancel_order`` calls this, after it
    has released the order's payments and set ``amount_paid``."""
    order.set_status(SalesOrder.Status.CANCELLED)
    _update_payment_status(order, by)
    events.order_cancelled(order=order, by=by, reason=reason)
    _clear_holds_of_cancelled(order, by=by, reason=reason)
    order.save()
    return order


def _clear_holds_of_cancelled(order: SalesOrder, *, by, reason: str) -> None:
    """A cancelled order has nothing left to look at: its open holds are cleared with the
    cancellation's reason, so it leaves the hold queue (one event each)."""
    now = timezone.now()
    for hold in open_holds(order):
        hold.mark_cleared(by=by, reason=reason, at=now)
        events.hold_cleared(order=order, hold=hold, by=by, cancelled=True)


def _coupon_refusal(coupon: Coupon, order: SalesOrder, today) -> str:
    """Why the coupon cannot be used on this order today, or "" when it can: one of
    another company than the order's call center's (moved there since it was applied)
    is no longer valid for it."""
    valid = Coupon.objects.valid_on(today).of_company(order.call_center.company)
    if not valid.filter(pk=coupon.pk).exists():
        return _("Coupon %(code)s is not valid today. Ask the caller for another code.") % {
            "code": coupon.code
        }
    uses = CouponUsage.objects.filter(coupon=coupon).exclude(order=order)
    if coupon.max_uses is not None and uses.count() >= coupon.max_uses:
        return _("Coupon %(code)s has been used up: its last use was taken.") % {
            "code": coupon.code
        }
    if (
        coupon.max_uses_per_customer is not None
        and uses.filter(customer_id=order.customer_id).count() >= coupon.max_uses_per_customer
    ):
        return _("Customer %(account)s has already used coupon %(code)s as often as it allows.") % {
            "account": order.customer.account_number,
            "code": coupon.code,
        }
    return ""


@transaction.atomic
def apply_coupon(*, order: SalesOrder, by, code: str) -> SalesOrder:
    """Put a coupon on the order after checking its code, dates, limits and minimum amount."""
    order = lock(order, by=by)
    _ensure_draft(order)
    code = code.strip()
    # another company's coupon is as unknown as a code no coupon has: the clerk cannot
    # tell that it exists elsewhere
    coupons = Coupon.objects.of_company(order.call_center.company)
    coupon = coupons.filter(code__iexact=code).first()
    if coupon is None:
        raise CouponError(
            _("There is no coupon %(code)s. Check the code with the caller.") % {"code": code}
        )
    refusal = _coupon_refusal(coupon, order, order.call_center.today())
    if refusal:
        raise CouponError(refusal)
    if order.coupon_id == coupon.pk:
        return order
    old = order.coupon
    order.coupon = coupon
    totals, lines = _price_lines(order)
    if totals.coupon_refusal:
        raise CouponError(totals.coupon_refusal)
    events.coupon_applied(order=order, by=by, code=coupon.code, replaced=old.code if old else "")
    _apply_totals(order, totals, by, lines)
    order.save()
    return order


@transaction.atomic
def remove_coupon(*, order: SalesOrder, by) -> SalesOrder:
    order = lock(order, by=by)
    _ensure_draft(order)
    if order.coupon is None:
        return order
    events.coupon_removed(order=order, by=by, code=order.coupon.code)
    order.coupon = None
    reprice(order=order, by=by)
    return order


def before_submit(*, order: SalesOrder, by) -> None:
    """Called by the submit gate on the locked, re-priced order just before it is submitted.

    Refuses a source code that is no longer active (the draft was priced with it on an
    earlier day), or whose catalog is since another company's. Counts the coupon's use:
    the coupon row is locked, so two clerks taking its last use at the same instant queue
    up and the second is refused. Raises :class:`CouponError` (the whole submit is rolled
    back) when the coupon can no longer be used (also when it is since another
    company's).
    """
    today = order.call_center.today()
    _ensure_source_codes_active(order, today)
    if order.coupon_id is None:
        return
    coupon = Coupon.objects.select_for_update().get(pk=order.coupon_id)
    refusal = _coupon_refusal(coupon, order, today)
    if not refusal:
        refusal = price(order).coupon_refusal
    if refusal:
        raise CouponError(
            _("%(reason)s Remove the coupon from the order, then submit again.")
            % {"reason": refusal}
        )
    try:
        with transaction.atomic():
            CouponUsage.objects.create(coupon=coupon, order=order, customer_id=order.customer_id)
    except IntegrityError:
        return  # already counted for this order
    events.coupon_redeemed(order=order, by=by, code=coupon.code)


def _ensure_source_codes_active(order: SalesOrder, today: date) -> None:
    """The source codes the order's prices come from (its own, its active lines') are
    still active ``today`` and taken by the order's call center (of its company's catalogs
    or of every company's): one query, made only when there are any."""
    codes = {
        code.pk: code
        for code in [
            order.source_code,
            *(line.source_code for line in order_lines(order) if line.cancelled_at is None),
        ]
        if code is not None
    }
    if not codes:
        return
    taken = SourceCode.objects.active(today).of_company(order.call_center.company)
    active = set(taken.filter(pk__in=codes).values_list("pk", flat=True))
    ended = sorted(code.code for pk, code in codes.items() if pk not in active)
    if ended:
        raise InvalidOrderData(
            _(
                "Source code %(codes)s is no longer active, so its prices cannot be given. "
                "Take it off the order (in the header, or remove and add again the lines "
                "that carry it), then submit again."
            )
            % {"codes": ", ".join(ended)}
        )


def release_coupons(*, order: SalesOrder, by) -> int:
    """Give back the coupon uses of a cancelled (locked) order; returns how many."""
    usages = list(CouponUsage.objects.filter(order=order).select_related("coupon"))
    for usage in usages:
        events.coupon_released(order=order, by=by, code=usage.coupon.code)
    CouponUsage.objects.filter(pk__in=[u.pk for u in usages]).delete()
    return len(usages)


def override_limit(*, call_center: CallCenter, by) -> Decimal:
    """How far (%) below the computed price ``by`` may go on their own in the call center."""
    return override_limits(call_center=call_center, user_ids={by.pk})[by.pk]


def override_limits(*, call_center: CallCenter, user_ids: set[int]) -> dict[int, Decimal]:
    """How far (%) below the computed price each user may go on their own in the call
    center, by user id, in one query: the limit of their role there (the center's own,
    else the one for every center); none, or not a user of the center: not below at all."""
    limits = PriceOverrideLimit.objects.filter(role=OuterRef("role")).values("max_percent_below")
    rows = (
        ChannelUser.objects.filter(call_center=call_center, user_id__in=user_ids)
        .annotate(
            limit=Coalesce(
                Subquery(limits.filter(call_center=call_center)[:1]),
                Subquery(limits.filter(call_center__isnull=True)[:1]),
            )
        )
        .values_list("user_id", "limit")
    )
    found = {user_id: limit for user_id, limit in rows if limit is not None}
    return {user_id: found.get(user_id, ZERO) for user_id in user_ids}


@transaction.atomic
def override_price(
    *,
    order: SalesOrder,
    by,
    line_id: int,
    price: Decimal | None,
    reason: PriceOverrideReason | None = None,
) -> SalesLine:
    """Set (or, with ``price`` None, remove) a clerk's price on a line, with a reason.

    Beyond the role's limit below the computed price only a user with
    ``orders.override_price_beyond_limit`` (a supervisor) may apply it; the
    event records who approved it.
    """
    order = lock(order, by=by)
    _ensure_draft(order)
    line = _active_line(order, line_id)  # a cancelled line is no longer priced
    if price is None:
        if line.override_price is None:
            return line
        events.price_overridden(
            order=order, line=line, by=by, old=line.override_price, new=None, reason=""
        )
        line.override_price = line.override_reason = line.override_by = None
        line.save(update_fields=["override_price", "override_reason", "override_by"])
        reprice(order=order, by=by)
        return line
    if reason is None or not reason.is_active:
        raise InvalidOrderData(_("Choose the reason for the price override."), field="reason")
    price = quantize(price)
    if price < 0:
        raise InvalidOrderData(_("A price cannot be negative."), field="price")
    computed = price_line_without_override(order, line)
    below = override_percent_below(computed=computed, price=price)
    limit = override_limit(call_center=order.call_center, by=by)
    beyond = below > limit
    if beyond and not role_may(by, "orders.override_price_beyond_limit", order.call_center):
        raise OverrideNeedsApproval(
            _(
                "%(price)s is %(below)s %% below the computed price of %(computed)s; "
                "you may go at most %(limit)s %% below. A supervisor must approve this price: "
                "ask a supervisor to enter it."
            )
            % {
                "price": format_money(price),
                "below": format_money(below),
                "computed": format_money(computed),
                "limit": format_money(limit),
            }
        )
    old = line.override_price
    line.override_price, line.override_reason, line.override_by = price, reason, by
    line.save(update_fields=["override_price", "override_reason", "override_by"])
    events.price_overridden(
        order=order,
        line=line,
        by=by,
        old=old,
        new=price,
        reason=reason.code,
        computed=computed,
        beyond_limit=beyond,
    )
    reprice(order=order, by=by)
    return line


def price_line_without_override(order: SalesOrder, line: SalesLine) -> Decimal:
    """The line's computed unit price (base, price group, source code, coupon)."""
    return price(order).line(line.pk).computed_price


# --- re-checking the automatic holds after an edit -----------------------------------------


def recheck_holds(*, order: SalesOrder, by) -> None:
    """After an edit of a submitted order, run the automatic hold rules again on a locked
    order, so an edit (a higher total, say) cannot slip past a rule that submit applied."""
    if order.status != SalesOrder.Status.SUBMITTED:
        return
    from .holds import apply_automatic_holds  # holds builds on this module

    apply_automatic_holds(order=order, by=by)


# --- returns (RMA) ---------------------------------------------------------------------------

RETURNABLE_STATUSES = (SalesOrder.Status.SHIPPED, SalesOrder.Status.INVOICED)


def ensure_returnable(order: SalesOrder) -> None:
    """Only a shipped (or invoiced) order takes returns: a refusal says so."""
    if order.status not in RETURNABLE_STATUSES:
        raise OrderNotEditable(
            _("Sales order %(number)s is %(status)s: only shipped orders take returns.")
            % {"number": order.number, "status": order.get_status_display().lower()}
        )


def returned_quantities(order: SalesOrder) -> dict[int, int]:
    """Units already returned, by original line id."""
    return dict(
        ReturnLine.objects.filter(return_order__order=order)
        .values("line")
        .annotate(returned=Sum("quantity"))
        .values_list("line", "returned")
    )


def _charge_inputs(order: SalesOrder) -> list[ChargeInput]:
    return [
        ChargeInput(
            description=charge_description(charge),
            amount=Decimal(charge["amount"]),
            tax=Decimal(charge.get("tax", "0")),
        )
        for charge in order.charge_lines
    ]


@transaction.atomic
def create_return(
    *,
    order: SalesOrder,
    by,
    reason: ReturnReason,
    quantities: dict[int, int],
    idempotency_key,
    note: str = "",
) -> ReturnOrder:
    """Take back ``quantities`` (units by original line id) of a shipped order.

    The amount owed is computed by :func:`orders.returns.refund_for_return`; the
    refund itself is the payments app's (``payments.services.refund_return``).
    A replay of the same key returns the return it created.
    """
    order = lock(order, by=by)
    existing = ReturnOrder.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.order_id != order.pk:
            raise InvalidOrderData(_("This form was already used for another order."))
        return existing
    ensure_returnable(order)
    if not reason.is_active:
        raise InvalidOrderData(_("Choose an active return reason."), field="reason")
    quantities = {line_id: qty for line_id, qty in quantities.items() if qty}
    if not quantities:
        raise InvalidOrderData(_("Enter the quantity returned of at least one line."))
    if any(qty < 0 for qty in quantities.values()):
        raise InvalidOrderData(_("A returned quantity cannot be negative."))
    lines = {
        line.pk: line
        for line in order.lines.filter(pk__in=quantities, cancelled_at__isnull=True).order_by(
            "line_number"
        )
    }
    if len(lines) != len(quantities):
        raise InvalidOrderData(_("That line is not on the order, or it was cancelled."))
    already = returned_quantities(order)
    for line in lines.values():
        left = line.quantity - already.get(line.pk, 0)
        if quantities[line.pk] > left:
            raise InvalidOrderData(
                _("Line %(line)s: at most %(left)s of %(sold)s can still be returned.")
                % {"line": line.line_number, "left": left, "sold": line.quantity}
            )
    refund = refund_for_return(
        lines=[
            ReturnLineInput(
                key=line.pk,
                sold_quantity=line.quantity,
                already_returned=already.get(line.pk, 0),
                quantity=quantities[line.pk],
                net=line.line_amount,
                coupon_share=line.coupon_share,
                tax=line.tax_amount,
            )
            for line in lines.values()
        ],
        charges=_charge_inputs(order),
        refund_charges=reason.refund_shipping,
        charges_already_refunded=order.returns.filter(charges_refunded__gt=0).exists(),
    )
    return_order = ReturnOrder.objects.create(
        number=f"{order.number}-R{order.returns.count() + 1}",
        order=order,
        reason=reason,
        note=note.strip()[:1000],
        amount=refund.total,
        charges_refunded=refund.charges,
        # the facts, worded when read (orders.returns.worded), in the reader's language
        explanation=[
            {"line": lines[line.key].line_number, "amount": str(line.amount), **line.facts()}
            for line in refund.lines
        ]
        + [{"line": None, **refund.charges_facts()}],
        created_by=by,
        idempotency_key=idempotency_key,
    )
    ReturnLine.objects.bulk_create(
        ReturnLine(
            return_order=return_order,
            line=lines[line.key],
            quantity=line.quantity,
            amount=line.amount,
        )
        for line in refund.lines
    )
    events.return_created(
        order=order, by=by, number=return_order.number, amount=refund.total, reason=reason.code
    )
    events.return_event(
        return_order=return_order,
        type_=ReturnEvent.Type.CREATED,
        by=by,
        order=order.number,
        amount=str(refund.total),
        reason=reason.code,
        lines={str(lines[line.key].line_number): line.quantity for line in refund.lines},
    )
    return return_order


def mark_return_refunded(*, return_order: ReturnOrder, by, amount: Decimal) -> ReturnOrder:
    """Note on a locked return that its refund was issued; only the payments app calls this."""
    return_order.status = ReturnOrder.Status.REFUNDED
    return_order.amount_refunded = amount
    return_order.save(update_fields=["status", "amount_refunded"])
    events.return_event(
        return_order=return_order, type_=ReturnEvent.Type.REFUNDED, by=by, amount=str(amount)
    )
    return return_order
