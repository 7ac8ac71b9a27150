"""The order's history in words: one line per ``OrderEvent`` for the timeline."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import OrderEvent, SalesOrder

T = OrderEvent.Type


def _label(field: str) -> str:
    """A changed header field as the clerk reads it ("Mode of delivery", not delivery_mode)."""
    try:
        return capfirst(SalesOrder._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


def describe(event: OrderEvent) -> str:
    """What the event's parameters say, in a sentence (the event's name is shown beside it)."""
    p = event.parameters or {}
    if event.type == T.HOLD_PLACED:
        return _("%(code)s: %(note)s") % {"code": p.get("code", ""), "note": p.get("note", "")}
    if event.type == T.HOLD_CLEARED:
        return _("%(code)s cleared: %(reason)s") % {
            "code": p.get("code", ""),
            "reason": p.get("reason") or _("no reason given"),
        }
    if event.type == T.HOLD_CHECKED_OUT:
        return _("%(code)s hold taken to work on") % {"code": p.get("code", "")}
    if event.type in (T.LINE_ADDED, T.LINE_REMOVED, T.LINE_CANCELLED):
        text = _("line %(line)s, %(quantity)s × %(item)s") % {
            "line": p.get("line"),
            "quantity": p.get("quantity"),
            "item": p.get("item_number"),
        }
        return f"{text} — {p['reason']}" if p.get("reason") else text
    if event.type in (T.CANCELLED, T.SUBMIT_REFUSED):
        return p.get("reason", "")
    if event.type == T.HEADER_CHANGED:
        return "; ".join(
            f"{_label(field)}: {change.get('from') or '—'} → {change.get('to') or '—'}"
            for field, change in (p.get("changes") or {}).items()
        )
    if event.type == T.SHIPPED:
        return _("tracking %(tracking)s") % {"tracking": p["tracking"]} if p.get("tracking") else ""
    shown = {k: v for k, v in p.items() if v not in ("", None, False, [], {})}
    return ", ".join(f"{key}: {value}" for key, value in shown.items())
