"""The render shortcuts of issue 14: ``{% memo %}`` fragments and the Python-written inputs."""

import pytest
from django import forms
from django.template import engines
from django.test import override_settings
from django.utils import translation

from sodertorn.forms import FastNumberInput, FastTextInput

MEMO = engines["django"].from_string(
    "{% load memo %}{% memo key %}{{ key }}:{{ other }}{% endmemo %}|{{ other }}"
)


def test_memo_renders_once_per_key_and_language():
    assert MEMO.render({"key": "a", "other": 1}) == "a:1|1"
    assert MEMO.render({"key": "a", "other": 2}) == "a:1|2"  # the memo: only key counts
    assert MEMO.render({"key": "b", "other": 3}) == "b:3|3"
    with translation.override("en"):
        assert MEMO.render({"key": "a", "other": 4}) == "a:4|4"


def test_memo_is_forgotten_when_a_setting_changes():
    assert MEMO.render({"key": "c", "other": 1}) == "c:1|1"
    with override_settings(ROOT_URLCONF="sodertorn.urls"):
        assert MEMO.render({"key": "c", "other": 2}) == "c:2|2"


@pytest.mark.parametrize(
    ("fast", "django_widget", "attrs"),
    [
        (FastTextInput, forms.TextInput, {"type": "search"}),
        (FastTextInput, forms.TextInput, {"maxlength": "200", "required": True, "x": False}),
        (FastNumberInput, forms.NumberInput, {"inputmode": "numeric", "min": 1900}),
    ],
)
@pytest.mark.parametrize("value", [None, "", "grön <&\"'>", 2016])
def test_fast_inputs_write_djangos_html(fast, django_widget, attrs, value):
    render = {"name": "q", "value": value, "attrs": {"id": "id_q"}}
    assert fast(attrs=attrs).render(**render) == django_widget(attrs=attrs).render(**render)
