from django import forms
from django.utils.translation import gettext_lazy as _

from sodertorn.forms import FastSelect, FastTextInput
from testbeds.models import Municipality

from . import registry
from .query import MAX_LENGTH


def type_choices():
    return [("", _("All types")), *((s.key, s.label) for s in registry.sources())]


class SearchForm(forms.Form):
    """The words (any text: made safe by query.Query.parse) and the two filters."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        strip=False,
        widget=FastTextInput(
            attrs={"type": "search", "maxlength": MAX_LENGTH, "autocomplete": "off"}
        ),
    )
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=type_choices,
        widget=FastSelect,
        error_messages={"invalid_choice": _("Unknown type: choose one from the list.")},
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.only("name", "slug"),
        to_field_name="slug",
        empty_label=_("All municipalities"),
        widget=FastSelect,
        error_messages={"invalid_choice": _("Unknown municipality: choose one from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No NUL check: Query.parse removes control characters instead of refusing the search.
        self.fields["q"].validators = []
