"""Choice labels from a mapping built once per field.

Django's ``get_<field>_display()`` builds a dictionary of every choice on each call and
hashes each label to do so; a lazily translated label is translated to be hashed. For
an order's history (twenty-odd event types, one call per event) that was ~0.1 ms per
row. Here each field's ``{value: label}`` mapping is built once, when the apps are
ready; labels stay lazy, so each call still answers in the active language.
"""

from functools import partialmethod

from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _display(field):
    labels = dict(make_hashable(field.flatchoices))  # what Django builds on each call

    def get_display(self):
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

    get_display.__name__ = f"get_{field.name}_display"
    return get_display


def keep_choice_labels(models) -> None:
    """Give each model's fields with choices a ``get_<field>_display`` reading a kept
    mapping; a method the model defines itself, and choices computed by a callable
    (they may change), are left alone."""
    for model in models:
        for field in model._meta.local_concrete_fields:
            name = f"get_{field.name}_display"
            if (
                field.choices
                and not isinstance(field.choices, CallableChoiceIterator)
                and isinstance(model.__dict__.get(name), partialmethod)
            ):
                setattr(model, name, _display(field))
