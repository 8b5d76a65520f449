import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from testbeds.filters import YearFilter
from testbeds.models import Municipality, Testbed, Theme

from .models import Result, ResultKind


class OfferedSelect(forms.Select):
    """A select that offers only some choices, plus the chosen value when it is not among them
    (``lookup(value)`` gives its label, or None), so a valid filter always shows as chosen."""

    def __init__(self, *args, lookup=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup = lookup

    def get_context(self, name, value, attrs):
        choices = list(self.choices)  # one query, whatever the template does next
        chosen = str(value) if value not in (None, "") else ""
        if chosen and self.lookup and chosen not in {str(key) for key, _label in choices}:
            label = self.lookup(chosen)
            if label is not None:
                choices.append((chosen, label))
        self.choices = choices
        return super().get_context(name, value, attrs)


class OfferedModelChoiceField(forms.ModelChoiceField):
    """Validates against the whole ``queryset`` (every published testbed stays a valid value, as
    the API and links rely on), but its select offers only ``offered()``'s rows: a page with a
    bounded list of choices at any catalogue size."""

    def __init__(self, *args, offered, **kwargs):
        self.offered = offered
        super().__init__(*args, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.choices = self.offered_choices
        self.widget.lookup = self.label_of

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def offered_choices(self):
        empty = [("", self.empty_label)] if self.empty_label is not None else []
        return empty + [(getattr(obj, self.to_field_name), str(obj)) for obj in self.offered()]

    def label_of(self, value):
        if "\x00" in str(value):
            return None  # PostgreSQL text cannot hold NUL: no such testbed, and no query
        obj = self.queryset.filter(**{self.to_field_name: value}).first()
        return None if obj is None else str(obj)


class OfferedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = OfferedModelChoiceField


def testbeds_with_results():
    """The published testbeds that have a published result (the only ones worth offering)."""
    return (
        Testbed.objects.published()
        .filter(pk__in=Result.objects.published().values("testbed"))
        .only("title", "slug")
        .order_by("title")
    )


def theme_filter(field_name):
    return django_filters.ModelChoiceFilter(
        label=_("Theme"),
        field_name=field_name,
        to_field_name="slug",
        queryset=Theme.objects.only("name", "slug"),
        empty_label=_("All themes"),
        error_messages={"invalid_choice": _("Unknown theme: choose one from the list.")},
    )


def municipality_filter(field_name):
    return django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        field_name=field_name,
        to_field_name="slug",
        queryset=Municipality.objects.only("name", "slug"),
        empty_label=_("All municipalities"),
        error_messages={"invalid_choice": _("Unknown municipality: choose one from the list.")},
    )


class ResultFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=ResultKind.choices,
        empty_label=_("All kinds"),
        error_messages={"invalid_choice": _("Unknown kind: choose one from the list.")},
    )
    theme = theme_filter("testbed__themes")
    municipality = municipality_filter("testbed__municipalities")
    # Offers only the testbeds with results; any published testbed's slug stays valid.
    testbed = OfferedModelChoiceFilter(
        label=_("Testbed"),
        field_name="testbed",
        to_field_name="slug",
        queryset=Testbed.objects.published().only("title", "slug").order_by("title"),
        offered=testbeds_with_results,
        widget=OfferedSelect,
        empty_label=_("All testbeds"),
        error_messages={"invalid_choice": _("Unknown testbed: choose one from the list.")},
    )
    year = YearFilter(
        label=_("Year"),
        field_name="date__year",
        min_value=1900,
        max_value=2100,
        error_messages={"invalid": _("Write the year as four digits, for example 2016.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        fields = ["kind", "theme", "municipality", "testbed", "year"]


class FilmFilter(django_filters.FilterSet):
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        method="filter_theme",
        to_field_name="slug",
        queryset=Theme.objects.only("name", "slug"),
        empty_label=_("All themes"),
        error_messages={"invalid_choice": _("Unknown theme: choose one from the list.")},
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        method="filter_municipality",
        to_field_name="slug",
        queryset=Municipality.objects.only("name", "slug"),
        empty_label=_("All municipalities"),
        error_messages={"invalid_choice": _("Unknown municipality: choose one from the list.")},
    )

    class Meta:
        fields = ["theme", "municipality"]

    @staticmethod
    def _via_testbed(queryset, lookup, value):
        """Films linked to a matching testbed directly or through their result."""
        direct = Testbed.objects.filter(**{lookup: value}).values("pk")
        return queryset.filter(Q(testbed__in=direct) | Q(result__testbed__in=direct))

    def filter_theme(self, queryset, name, value):
        return self._via_testbed(queryset, "themes", value)

    def filter_municipality(self, queryset, name, value):
        return self._via_testbed(queryset, "municipalities", value)
