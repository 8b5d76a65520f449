"""Reads for the indicator pages: each function makes a fixed number of queries, whatever the
number of areas, years or observations (the query-count tests hold them to it)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Subquery

from testbeds.models import Testbed

from . import charts
from .models import Area, AreaKind, Dimension, Gender, Indicator, Observation


def indicators_by_dimension() -> list[tuple[str, str, list[Indicator]]]:
    """[(dimension, label, [indicator…])] with each indicator's latest year (total, T) and the
    lowest and highest value across areas that year; one query."""
    totals = Observation.objects.filter(indicator=OuterRef("pk"), gender=Gender.TOTAL)
    latest_year = totals.order_by("-year").values("year")[:1]
    in_latest = Observation.objects.filter(
        indicator=OuterRef("pk"), gender=Gender.TOTAL, year=OuterRef("latest_year")
    )
    indicators = Indicator.objects.annotate(
        latest_year=Subquery(latest_year),
        latest_min=Subquery(in_latest.values("indicator").annotate(m=Min("value")).values("m")[:1]),
        latest_max=Subquery(in_latest.values("indicator").annotate(m=Max("value")).values("m")[:1]),
        latest_area_count=Subquery(
            in_latest.values("indicator").annotate(n=Count("area")).values("n")[:1]
        ),
        latest_has_example=Exists(in_latest.filter(is_example=True)),
    ).order_by("name")
    groups = {value: [] for value in Dimension.values}
    for indicator in indicators:
        groups[indicator.dimension].append(indicator)
    return [(value, label, groups[value]) for value, label in Dimension.choices]


def area_kinds() -> list[str]:
    """The kinds of area that exist, in the order of AreaKind."""
    present = set(Area.objects.values_list("kind", flat=True).distinct())
    return [kind for kind in AreaKind.values if kind in present]


@dataclass
class Series:
    """An indicator's observations for one gender and one kind of area."""

    areas: list[Area]
    values: dict[int, dict[int, tuple[Decimal, bool]]]  # area id -> year -> (value, example)
    years: list[int] = field(default_factory=list)

    @property
    def has_example(self) -> bool:
        return any(ex for by_year in self.values.values() for _v, ex in by_year.values())


def indicator_series(indicator: Indicator, *, kind: str, gender: str) -> Series:
    """Areas of one kind (with boundaries, for the map) and their values; two queries."""
    areas = list(
        Area.objects.with_identity()
        .filter(kind=kind)
        .defer("parent__own_boundary", "parent__municipality__boundary")
        .order_by("area_name", "pk")
    )
    values: dict[int, dict[int, tuple[Decimal, bool]]] = defaultdict(dict)
    years = set()
    rows = Observation.objects.filter(
        indicator=indicator, gender=gender, area__kind=kind
    ).values_list("area_id", "year", "value", "is_example")
    for area_id, year, value, is_example in rows:
        values[area_id][year] = (value, is_example)
        years.add(year)
    return Series(areas=areas, values=dict(values), years=sorted(years))


def indicator_genders(indicator: Indicator) -> list[str]:
    present = set(indicator.observations.values_list("gender", flat=True).distinct())
    return [gender for gender in Gender.values if gender in present] or [Gender.TOTAL]


def indicator_kinds(indicator: Indicator) -> list[str]:
    present = set(indicator.observations.values_list("area__kind", flat=True).distinct())
    return [kind for kind in AreaKind.values if kind in present]


def indicator_detail_queryset():
    return Indicator.objects.prefetch_related(
        "themes",
        Prefetch(
            "testbeds",
            queryset=Testbed.objects.published().only("title", "slug", "is_demo").order_by("title"),
            to_attr="published_testbeds",
        ),
    )


@dataclass
class AreaIndicatorRow:
    indicator: Indicator
    points: list[tuple[int, Decimal, bool]]  # (year, value, example), by year
    parent_points: dict[int, Decimal]

    @property
    def latest(self):
        return self.points[-1] if self.points else None

    @property
    def previous(self):
        return self.points[-2] if len(self.points) > 1 else None

    @property
    def change(self) -> Decimal | None:
        if self.latest is None or self.previous is None:
            return None
        return self.latest[1] - self.previous[1]

    @property
    def parent_latest(self) -> Decimal | None:
        if self.latest is None:
            return None
        return self.parent_points.get(self.latest[0])

    @property
    def has_example(self) -> bool:
        return any(ex for _y, _v, ex in self.points)

    @property
    def sparkline(self) -> str:
        return charts.sparkline([(year, value) for year, value, _ex in self.points])


def area_rows(area: Area) -> list[tuple[str, str, list[AreaIndicatorRow]]]:
    """Every indicator with the area's total (T) series and the parent's, by dimension; two
    queries."""
    indicators = list(Indicator.objects.order_by("name"))
    area_ids = [area.pk] + ([area.parent_id] if area.parent_id else [])
    points: dict[tuple[int, int], list] = defaultdict(list)
    for indicator_id, area_id, year, value, is_example in (
        Observation.objects.filter(area_id__in=area_ids, gender=Gender.TOTAL)
        .order_by("year")
        .values_list("indicator_id", "area_id", "year", "value", "is_example")
    ):
        points[(indicator_id, area_id)].append((year, value, is_example))
    groups = {value: [] for value in Dimension.values}
    for indicator in indicators:
        own = points.get((indicator.pk, area.pk), [])
        parent = {y: v for y, v, _e in points.get((indicator.pk, area.parent_id), [])}
        groups[indicator.dimension].append(
            AreaIndicatorRow(indicator=indicator, points=own, parent_points=parent)
        )
    return [(value, label, groups[value]) for value, label in Dimension.choices if groups[value]]


@dataclass
class AnalysisData:
    areas: list[Area]
    # (indicator id, area id, gender) -> {year: (value, example)}
    values: dict[tuple[int, int, str], dict[int, tuple[Decimal, bool]]]
    genders: dict[int, set[str]]  # indicator id -> genders it has at this level


def analysis_data(
    indicators: list[Indicator], *, kind: str | None, genders: list[str]
) -> AnalysisData:
    """Areas (of one kind, or all) and the chosen indicators' values; two queries."""
    areas_qs = Area.objects.light().order_by("kind", "area_name", "pk")
    observations = Observation.objects.filter(indicator__in=[i.pk for i in indicators])
    if kind:
        areas_qs = areas_qs.filter(kind=kind)
        observations = observations.filter(area__kind=kind)
    values: dict[tuple[int, int, str], dict[int, tuple[Decimal, bool]]] = defaultdict(dict)
    present: dict[int, set[str]] = defaultdict(set)
    for indicator_id, area_id, gender, year, value, is_example in observations.filter(
        gender__in={Gender.TOTAL, *genders}
    ).values_list("indicator_id", "area_id", "gender", "year", "value", "is_example"):
        values[(indicator_id, area_id, gender)][year] = (value, is_example)
        present[indicator_id].add(gender)
    return AnalysisData(areas=list(areas_qs), values=dict(values), genders=dict(present))


def indicator_years(indicator_ids: list[int], kind: str | None) -> list[int]:
    observations = Observation.objects.filter(indicator_id__in=indicator_ids)
    if kind:
        observations = observations.filter(area__kind=kind)
    return sorted(set(observations.values_list("year", flat=True).distinct()))
