"""The order page's Continuity program panel: the schedule of each program sold on the
order and its total commitment. With ``oob=True`` it is an htmx out-of-band swap, sent
with every change of the lines."""

from django import template

from .. import continuity

register = template.Library()


@register.inclusion_tag("orders/_continuity_panel.html")
def continuity_panel(order, oob=False):
    return {
        "order": order,
        "oob": oob,
        "schedules": continuity.schedules_on_order(order) if order.is_editable else [],
    }
