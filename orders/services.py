"""What happens to a sales order. Each service locks the order row first,
re-reads what it depends on, changes it, writes an event, and re-prices."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from callcenter.models import CallCenter, ChannelUser, DeliveryMode
from catalog.models import Product, SourceCode
from customers.models import Customer

from . import events
from .errors import (
    ConcurrentEdit,
    InvalidOrderData,
    NotAChannelUser,
    OrderError,
    OrderNotEditable,
)
from .models import MAX_QUANTITY, SalesLine, SalesOrder
from .pricing import ChargeInput, LineInput, OrderTotals, price_order


def _ensure_channel_user(call_center: CallCenter, by) -> None:
    """Services re-check what views check: only the center's own users act on its orders."""
    if not ChannelUser.objects.filter(
        call_center=call_center, user=by, call_center__is_active=True
    ).exists():
        raise NotAChannelUser(
            _("You are not a user of call center %(code)s.") % {"code": call_center.code}
        )


def lock_order(order_id: int, *, by) -> SalesOrder:
    """The order, re-read under a row lock held until the transaction ends.

    ``by`` must be a channel user of the order's call center.
    """
    order = (
        SalesOrder.objects.select_for_update(of=("self",))
        .select_related("call_center", "delivery_mode", "source_code", "customer")
        .get(pk=order_id)
    )
    _ensure_channel_user(order.call_center, by)
    return order


def _ensure_editable(order: SalesOrder) -> None:
    if not order.is_editable:
        raise OrderNotEditable(
            _("Sales order %(number)s is %(status)s and can no longer be changed.")
            % {"number": order.number, "status": order.get_status_display().lower()}
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
    if not source_code.is_valid_on(timezone.localdate()):
        raise InvalidOrderData(
            _(
                "Source code %(code)s is not active today. "
                "Ask the caller for the code printed on their catalog."
            )
            % {"code": source_code.code},
            field="source_code",
        )


def _discount_for(line: SalesLine, order: SalesOrder, catalog_products: dict[int, set[int]]):
    """The source code that applies to a line: its own, else the order's; only on catalog items."""
    source_code = line.source_code or order.source_code
    if source_code is None or line.product_id is None:
        return None
    if line.product_id not in catalog_products.get(source_code.catalog_id, set()):
        return None
    return source_code


def price(order: SalesOrder) -> OrderTotals:
    """Price the order as it stands in the database, with the same engine submit uses."""
    lines = list(order.lines.select_related("source_code"))
    source_codes = {line.source_code for line in lines if line.source_code} | (
        {order.source_code} if order.source_code else set()
    )
    catalog_ids = {code.catalog_id for code in source_codes}
    catalog_products: dict[int, set[int]] = {}
    if catalog_ids:
        memberships = Product.catalogs.through.objects.filter(catalog_id__in=catalog_ids)
        for catalog_id, product_id in memberships.values_list("catalog_id", "product_id"):
            catalog_products.setdefault(catalog_id, set()).add(product_id)
    line_inputs = []
    for line in lines:
        code = _discount_for(line, order, catalog_products)
        line_inputs.append(
            LineInput(
                key=line.pk,
                unit_price=line.unit_price,
                quantity=line.quantity,
                discount_percent=code.discount_percent if code else 0,
                discount_reason=_("Source code %(code)s") % {"code": code.code} if code else "",
            )
        )
    charges = []
    if order.delivery_mode and order.delivery_mode.charge:
        charges.append(
            ChargeInput(
                code="shipping",
                description=_("Shipping and handling (%(mode)s)") % {"mode": order.delivery_mode},
                amount=order.delivery_mode.charge,
            )
        )
    return price_order(lines=line_inputs, charges=charges, tax_rate=order.call_center.tax_rate)


def payment_status_for(*, total, amount_paid) -> str:
    if amount_paid <= 0:
        return SalesOrder.PaymentStatus.NONE
    if amount_paid >= total:
        return SalesOrder.PaymentStatus.COVERED
    return SalesOrder.PaymentStatus.PARTIAL


def _apply_totals(order: SalesOrder, totals: OrderTotals, by) -> None:
    """Store the totals on the order and its lines; note a payment status change."""
    lines = {line.pk: line for line in order.lines.all()}
    changed_lines = []
    for priced in totals.lines:
        line = lines[priced.key]
        if (line.discount_amount, line.line_amount) != (priced.discount, priced.net):
            line.discount_amount, line.line_amount = priced.discount, priced.net
            changed_lines.append(line)
    if changed_lines:
        SalesLine.objects.bulk_update(changed_lines, ["discount_amount", "line_amount"])
    order.subtotal = totals.subtotal
    order.discount_total = totals.discount_total
    order.charges_total = totals.charges_total
    order.tax_total = totals.tax_total
    order.total = totals.total
    _update_payment_status(order, by)


def _update_payment_status(order: SalesOrder, by) -> None:
    new = payment_status_for(total=order.total, amount_paid=order.amount_paid)
    if new != order.payment_status:
        events.payment_status_changed(order=order, by=by, old=order.payment_status, new=new)
        order.payment_status = new


def reprice(*, order: SalesOrder, by) -> OrderTotals:
    """Re-price a locked order and store its totals."""
    totals = price(order)
    _apply_totals(order, totals, by)
    order.save()
    return totals


@transaction.atomic
def create_order(*, call_center: CallCenter, customer: Customer, by) -> SalesOrder:
    """Open a draft sales order for the customer, numbered from the call center's sequence."""
    center = CallCenter.objects.select_for_update().get(pk=call_center.pk)
    _ensure_channel_user(center, by)
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
    order = SalesOrder.objects.create(
        number=number,
        call_center=center,
        customer=customer,
        clerk=by,
        delivery_mode=center.default_delivery_mode,
        delivery_address=address.one_line() if address else "",
        financial_dimensions=center.dimension_values(),
    )
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
) -> SalesOrder:
    """Change the header. A form that saw an older version of the order is refused."""
    order = lock_order(order.pk, by=by)
    _ensure_editable(order)
    if version != order.version:
        raise ConcurrentEdit(
            _(
                "Sales order %(number)s was changed by someone else while you were editing it. "
                "The page now shows the latest version: check it and make your change again."
            )
            % {"number": order.number}
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
    for field, new in [("delivery_mode", delivery_mode), ("source_code", source_code)]:
        old = getattr(order, field)
        if old != new:
            changes[field] = (str(old or ""), str(new or ""))
            setattr(order, field, new)
    if not changes:
        return order
    events.header_changed(order=order, by=by, changes=changes)
    order.version += 1
    reprice(order=order, by=by)
    return order


@transaction.atomic
def add_line(
    *,
    order: SalesOrder,
    by,
    product: Product,
    quantity: int,
    source_code: SourceCode | None = None,
) -> SalesLine:
    order = lock_order(order.pk, by=by)
    _ensure_editable(order)
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidOrderData(
            _("Enter a quantity from 1 to %(max)s.") % {"max": MAX_QUANTITY},
            field="quantity",
        )
    product = Product.objects.get(pk=product.pk)
    if not product.is_active:
        raise InvalidOrderData(
            _("Item %(item)s is no longer sold.") % {"item": product.item_number},
            field="item_number",
        )
    _ensure_source_code_valid(source_code, order.call_center)
    last = order.lines.order_by("-line_number").values_list("line_number", flat=True).first()
    line = SalesLine.objects.create(
        order=order,
        line_number=(last or 0) + 1,
        product=product,
        item_number=product.item_number,
        product_name=product.name,
        quantity=quantity,
        unit_price=product.price,
        source_code=source_code,
    )
    events.line_added(order=order, line=line, by=by)
    reprice(order=order, by=by)
    return line


@transaction.atomic
def remove_line(*, order: SalesOrder, by, line_id: int) -> None:
    order = lock_order(order.pk, by=by)
    _ensure_editable(order)
    line = order.lines.filter(pk=line_id).first()
    if line is None:
        raise InvalidOrderData(_("That line is no longer on the order; it may have been removed."))
    events.line_removed(order=order, line=line, by=by)
    line.delete()
    reprice(order=order, by=by)


@transaction.atomic
def complete_order(*, order: SalesOrder, by) -> SalesOrder:
    """Compute every charge (shipping and handling, tax) so the summary shows what is due."""
    order = lock_order(order.pk, by=by)
    _ensure_editable(order)
    reprice(order=order, by=by)
    events.order_completed(order=order, by=by)
    return order


def record_payment(*, order: SalesOrder, by, amount_paid, payment_id: int, method: str, amount):
    """Note on a locked order that a payment was taken; called by the payments app."""
    events.payment_added(order=order, by=by, payment_id=payment_id, method=method, amount=amount)
    order.amount_paid = amount_paid
    _update_payment_status(order, by)
    order.save()


def mark_submitted(*, order: SalesOrder, by, idempotency_key) -> SalesOrder:
    """Submit a locked order. Only the submit gate (``payments.services``) calls this."""
    order.set_status(SalesOrder.Status.SUBMITTED)
    order.submitted_at = timezone.now()
    order.submit_key = idempotency_key
    events.order_submitted(order=order, by=by)
    order.save()
    return order


def mark_cancelled(*, order: SalesOrder, by, reason: str) -> SalesOrder:
    """Cancel a locked order. Only ``payments.services.cancel_order`` calls this, after it
    has released the order's payments and set ``amount_paid``."""
    order.set_status(SalesOrder.Status.CANCELLED)
    _update_payment_status(order, by)
    events.order_cancelled(order=order, by=by, reason=reason)
    order.save()
    return order
