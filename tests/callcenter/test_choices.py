"""Choice labels read from a kept mapping say what Django's own get_<field>_display says."""

from functools import partialmethod

import pytest
from django.apps import apps
from django.apps.registry import Apps
from django.db import models
from django.utils import translation

from callcenter.choices import keep_choice_labels
from orders.models import OrderEvent, SalesOrder

PROJECT_APPS = ("callcenter", "customers", "catalog", "orders", "payments")


def fields_with_choices():
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.local_concrete_fields:
                if field.choices:
                    yield model, field


def test_every_project_field_with_choices_reads_a_kept_mapping():
    found = list(fields_with_choices())
    assert len(found) > 10
    for model, field in found:
        method = model.__dict__[f"get_{field.name}_display"]
        assert not isinstance(method, partialmethod), f"{model.__name__}.{field.name}"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_label_is_django_s_own_in_the_active_language(language):
    with translation.override(language):
        for model, field in fields_with_choices():
            for value, _label in field.flatchoices:
                instance = model(**{field.attname: value})
                expected = model._get_FIELD_display(instance, field)
                assert getattr(instance, f"get_{field.name}_display")() == expected


def test_a_label_follows_the_language_of_each_call():
    order = SalesOrder(status=SalesOrder.Status.CANCELLED)
    with translation.override("en"):
        english = order.get_status_display()
    with translation.override("fr"):
        french = order.get_status_display()
    assert english == "Cancelled"
    assert french == "Annulée"


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert OrderEvent(type="no_such_type").get_type_display() == "no_such_type"


def test_a_method_the_model_defines_itself_is_kept():
    class Ticket(models.Model):
        state = models.CharField(max_length=1, choices=[("o", "Open")])

        class Meta:
            app_label = "callcenter"
            apps = Apps()  # not in the project's registry

        def __str__(self):
            return self.state

        def get_state_display(self):
            return "own"

    keep_choice_labels([Ticket])
    assert Ticket(state="o").get_state_display() == "own"
