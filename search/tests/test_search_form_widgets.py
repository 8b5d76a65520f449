"""The search form writes its inputs in Python (sodertorn/forms.py's fast widgets: the search
page is never page-cached, so each search renders them) with exactly Django's HTML."""

import pytest
from django import forms

from search.forms import SearchForm
from sodertorn.forms import FastSelect, FastTextInput
from testbeds.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("data", [{}, {"q": "grön <&\"'>", "type": "nope", "municipality": "x"}])
def test_the_search_form_is_djangos_html(data):
    MunicipalityFactory(name="Huddinge")
    fast = SearchForm(data or None)
    assert isinstance(fast.fields["q"].widget, FastTextInput)
    assert all(isinstance(fast.fields[n].widget, FastSelect) for n in ("type", "municipality"))
    stock = SearchForm(data or None)
    for name, field in stock.fields.items():
        widget = field.widget
        stock_class = forms.TextInput if name == "q" else forms.Select
        replacement = stock_class(attrs=widget.attrs)
        replacement.choices = getattr(widget, "choices", [])
        replacement.is_required = widget.is_required
        if name == "q":
            replacement.input_type = widget.input_type
        field.widget = replacement
    for name in fast.fields:
        assert str(fast[name]) == str(stock[name])
    assert "Huddinge" in str(fast["municipality"])
