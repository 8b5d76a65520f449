"""The indicators' part of the fact sheets (``testbed_factsheet`` and ``municipality_factsheet``
hooks, indicators/hooks.py): key indicators, each with its latest value against its target.

A bounded list for one printed page: the indicators with a target first, then by dimension
and name, at most ``LIMIT`` rows, with the number left out. Two queries, whatever the number of
indicators and observations (the indicators, then their values: ``sections.latest_values``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, ExpressionWrapper, Q

from .models import Indicator
from .sections import series_per_place
from .selectors import gap_status

LIMIT = 6
TEMPLATE = "indicators/_factsheet_indicators.html"


@dataclass
class KeyIndicator:
    indicator: Indicator
    place: str
    year: int
    value: Decimal
    target: dict | None  # gap_status(): the gap and whether the target is met
    is_example: bool


def _key_order(queryset):
    return queryset.alias(
        no_target=ExpressionWrapper(Q(target_value__isnull=True), output_field=BooleanField())
    ).order_by("no_target", "dimension", "name", "id")


def _fields(queryset):
    return queryset.only(
        "id", "code", "name", "unit", "decimals", "direction", "target_value", "target_year"
    )


def key_indicators(indicators: list[Indicator], municipalities: list) -> dict:
    """The rows of ``indicators`` x ``municipalities`` (each municipality's own total series)
    that have a value, at most LIMIT, and how many were left out."""
    rows = []
    for indicator, municipality, observations in series_per_place(indicators, municipalities):
        year, value, is_example = observations[-1]
        rows.append(
            KeyIndicator(
                indicator=indicator,
                place=municipality.name,
                year=year,
                value=value,
                target=gap_status(indicator, value) if indicator.has_target else None,
                is_example=is_example,
            )
        )
    return {
        "factsheet_indicators": rows[:LIMIT],
        "factsheet_indicators_more": max(len(rows) - LIMIT, 0),
        "factsheet_indicators_example": any(row.is_example for row in rows[:LIMIT]),
    }


def testbed_context(testbed) -> dict:
    """The testbed's indicators in its municipalities (prefetched on the sheet's testbed).
    Bounded before the values are read: LIMIT indicators at most."""
    indicators = list(_fields(_key_order(testbed.indicators.all()))[:LIMIT])
    return key_indicators(indicators, list(testbed.municipalities.all()))


def municipality_context(municipality) -> dict:
    """The municipality's key indicators: those with a target first."""
    indicators = list(_fields(_key_order(Indicator.objects.all()))[:LIMIT])
    return key_indicators(indicators, [municipality])
