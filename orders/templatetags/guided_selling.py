"""The order page's guided-selling panels: the script and the upsell prompt.

Each renders in a fixed number of queries; with ``oob=True`` it is an htmx
out-of-band swap, sent with every change of the lines or the header.
"""

from django import template

from .. import guided_selling

register = template.Library()


def _base(context, order, oob):
    return {
        "order": order,
        "oob": oob,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("orders/_script_panel.html", takes_context=True)
def script_panel(context, order, oob=False):
    return _base(context, order, oob) | {"panel": guided_selling.scripts_for(order)}


@register.inclusion_tag("orders/_upsell_prompt.html", takes_context=True)
def upsell_prompt(context, order, oob=False):
    prompts = guided_selling.pending_prompts(order)
    return _base(context, order, oob) | {
        "prompts": prompts,
        "offers": [offer for prompt in prompts for offer in prompt.offers],
        "show_scripts": order.call_center.direct_selling_enabled,
    }
