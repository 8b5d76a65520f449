"""Reads for the indicator pages: each function makes a fixed number of queries, whatever the
number of areas, years or observations (the query-count tests hold them to it)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sodertorn.geo import bounds, contains_point, feature_collection, representative_points
from testbeds.models import Testbed

from . import charts
from .forms import AnalysisForm
from .models import Area, AreaKind, Dimension, Direction, Gender, Indicator, Observation


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


def default_year(series: Series) -> int | None:
    """The year a page shows first: the newest of the years with the widest coverage (the most
    areas with a value). An import that brings a new year for only some areas leaves the map on
    the last complete year; the new year stays one choice away."""
    counts = Counter(year for by_year in series.values.values() for year in by_year)
    if not counts:
        return None
    widest = max(counts.values())
    return max(year for year, count in counts.items() if count == widest)


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


# What the pages compute from the reads above (called by the views, and by tests without a
# request) ---------------------------------------------------------------------------------------

REAL_VALUES_LIMIT = 10


def real_values(labels: list[str], has_example: bool, limit: int = REAL_VALUES_LIMIT) -> list[str]:
    """The one rule for naming the real values of mostly invented data: only when the data
    has example values at all, and only when the real ones are few enough to list."""
    return labels if has_example and len(labels) <= limit else []


def real_values_note(series: Series, names: dict[int, str], limit: int = REAL_VALUES_LIMIT):
    """'Tensta 2012'-style labels of the real (not example) values in a mostly invented series."""
    labels = [
        f"{names[area_id]} {year}"
        for area_id, by_year in series.values.items()
        for year, (_value, is_example) in sorted(by_year.items())
        if not is_example and area_id in names
    ]
    return real_values(labels, series.has_example, limit)


def gap_status(indicator: Indicator, value: Decimal) -> dict:
    """The distance from a value to the indicator's target, and whether the target is met."""
    gap = value - indicator.target_value
    if indicator.direction == Direction.HIGHER_IS_BETTER:
        met = value >= indicator.target_value
    elif indicator.direction == Direction.LOWER_IS_BETTER:
        met = value <= indicator.target_value
    else:
        met = None
    return {
        "gap": gap,
        "gap_label": ("+" if gap > 0 else "") + charts.format_value(gap, indicator.decimals),
        "met": met,
    }


def approximate_name(area: Area) -> str:
    """The area's name, with "(approximate boundary)" when its boundary is drawn by hand: for
    the map's tooltips and popups, which have no other place to say so."""
    if area.approximate_boundary:
        return _("%(name)s (approximate boundary)") % {"name": area.name}
    return area.name


def choropleth(indicator: Indicator, series: Series, year: int | None) -> dict:
    """The map of one year: colour classes, a row per area and the GeoJSON features."""
    year_values = {
        area.pk: series.values.get(area.pk, {}).get(year, (None, False))[0] for area in series.areas
    }
    classes = charts.quantile_classes(
        [v for v in year_values.values() if v is not None], indicator.decimals
    )
    map_rows, features = [], []
    label_of = charts.value_formatter(indicator.decimals)
    for area in series.areas:
        value = year_values[area.pk]
        colour_class = charts.class_of(value, classes)
        if colour_class is not None:
            colour_class.count += 1
        map_rows.append((area, value, colour_class))
        if area.boundary:
            features.append(
                {
                    "type": "Feature",
                    "geometry": area.boundary,
                    "properties": {
                        "name": approximate_name(area),
                        "url": area.get_absolute_url(),
                        "value": label_of(value) if value is not None else _("no data"),
                        "unit": indicator.unit,
                        "className": colour_class.css if colour_class else "choropleth-none",
                        "classLabel": colour_class.label if colour_class else "",
                        # Stockholm's prioritised districts (seed 004): a word in the tooltip
                        # and a thicker outline, and a mark in the map's table.
                        "prioritised": pgettext("area", "Prioritised") if area.prioritised else "",
                    },
                }
            )
    return {
        "classes": classes,
        "map_rows": map_rows,
        "map_features": feature_collection(features),
        "missing_count": sum(1 for _a, value, _c in map_rows if value is None),
        "has_prioritised": any(area.prioritised for area in series.areas),
        "has_approximate": any(area.approximate_boundary for area in series.areas),
    }


def target_gaps(indicator: Indicator, series: Series) -> list:
    """(area, latest year, value, gap_status) of each area's latest value, when a target is set."""
    gaps = []
    if not indicator.has_target:
        return gaps
    for area in series.areas:
        by_year = series.values.get(area.pk)
        if not by_year:
            continue
        latest_year = max(by_year)
        value = by_year[latest_year][0]
        gaps.append((area, latest_year, value, gap_status(indicator, value)))
    return gaps


def year_coverage(series: Series, year: int | None) -> dict:
    """How many areas the newest year covers, when the page shows an older one by default
    (default_year): the page says so, and the newer year stays one choice away."""
    if not series.years or year is None or year != default_year(series):
        return {}
    if year == series.years[-1]:
        return {}
    newest = series.years[-1]
    return {
        "newest_year": newest,
        "newest_count": sum(1 for by_year in series.values.values() if newest in by_year),
        "area_count": len(series.values),
    }


def indicator_overview(indicator: Indicator, series: Series, year: int | None) -> dict:
    """Everything the indicator page shows of a series for the chosen year."""
    small = charts.small_multiples(
        [
            (
                area.code,
                area.name,
                area.get_absolute_url(),
                [(y, v, ex) for y, (v, ex) in series.values.get(area.pk, {}).items()],
            )
            for area in series.areas
            if series.values.get(area.pk)
        ],
        decimals=indicator.decimals,
        unit=indicator.unit,
        target=indicator.target_value,
    )
    # Newest year first: the latest figures sit beside the area names, visible without scrolling
    # and without JavaScript; earlier years follow to the right (the small charts and the
    # downloads keep time running left to right).
    table_years = series.years[::-1]
    table_rows = [
        (area, [by_year.get(y) for y in table_years])
        for area in series.areas
        if (by_year := series.values.get(area.pk))
    ]
    names = {area.pk: area.name for area in series.areas}
    return {
        "series": series,
        "small": small,
        "table_rows": table_rows,
        **choropleth(indicator, series, year),
        "table_years": table_years,
        "gaps": target_gaps(indicator, series),
        **year_coverage(series, year),
        "has_example": series.has_example,
        "real_values": real_values_note(series, names),
    }


def area_overview(area: Area) -> dict:
    """Everything the area page shows: its indicators by dimension, sub-areas and map."""
    groups = area_rows(area)
    children = list(Area.objects.light().filter(parent=area).order_by("area_name"))
    features = []
    if area.boundary:
        features.append(
            {
                "type": "Feature",
                "geometry": area.boundary,
                "properties": {"title": approximate_name(area), "kind": "area"},
            }
        )
    rows = [row for _d, _l, items in groups for row in items]
    has_example = any(row.has_example for row in rows)
    labels = [
        f"{row.indicator.name} {year}"
        for row in rows
        for year, _value, is_example in row.points
        if not is_example
    ]
    return {
        "groups": groups,
        "children": children,
        "testbeds": testbeds_in_area(area),
        "map_features": feature_collection(features),
        "has_example": has_example,
        "real_values": real_values(labels, has_example),
        "has_data": any(row.points for row in rows),
    }


def analysis_group_label(area: Area, colour: str, gender: str | None) -> str:
    """The legend group of an area's bubble on the analysis page."""
    if gender is not None:
        return str(Gender(gender).label)
    if colour == AnalysisForm.COLOUR_KIND:
        return str(AreaKind(area.kind).label)
    if colour == AnalysisForm.COLOUR_PARENT:
        return area.parent.name if area.parent_id else _("No parent area")
    if colour == AnalysisForm.COLOUR_PROGRAMME:
        return _("Södertörn") if area.in_programme else _("Outside Södertörn")
    return _("All areas")


def analysis_bubbles(
    data: AnalysisData,
    *,
    x: Indicator,
    y: Indicator,
    size: Indicator | None,
    gender_choice: str,
    colour: str,
) -> dict:
    """The bubbles of the analysis page (one per area and gender, with every year's values),
    their legend groups, the years they cover and the indicators that fell back to the total.
    An indicator without the chosen gender split uses its total, and the page says so."""
    split = gender_choice == AnalysisForm.GENDER_SPLIT
    genders = [Gender.WOMEN, Gender.MEN] if split else [gender_choice]
    chosen = [x, y] + ([size] if size else [])

    def gender_for(indicator, gender):
        if gender in data.genders.get(indicator.pk, set()):
            return gender
        return Gender.TOTAL

    fallback = [
        indicator
        for indicator in dict.fromkeys(chosen)
        if gender_choice != Gender.TOTAL
        and not set(genders) <= data.genders.get(indicator.pk, set())
    ]
    items = []
    groups: dict[str, int] = {}
    for area in data.areas:
        for gender in genders:
            xs = data.values.get((x.pk, area.pk, gender_for(x, gender)), {})
            ys = data.values.get((y.pk, area.pk, gender_for(y, gender)), {})
            sizes = (
                data.values.get((size.pk, area.pk, gender_for(size, gender)), {}) if size else {}
            )
            values = {}
            for year_ in xs.keys() & ys.keys():
                size_value = sizes.get(year_)
                if size and size_value is None:
                    continue
                example = xs[year_][1] or ys[year_][1] or bool(size_value and size_value[1])
                values[year_] = (
                    xs[year_][0],
                    ys[year_][0],
                    size_value[0] if size_value else None,
                    example,
                )
            if not values:
                continue
            group_label = analysis_group_label(area, colour, gender if split else None)
            group = groups.setdefault(group_label, len(groups) % charts.GROUP_CLASSES)
            label = area.name
            if split:
                label = f"{area.name}, {Gender(gender).label.lower()}"
            items.append(
                {
                    "key": f"{area.code}-{gender}",
                    "label": label,
                    "group": group,
                    "group_label": group_label,
                    "url": area.get_absolute_url(),
                    "values": values,
                }
            )
    return {
        "items": items,
        "legend": list(groups.items()),
        "years": sorted({year_ for item in items for year_ in item["values"]}),
        "fallback": fallback,
        "split": split,
        "genders": genders,
        # Playing through the years shows every year's values: any invented one is flagged.
        "has_example": any(entry[3] for item in items for entry in item["values"].values()),
    }


# Testbeds and the small areas they lie in ------------------------------------------------------
#
# Computed when a page is read, not stored: a testbed lies in an area when its point is inside
# the area's boundary (a testbed without a point: the centre of its drawn area), by ray casting
# in plain Python (sodertorn.geo.contains_point). One query per page whatever the number of
# testbeds or areas; only an area's bounding box is stored (Area.save keeps it with the
# boundary), so nothing else is kept in step when a testbed is moved or a boundary redrawn
# (the page cache follows both models).

SUB_MUNICIPAL_KINDS = (AreaKind.DISTRICT, AreaKind.SMALL_AREA)


def testbed_points(testbed) -> list[tuple[float, float]]:
    """(longitude, latitude) points that place a testbed: its point, else its area's centre."""
    if testbed.latitude is not None and testbed.longitude is not None:
        return [(float(testbed.longitude), float(testbed.latitude))]
    return representative_points(testbed.area)


def _inside(boundary, points) -> bool:
    box = bounds(boundary) if boundary else None
    if box is None:
        return False
    south, west, north, east = box
    return any(
        south <= lat <= north and west <= lon <= east and contains_point(boundary, lon, lat)
        for lon, lat in points
    )


def areas_of_testbed(testbed) -> list[Area]:
    """The districts and small areas the testbed lies in, with their municipality; one query."""
    points = testbed_points(testbed)
    if not points:
        return []
    # Only the areas whose bounding box holds a point are read (and their boundary decoded).
    in_box = Q()
    for lon, lat in points:
        in_box |= Q(
            bbox_south__lte=lat, bbox_north__gte=lat, bbox_west__lte=lon, bbox_east__gte=lon
        )
    # Districts and small areas carry their own name and code (never a programme
    # municipality's: Area's constraints), so no with_identity(): a plainer query to build.
    candidates = (
        Area.objects.filter(in_box, kind__in=SUB_MUNICIPAL_KINDS, own_boundary__isnull=False)
        .select_related("parent__municipality")
        .defer("parent__own_boundary", "parent__municipality__boundary")
        .order_by("own_name", "pk")
    )
    return [area for area in candidates if _inside(area.own_boundary, points)]


def testbeds_in_area(area: Area) -> list[Testbed]:
    """The published testbeds that lie in a district or small area; one query (only testbeds
    whose point is inside the area's bounding box, or that have no point, are read)."""
    if area.kind not in SUB_MUNICIPAL_KINDS or not area.boundary:
        return []
    south, west, north, east = bounds(area.boundary)
    candidates = (
        Testbed.objects.published()
        .filter(
            Q(latitude__range=(south, north), longitude__range=(west, east))
            | Q(latitude__isnull=True, area__isnull=False)
        )
        .only("id", "title", "slug", "is_demo", "status", "latitude", "longitude", "area")
        .order_by("title", "pk")
    )
    return [testbed for testbed in candidates if _inside(area.boundary, testbed_points(testbed))]
