"""The order's history in words: one line per ``OrderEvent`` for the timeline."""

from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from callcenter.money import format_money

from .models import OrderEvent, SalesOrder, hold_note

T = OrderEvent.Type
PAYMENT_STATUSES = dict(SalesOrder.PaymentStatus.choices)


def _label(field: str) -> str:
    """A changed header field as the clerk reads it ("Mode of delivery", not delivery_mode)."""
    try:
        return capfirst(SalesOrder._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


def _money(value) -> str:
    """A stored amount ("154.28") as the reader's locale writes it ("154,28")."""
    try:
        return format_money(Decimal(str(value)))
    except (ArithmeticError, ValueError, TypeError):
        return str(value or "")


def _payment_status(value: str) -> str:
    return str(PAYMENT_STATUSES.get(value, value))


def _price_overridden(p: dict) -> str:
    values = {
        "line": p.get("line"),
        "item": p.get("item_number", ""),
        "new": _money(p["new"]) if p.get("new") else "",
        "computed": _money(p["computed"]) if p.get("computed") else "",
        "reason": p.get("reason", ""),
    }
    if values["new"]:
        text = _("line %(line)s, %(item)s: %(new)s instead of %(computed)s") % values
    else:
        text = _("line %(line)s, %(item)s: back to the computed price %(computed)s") % values
    if values["reason"]:
        text = _("%(text)s (reason: %(reason)s)") % {"text": text, "reason": values["reason"]}
    if p.get("beyond_limit"):
        text = _("%(text)s, beyond the clerk's limit, by %(user)s") % {
            "text": text,
            "user": p.get("approved_by", ""),
        }
    return text


def _submit_refused(p: dict) -> str:
    try:
        balance = Decimal(str(p["balance"]))
    except (KeyError, ArithmeticError, ValueError):
        return p.get("reason", "")  # the sentence the clerk was shown
    if balance >= 0:
        return _("a balance of %(balance)s was still due") % {"balance": format_money(balance)}
    return _("the payments were %(refund)s more than the total") % {
        "refund": format_money(-balance)
    }


def describe(event: OrderEvent) -> str:
    """What the event's parameters say, in a sentence in the reader's language, amounts as
    their locale writes them (the event's name is shown beside it)."""
    p = event.parameters or {}
    t = event.type
    if t == T.CREATED:
        return _("order %(number)s for customer %(customer)s, call center %(call_center)s") % {
            "number": p.get("number", ""),
            "customer": p.get("customer", ""),
            "call_center": p.get("call_center", ""),
        }
    if t in (T.COMPLETED, T.RELEASED):
        return _("total %(total)s") % {"total": _money(p.get("total"))}
    if t == T.SUBMITTED:
        return _("total %(total)s, paid %(paid)s") % {
            "total": _money(p.get("total")),
            "paid": _money(p.get("paid")),
        }
    if t in (T.PAYMENT_ADDED, T.PAYMENT_REFUNDED, T.PAYMENT_VOIDED):
        return _("%(method)s %(amount)s (payment %(payment)s)") % {
            "method": p.get(f"method_{(get_language() or '')[:2]}") or p.get("method", ""),
            "amount": _money(p.get("amount")),
            "payment": p.get("payment", ""),
        }
    if t == T.PAYMENT_STATUS_CHANGED:
        return _("%(old)s → %(new)s") % {
            "old": _payment_status(p.get("old", "")),
            "new": _payment_status(p.get("new", "")),
        }
    if t == T.SUBMIT_REFUSED:
        return _submit_refused(p)
    if t == T.COUPON_APPLIED and p.get("replaced"):
        return _("%(code)s, in place of %(replaced)s") % {
            "code": p.get("code", ""),
            "replaced": p["replaced"],
        }
    if t in (T.COUPON_APPLIED, T.COUPON_REMOVED, T.COUPON_REDEEMED, T.COUPON_RELEASED):
        return p.get("code", "")
    if t in (T.UPSELL_ACCEPTED, T.UPSELL_DISMISSED):
        return ", ".join(p.get("items", []))
    if t == T.PRICE_OVERRIDDEN:
        return _price_overridden(p)
    if t == T.RETURN_CREATED:
        return _("return %(number)s, %(amount)s: %(reason)s") % {
            "number": p.get("number", ""),
            "amount": _money(p.get("amount")),
            "reason": p.get("reason", ""),
        }
    if t == T.HOLD_PLACED:
        # the event has the hold's source, note and details among its parameters
        note = hold_note(source=p.get("source", ""), note=p.get("note", ""), details=p)
        return _("%(code)s: %(note)s") % {"code": p.get("code", ""), "note": note}
    if t == T.HOLD_CLEARED:
        if p.get("cancelled"):
            text = _("%(code)s cleared with the order's cancellation: %(reason)s")
        else:
            text = _("%(code)s cleared: %(reason)s")
        return text % {"code": p.get("code", ""), "reason": p.get("reason") or _("no reason given")}
    if t == T.HOLD_CHECKED_OUT:
        return _("%(code)s hold taken to work on") % {"code": p.get("code", "")}
    if t in (T.LINE_ADDED, T.LINE_REMOVED, T.LINE_CANCELLED):
        text = _("line %(line)s, %(quantity)s × %(item)s") % {
            "line": p.get("line"),
            "quantity": p.get("quantity"),
            "item": p.get("item_number"),
        }
        return f"{text} — {p['reason']}" if p.get("reason") else text
    if t == T.CANCELLED:
        return p.get("reason", "")
    if t == T.HEADER_CHANGED:
        return (pgettext("between items of a list", ";") + " ").join(
            _("%(label)s: %(value)s")
            % {
                "label": _label(field),
                "value": f"{change.get('from') or '—'} → {change.get('to') or '—'}",
            }
            for field, change in (p.get("changes") or {}).items()
        )
    if t == T.SHIPPED:
        return _("tracking %(tracking)s") % {"tracking": p["tracking"]} if p.get("tracking") else ""
    # a kind of event this version does not word: its values, without their keys
    return ", ".join(str(v) for v in p.values() if v not in ("", None, False, [], {}))


#: the events the History section shows unless asked for all: a long-lived order (a
#: continuity program's shipments, years of them) would otherwise draw hundreds
SHOWN = 50


def asks_for_everything(request) -> bool:
    """Whether the page was asked for the whole History (Show all events)."""
    return request.GET.get("history") == "all"


def timeline(order: SalesOrder, *, everything: bool = False) -> dict:
    """The History section: the order's events, oldest first, each with its words.

    The newest ``SHOWN`` unless ``everything``; ``history_more`` says that older ones
    were left out (one more is read to know it: no count).
    """
    events = order.events.select_related("user")
    if everything:
        read = list(events.order_by("created_at", "pk"))
        more = False
    else:
        read = list(events.order_by("-created_at", "-pk")[: SHOWN + 1])
        more = len(read) > SHOWN
        read = read[:SHOWN][::-1]
    return {
        "timeline": [(event, describe(event)) for event in read],
        "history_more": more,
        "history_all": everything,
        "history_shown": SHOWN,
    }
