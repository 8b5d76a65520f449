"""A testbed's effect against similar places (issue 18, part 5): its small areas before and
after its start, beside the small areas most like them before it started.

The idea is Kolada's "liknande kommuner", done for small areas:

1. The testbed's small areas are those it lies in (``selectors.areas_of_testbed``: its point,
   else the centre of its drawn area). A testbed in no small area has no effect page.
2. The indicators are the curator's choice: the flag ``Indicator.used_for_similarity``, set in
   the admin (a flag rather than a list in code, so whoever keeps the indicators keeps it right
   without a release). They choose the comparison areas and are the ones followed.
3. Each small area's profile is its mean value (total, T) of each chosen indicator in the
   years *before* the start year; only those years count, so what happened after the start
   cannot make an area look more or less alike. Each indicator is standardised over all small
   areas (z-scores: minus the mean, divided by the standard deviation), so an indicator in
   thousands does not outweigh one in per cent.
4. The distance between the testbed's profile (the mean of its areas') and another area's is
   the root mean square of the z-score differences: in standard deviations, 0 for the same
   values. The ``K`` nearest other small areas, ties broken by name, form the comparison group.
5. For each chosen indicator: the testbed's series (mean of its areas) and the comparison
   group's (mean of the K areas) per year, and the change from the last year before the
   start (the base year) to the latest year: the testbed's change minus the group's is a
   simple difference-in-differences. A comparison, not proof: the page says so.

Bounded: the testbed (one query), the areas it lies in (one), the chosen indicators (one), every
small area's values of them (one, plain rows with values_list) and the comparison areas' names
and municipalities (one), whatever the number of areas or years. The arithmetic is pure Python
on floats; the numbers shown are rounded to each indicator's decimals.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import charts
from .models import Area, AreaKind, Gender, Indicator, Observation

# The size of the comparison group.
K = 5
# The chart of each indicator: wider than the indicator pages' small multiples, for the labels
# at the end of its two lines.
CHART_WIDTH, CHART_HEIGHT, LABEL_ROOM = 320, 170, 86
# Two end labels closer than this (in the chart's units) are moved apart.
LABEL_GAP = 12.0

# Types of the pure functions' inputs: {area id: {indicator id: value}}, and the observation
# rows as (indicator id, area id, year, value, is_example).
Profiles = dict[int, dict[int, float]]


@dataclass
class Neighbour:
    area: Area | None
    area_id: int
    name: str
    distance: float
    profile: dict[int, float] = field(default_factory=dict)

    @property
    def distance_label(self) -> str:
        return charts.format_value(self.distance, 2)


@dataclass
class YearRow:
    year: int
    testbed: float | None
    comparison: float | None
    after_start: bool

    @property
    def difference(self) -> float | None:
        if self.testbed is None or self.comparison is None:
            return None
        return self.testbed - self.comparison


@dataclass
class IndicatorEffect:
    indicator: Indicator
    rows: list[YearRow]
    base_year: int | None = None
    last_year: int | None = None
    testbed_change: float | None = None
    comparison_change: float | None = None
    chart: charts.SmallMultiples | None = None
    end_labels: list[dict] = field(default_factory=list)
    sentence: str = ""
    difference_sentence: str = ""

    @property
    def difference(self) -> float | None:
        if self.testbed_change is None or self.comparison_change is None:
            return None
        return self.testbed_change - self.comparison_change

    @property
    def has_change(self) -> bool:
        return self.difference is not None

    @property
    def change_unit(self) -> str:
        return change_unit(self.indicator)

    def formatted(self, value) -> str:
        return signed(value, self.indicator.decimals)


@dataclass
class Effect:
    testbed: object
    start_year: int
    areas: list[Area]
    indicators: list[Indicator] = field(default_factory=list)
    neighbours: list[Neighbour] = field(default_factory=list)
    own_profile: dict[int, float] = field(default_factory=dict)
    before_years: tuple[int, int] | None = None
    effects: list[IndicatorEffect] = field(default_factory=list)
    has_example: bool = False
    problem: str = ""

    @property
    def has_comparison(self) -> bool:
        return bool(self.neighbours) and not self.problem


# Pure functions -----------------------------------------------------------------------------


def profiles_before(rows, start_year: int) -> Profiles:
    """{area id: {indicator id: mean value in the years before ``start_year``}}."""
    sums: dict[tuple[int, int], list[float]] = defaultdict(list)
    for indicator_id, area_id, year, value, _example in rows:
        if year < start_year:
            sums[(area_id, indicator_id)].append(float(value))
    profiles: Profiles = defaultdict(dict)
    for (area_id, indicator_id), values in sums.items():
        profiles[area_id][indicator_id] = sum(values) / len(values)
    return dict(profiles)


def standardise(profiles: Profiles) -> Profiles:
    """The profiles as z-scores per indicator over all areas with a value; an indicator that
    does not vary (or has one area) is left out, as it cannot tell areas apart."""
    by_indicator: dict[int, list[float]] = defaultdict(list)
    for profile in profiles.values():
        for indicator_id, value in profile.items():
            by_indicator[indicator_id].append(value)
    scales = {}
    for indicator_id, values in by_indicator.items():
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
        if len(values) > 1 and sd > 1e-12:
            scales[indicator_id] = (mean, sd)
    return {
        area_id: {
            indicator_id: (value - scales[indicator_id][0]) / scales[indicator_id][1]
            for indicator_id, value in profile.items()
            if indicator_id in scales
        }
        for area_id, profile in profiles.items()
    }


def mean_profile(profiles: Profiles, area_ids) -> dict[int, float]:
    """The mean of the given areas' profiles, per indicator (over the areas that have it)."""
    values: dict[int, list[float]] = defaultdict(list)
    for area_id in area_ids:
        for indicator_id, value in profiles.get(area_id, {}).items():
            values[indicator_id].append(value)
    return {indicator_id: sum(v) / len(v) for indicator_id, v in values.items()}


def nearest(
    z_profiles: Profiles, own_ids, names: dict[int, str], k: int = K
) -> list[tuple[int, float]]:
    """The ``k`` areas nearest the mean of ``own_ids``'s standardised profiles, as (area id,
    distance), nearest first, ties by name (then id). An area is a candidate when it is not
    one of ``own_ids`` and has a value of every indicator the own profile has."""
    own_ids = set(own_ids)
    target = mean_profile(z_profiles, own_ids)
    if not target:
        return []
    found = []
    for area_id, profile in z_profiles.items():
        if area_id in own_ids or any(i not in profile for i in target):
            continue
        distance = math.sqrt(sum((profile[i] - z) ** 2 for i, z in target.items()) / len(target))
        found.append((distance, names.get(area_id, ""), area_id))
    # Distances equal up to rounding noise count as ties.
    found.sort(key=lambda item: (round(item[0], 9), item[1].casefold(), item[2]))
    return [(area_id, distance) for distance, _name, area_id in found[:k]]


def mean_series(rows, indicator_id: int, area_ids) -> dict[int, tuple[float, bool]]:
    """{year: (mean value of the areas with a value that year, any example value)}."""
    area_ids = set(area_ids)
    values: dict[int, list[float]] = defaultdict(list)
    examples: dict[int, bool] = defaultdict(bool)
    for row_indicator, area_id, year, value, is_example in rows:
        if row_indicator == indicator_id and area_id in area_ids:
            values[year].append(float(value))
            examples[year] |= bool(is_example)
    return {year: (sum(v) / len(v), examples[year]) for year, v in values.items()}


def difference_in_differences(testbed: dict, comparison: dict, start_year: int):
    """(base year, last year, testbed change, comparison change) from the last year before the
    start with both values to the latest year from the start on with both; the changes are
    None when either year is missing. The series are {year: value}."""
    shared = sorted(set(testbed) & set(comparison))
    before = [year for year in shared if year < start_year]
    after = [year for year in shared if year >= start_year]
    if not before or not after:
        return None, None, None, None
    base, last = before[-1], after[-1]
    return base, last, testbed[last] - testbed[base], comparison[last] - comparison[base]


# Words and numbers --------------------------------------------------------------------------


def rounded(value: float, decimals: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def signed(value, decimals: int) -> str:
    """A change for people: +1,9 or −0,4 in Swedish (a true minus sign), 0,0 unchanged."""
    if value is None:
        return "–"
    number = rounded(value, decimals)
    text = charts.format_value(abs(number), decimals)
    if number > 0:
        return f"+{text}"
    if number < 0:
        return f"\u2212{text}"
    return text


def change_unit(indicator) -> str:
    """The unit of a change: a share in per cent changes by percentage points."""
    if indicator.unit.strip() == "%":
        return _("percentage points")
    return indicator.unit


def sentence(effect: IndicatorEffect, start_year: int, count: int) -> str:
    """What changed, in words, from the rounded numbers (the same as in the table)."""
    indicator = effect.indicator
    decimals = indicator.decimals
    testbed = rounded(effect.testbed_change, decimals)
    comparison = rounded(effect.comparison_change, decimals)
    params = {
        "year": start_year,
        "indicator": indicator.name,
        "change": charts.format_value(abs(testbed), decimals),
        "comparison": charts.format_value(abs(comparison), decimals),
        "unit": change_unit(indicator),
        "count": count,
    }
    if testbed > 0:
        first = _(
            "After the start in %(year)d, “%(indicator)s” rose by %(change)s %(unit)s in the "
            "testbed's area"
        )
    elif testbed < 0:
        first = _(
            "After the start in %(year)d, “%(indicator)s” fell by %(change)s %(unit)s in the "
            "testbed's area"
        )
    else:
        first = _(
            "After the start in %(year)d, “%(indicator)s” stayed the same in the testbed's area"
        )
    if comparison > 0:
        second = ngettext(
            "and rose by %(comparison)s in the most similar area.",
            "and rose by %(comparison)s in the %(count)d most similar areas.",
            count,
        )
    elif comparison < 0:
        second = ngettext(
            "and fell by %(comparison)s in the most similar area.",
            "and fell by %(comparison)s in the %(count)d most similar areas.",
            count,
        )
    else:
        second = ngettext(
            "and stayed the same in the most similar area.",
            "and stayed the same in the %(count)d most similar areas.",
            count,
        )
    # Joined with a space: each part is a whole clause for the translator.
    # (A unit-less indicator leaves a double space.)
    return " ".join(f"{first % params} {second % params}".split())


def difference_sentence(effect: IndicatorEffect) -> str:
    text = _(
        "The difference in change, the testbed's area minus the comparison areas from %(base)d "
        "to %(last)d, is %(difference)s %(unit)s. It is a comparison, not proof that the "
        "testbed caused the difference."
    ) % {
        "base": effect.base_year,
        "last": effect.last_year,
        "difference": signed(effect.difference, effect.indicator.decimals),
        "unit": change_unit(effect.indicator),
    }
    return " ".join(text.split()).replace(" .", ".")


# The chart ----------------------------------------------------------------------------------


def _chart(effect: IndicatorEffect, start_year: int):
    testbed = [
        (r.year, Decimal(str(r.testbed)), False) for r in effect.rows if r.testbed is not None
    ]
    comparison = [
        (r.year, Decimal(str(r.comparison)), False) for r in effect.rows if r.comparison is not None
    ]
    if not testbed and not comparison:
        return None, []
    chart = charts.small_multiples(
        [
            ("testbed", _("Testbed's area"), "", testbed),
            ("comparison", _("Comparison"), "", comparison),
        ],
        decimals=effect.indicator.decimals,
        unit=effect.indicator.unit,
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        right_margin=LABEL_ROOM,
        mark_year=start_year,
    )
    # Direct labels at the end of each line, moved apart when they would overlap.
    labels = [
        {
            "key": line.key,
            "text": line.title,
            "x": float(line.points[-1].x) + 6,
            "y": float(line.points[-1].y),
        }
        for line in chart.charts
        if line.points
    ]
    if len(labels) == 2 and abs(labels[0]["y"] - labels[1]["y"]) < LABEL_GAP:
        upper, lower = sorted(labels, key=lambda label: label["y"])
        middle = (upper["y"] + lower["y"]) / 2
        upper["y"], lower["y"] = middle - LABEL_GAP / 2, middle + LABEL_GAP / 2
    for label in labels:
        label["x"] = charts.svg_number(label["x"])
        label["y"] = charts.svg_number(label["y"] + 4)  # the baseline a little below the point
    return chart, labels


# The selector -------------------------------------------------------------------------------


def similarity_indicators() -> list[Indicator]:
    """The curator's chosen indicators (``used_for_similarity``), by name; one query."""
    return list(Indicator.objects.filter(used_for_similarity=True).order_by("name", "pk"))


def small_area_rows(indicator_ids) -> list[tuple]:
    """Every small area's total (T) values of the indicators as (indicator id, area id, year,
    value, is_example, area name) rows; one query."""
    if not indicator_ids:
        return []
    return list(
        Observation.objects.filter(
            indicator_id__in=indicator_ids,
            gender=Gender.TOTAL,
            area__kind=AreaKind.SMALL_AREA,
        )
        .order_by()
        .values_list("indicator_id", "area_id", "year", "value", "is_example", "area__own_name")
    )


def testbed_effect(testbed, *, k: int = K) -> Effect:
    """The effect of ``testbed`` (see the module's docstring); ``Effect.areas`` is empty for a
    testbed in no small area, ``Effect.problem`` says why there is no comparison."""
    from .selectors import areas_of_testbed

    start_year = testbed.start_date.year
    own = [area for area in areas_of_testbed(testbed) if area.kind == AreaKind.SMALL_AREA]
    effect = Effect(testbed=testbed, start_year=start_year, areas=own)
    if not own:
        return effect
    effect.indicators = indicators = similarity_indicators()
    if not indicators:
        effect.problem = _("No indicator has been chosen for finding similar areas yet.")
        return effect
    data = small_area_rows([indicator.pk for indicator in indicators])
    names = {row[1]: row[5] for row in data}
    rows = [row[:5] for row in data]
    own_ids = [area.pk for area in own]
    profiles = profiles_before(rows, start_year)
    before = sorted({row[2] for row in rows if row[2] < start_year})
    effect.before_years = (before[0], before[-1]) if before else None
    found = nearest(standardise(profiles), own_ids, names, k)
    if not found:
        effect.problem = _(
            "There are too few values before the start to find similar areas: the comparison "
            "needs values of the chosen indicators for the testbed's small area and for other "
            "small areas in the years before the start."
        )
        return effect
    areas = Area.objects.light().in_bulk([area_id for area_id, _d in found])
    effect.neighbours = [
        Neighbour(
            area=areas.get(area_id),
            area_id=area_id,
            name=names.get(area_id, ""),
            distance=distance,
            profile=profiles.get(area_id, {}),
        )
        for area_id, distance in found
    ]
    effect.own_profile = mean_profile(profiles, own_ids)
    neighbour_ids = [area_id for area_id, _d in found]
    used = set(own_ids) | set(neighbour_ids)
    effect.has_example = any(row[4] for row in rows if row[1] in used)
    for indicator in indicators:
        testbed_series = mean_series(rows, indicator.pk, own_ids)
        comparison_series = mean_series(rows, indicator.pk, neighbour_ids)
        years = sorted(set(testbed_series) | set(comparison_series))
        item = IndicatorEffect(
            indicator=indicator,
            rows=[
                YearRow(
                    year=year,
                    testbed=testbed_series[year][0] if year in testbed_series else None,
                    comparison=comparison_series[year][0] if year in comparison_series else None,
                    after_start=year >= start_year,
                )
                for year in years
            ],
        )
        base, last, testbed_change, comparison_change = difference_in_differences(
            {year: value for year, (value, _e) in testbed_series.items()},
            {year: value for year, (value, _e) in comparison_series.items()},
            start_year,
        )
        item.base_year, item.last_year = base, last
        item.testbed_change, item.comparison_change = testbed_change, comparison_change
        item.chart, item.end_labels = _chart(item, start_year)
        if item.has_change:
            item.sentence = sentence(item, start_year, len(found))
            item.difference_sentence = difference_sentence(item)
        effect.effects.append(item)
    return effect
