"""The testbed page's indicator section (a ``testbed_sections`` hook, indicators/hooks.py)."""

from django.db.models import Prefetch

TEMPLATE = "indicators/_testbed_section.html"


def testbed_prefetches() -> list[Prefetch]:
    """The testbed's indicators (one query); their values come from ``latest_values``."""
    from .models import Indicator

    return [
        Prefetch(
            "indicators",
            queryset=Indicator.objects.order_by("dimension", "name").only(
                "id", "code", "name", "unit", "decimals", "direction", "dimension"
            ),
        )
    ]


def latest_values(indicator_ids, municipality_ids) -> dict[tuple[int, int], list[tuple]]:
    """(indicator id, municipality id) -> its total (T) series as (year, value, is_example)
    rows, oldest first: one query of plain rows for the whole section, only for the testbed's
    own municipalities (the page shows the latest value and the one before)."""
    from .models import Gender, Observation

    if not indicator_ids or not municipality_ids:
        return {}
    rows = (
        Observation.objects.filter(
            indicator_id__in=indicator_ids,
            gender=Gender.TOTAL,
            area__municipality_id__in=municipality_ids,
        )
        .order_by("year")
        .values_list("indicator_id", "area__municipality_id", "year", "value", "is_example")
    )
    series: dict[tuple[int, int], list[tuple]] = {}
    for indicator_id, municipality_id, *row in rows:
        series.setdefault((indicator_id, municipality_id), []).append(row)
    return series


def series_per_place(indicators, municipalities):
    """(indicator, municipality, series) for every pair with values, indicators first, in the
    given orders; the series as ``latest_values`` gives it. One query."""
    series = latest_values([i.pk for i in indicators], [m.pk for m in municipalities])
    for indicator in indicators:
        for municipality in municipalities:
            if observations := series.get((indicator.pk, municipality.pk)):
                yield indicator, municipality, observations
