"""The ``hidden`` filter writes a hidden field's input as Django's widget does."""

import uuid

import pytest
from django import forms

from callcenter.templatetags.callcenter import hidden, option_tags


class KeyedForm(forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    line = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


@pytest.mark.parametrize(
    ("data", "initial"),
    [
        (None, {"idempotency_key": uuid.uuid4(), "line": 1031, "version": 7}),
        (None, {}),  # no value: no value attribute
        ({"idempotency_key": "not-a-uuid", "line": '3" onclick="x', "version": ""}, {}),
    ],
    ids=["initial", "empty", "posted"],
)
def test_the_filter_writes_what_the_widget_writes(data, initial):
    form = KeyedForm(data, initial=initial, auto_id="row-5-%s")
    for name in ("idempotency_key", "line", "version"):
        assert hidden(form[name]) == str(form[name])


def test_option_tags_select_the_chosen_value_and_escape_labels():
    html = option_tags([("", "(none)"), ("1", "Ground <fast>"), ("2", "Air")], 1)
    assert html == (
        '<option value="">(none)</option>'
        '<option value="1" selected>Ground &lt;fast&gt;</option>'
        '<option value="2">Air</option>'
    )
    assert "selected" not in option_tags([("1", "Ground")], None)
