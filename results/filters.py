import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from testbeds.filters import YearFilter
from testbeds.models import Municipality, Testbed, Theme

from .models import ResultKind


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
    testbed = django_filters.ModelChoiceFilter(
        label=_("Testbed"),
        field_name="testbed",
        to_field_name="slug",
        queryset=Testbed.objects.published().only("title", "slug").order_by("title"),
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
