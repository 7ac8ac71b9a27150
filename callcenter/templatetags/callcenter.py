from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from callcenter.money import format_money
from callcenter.slots import slot as get_slot

register = template.Library()


@register.filter
def money(value):
    """An amount in the active locale, always with two decimals."""
    return format_money(value)


@register.simple_tag(takes_context=True)
def slot(context, name, **kwargs):
    """Render what higher apps registered in the slot ``name``."""
    request = context["request"]
    parts = []
    for template_name, extra in get_slot(name).render_items(request, **kwargs):
        parts.append(get_template(template_name).render({**extra, "request": request}, request))
    return mark_safe("".join(parts))
