"""The filters of the indicators' open-data resources (indicators/api.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from testbeds.filters import YearFilter

from .models import MAX_YEAR, MIN_YEAR, Gender, Indicator


class ObservationFilter(django_filters.FilterSet):
    """The filters of /api/v1/observations/ (the indicator pages choose the same things)."""

    indicator = django_filters.ModelChoiceFilter(
        label=_("Indicator"),
        to_field_name="code",
        queryset=Indicator.objects.only("code"),
        error_messages={"invalid_choice": _("Unknown indicator: choose one from the list.")},
    )
    area = django_filters.CharFilter(
        label=_("Area code"),
        method="filter_area",
        max_length=30,
    )
    year = YearFilter(
        label=_("Year"),
        field_name="year",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={"invalid": _("Write the year as four digits, for example 2016.")},
    )
    gender = django_filters.ChoiceFilter(
        label=_("Gender"),
        choices=Gender.choices,
        error_messages={"invalid_choice": _("Unknown gender: choose T, K or M.")},
    )

    class Meta:
        fields = ["indicator", "area", "year", "gender"]

    def filter_area(self, queryset, name, value):
        return queryset.filter(area_code=value)
