from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from callcenter.fields import first_of_each_label
from callcenter.money import format_money
from callcenter.slots import slot as get_slot

register = template.Library()


@register.filter
def money(value):
    """An amount in the active locale, always with two decimals."""
    return format_money(value)


@register.simple_tag(takes_context=True)
def slot(context, name, **kwargs):
    """Render what higher apps registered in the slot ``name``.

    Each template is rendered in the page's context with its own values on top, as
    ``{% include %}`` does: the context processors' values (user, perms, csrf_token...)
    are the page's, not computed again for every contribution.
    """
    engine = context.template.engine
    parts = []
    for template_name, extra in get_slot(name).render_items(context["request"], **kwargs):
        with context.push(**extra):
            parts.append(engine.get_template(template_name).render(context))
    return mark_safe("".join(parts))


@register.filter
def hidden(bound_field):
    """A hidden field's ``<input>``, as its widget writes it, without rendering the
    widget's templates (a form key or version on every row of a dialog)."""
    value = bound_field.field.widget.format_value(bound_field.value())
    value_attribute = "" if value is None else format_html(' value="{}"', value)
    return format_html(
        '<input type="hidden" name="{}"{} id="{}">',
        bound_field.html_name,
        value_attribute,
        bound_field.auto_id,
    )


@register.filter
def numbered(label, number):
    """``label``, a text translated once before a loop with ``__n__`` where a row's
    number goes (``{% blocktranslate with n="__n__" asvar label %}``), with ``number``
    there: every row of a table says "Remove line 3" without a translation per row."""
    return mark_safe(str(label).replace("__n__", str(int(number))))


@register.filter
def option_tags(choices, chosen=""):
    """The ``<option>`` tags of ``(value, label)`` pairs, the one whose value is
    ``chosen`` selected: a select's options without a template loop per option."""
    chosen = "" if chosen is None else str(chosen)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == chosen else "", label)
            for value, label in choices
        ),
    )


@register.filter
def field_kind(bound_field) -> str:
    """ "select", "textarea" or "input": how ``_field.html`` writes the field out."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


@register.filter
def choices(bound_field) -> list[tuple]:
    """The field's options as a list. A model choice field's are read in one plain query:
    its own iterator counts the rows first and, on PostgreSQL, reads them through a
    server-side cursor (four round trips)."""
    field = bound_field.field
    if not isinstance(field, forms.ModelChoiceField):
        return list(field.choices)
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    if getattr(field, "options", None) is not None:  # kept with the setup data
        return empty + list(field.options)
    options = field.iterator(field)  # Django's own options, from a plain read of the queryset
    listed = [options.choice(obj) for obj in field.queryset]
    if getattr(field, "distinct_labels", False):
        listed = first_of_each_label(listed)
    return empty + listed


@register.filter
def widget_attrs(bound_field):
    """The widget's own attributes (min, max, maxlength, rows, required…) as HTML, for
    ``_field.html``; name, id and class are written by the template."""
    field = bound_field.field
    attrs = bound_field.build_widget_attrs(
        {**field.widget.attrs, **field.widget_attrs(field.widget)}, field.widget
    )
    for written in ("name", "id", "class"):
        attrs.pop(written, None)
    return flatatt(attrs)
