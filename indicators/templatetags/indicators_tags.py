"""Template helpers: values in the active language's format, and trends in words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from indicators import charts
from indicators.models import Direction
from indicators.sections import series_per_place

register = template.Library()


@register.filter
def ivalue(value, decimals=1):
    """12.3456 -> '12,3' in Swedish (decimals from the indicator)."""
    return charts.format_value(value, int(decimals))


@register.filter
def rawvalue(value):
    """A value for data- attributes: plain decimal point, no trailing zeros."""
    return charts.raw_value(value)


@register.simple_tag
def small_chart_grid(small) -> str:
    """The grid of the small multiples (ticks, labels and the target line), the same in every
    chart: written once per page here rather than by template nodes in each of them. Tick
    positions are numbers and their labels formatted numbers or years; escaped all the same."""
    markup = getattr(small, "grid_markup", None)
    if markup is None:
        lines = ['<g class="chart-grid" aria-hidden="true">']
        for tick in small.y_ticks:
            y = escape(tick.position)
            lines.append(
                f'<line x1="{small.plot_left}" x2="{small.plot_right}" y1="{y}" y2="{y}"></line>'
                f'<text class="tick-label tick-y" x="{small.plot_left - 4}" y="{y}">'
                f"{escape(tick.label)}</text>"
            )
        for tick in small.x_ticks:
            lines.append(
                f'<text class="tick-label tick-x" x="{escape(tick.position)}" '
                f'y="{small.height - 6}">{escape(tick.label)}</text>'
            )
        lines.append("</g>")
        if small.target_y:
            lines.append(
                f'<line class="target-line" x1="{small.plot_left}" x2="{small.plot_right}" '
                f'y1="{escape(small.target_y)}" y2="{escape(small.target_y)}"></line>'
            )
        markup = small.grid_markup = mark_safe("".join(lines))
    return markup


@register.simple_tag
def chart_points(chart, unit) -> str:
    """One chart's points, each with its year and value for people and for the script."""
    unit = escape(unit)
    return mark_safe(
        "".join(
            f'<circle class="series-point" cx="{point.x}" cy="{point.y}" r="2.5" '
            f'data-year="{point.year}" data-value="{point.raw}"><title>{point.year}: '
            f"{escape(point.label)} {unit}</title></circle>"
            for point in chart.points
        )
    )


@register.filter
def series_cells(cells, decimals=1):
    """The <td>s of one row of an indicator's year table, written here rather than by template
    nodes: a table of 16 years and 300 areas has 4,800 cells. ``cells`` are (value, example)
    pairs or None (no value); the numbers come from format_value and raw_value, which write
    only digits, signs and the locale's separators, so they need no escaping."""
    format_one = charts.value_formatter(int(decimals))
    missing = (
        '<td><span aria-hidden="true">–</span><span class="visually-hidden">'
        f"{escape(_('no data'))}</span></td>"
    )
    return mark_safe(
        "".join(
            missing
            if cell is None
            else f'<td data-value="{charts.raw_value(cell[0])}">{format_one(cell[0])}</td>'
            for cell in cells
        )
    )


@dataclass
class Trend:
    change: Decimal | None
    arrow: str
    words: str
    judgement: str  # "better", "worse" or ""
    judgement_words: str


def trend(indicator, latest: Decimal | None, previous: Decimal | None) -> Trend:
    if latest is None or previous is None:
        return Trend(None, "", _("no earlier value"), "", "")
    change = latest - previous
    if change > 0:
        arrow, words = "↑", _("rising")
    elif change < 0:
        arrow, words = "↓", _("falling")
    else:
        arrow, words = "→", _("unchanged")
    judgement = ""
    if change and indicator.direction != Direction.NEITHER:
        higher_is_better = indicator.direction == Direction.HIGHER_IS_BETTER
        judgement = "better" if (change > 0) == higher_is_better else "worse"
    judgement_words = {"better": _("an improvement"), "worse": _("a deterioration")}.get(
        judgement, ""
    )
    return Trend(change, arrow, words, judgement, judgement_words)


@register.simple_tag
def value_trend(indicator, latest, previous):
    return trend(indicator, latest, previous)


@dataclass
class TestbedIndicatorRow:
    indicator: object
    municipality_name: str
    area_code: str
    year: int
    value: Decimal
    previous_year: int | None
    trend: Trend
    is_example: bool


@register.filter
def any_example(rows) -> bool:
    return any(row.is_example for row in rows)


@register.simple_tag
def testbed_indicator_rows(testbed) -> list[TestbedIndicatorRow]:
    """The testbed's indicators in each of its municipalities: latest value and its change
    (indicators prefetched by indicators.sections, their values in one query)."""
    municipalities = list(testbed.municipalities.all())
    indicators = list(testbed.indicators.all())
    rows = []
    for indicator, municipality, observations in series_per_place(indicators, municipalities):
        year, value, is_example = observations[-1]
        previous = observations[-2] if len(observations) > 1 else None
        rows.append(
            TestbedIndicatorRow(
                indicator=indicator,
                municipality_name=municipality.name,
                area_code=municipality.code,
                year=year,
                value=value,
                previous_year=previous[0] if previous else None,
                trend=trend(indicator, value, previous[1] if previous else None),
                is_example=is_example or bool(previous and previous[2]),
            )
        )
    return rows


@register.simple_tag
def testbed_areas(testbed):
    """The districts and small areas the testbed lies in (indicators.selectors; one query)."""
    from indicators.selectors import areas_of_testbed

    return areas_of_testbed(testbed)


@register.simple_tag
def effect_points(chart, unit, label) -> str:
    """The points of one line of an effect chart (indicators/effect.py): circles for the
    testbed's area, squares for the comparison group, each with its year and value."""
    unit, label = escape(unit), escape(label)
    square = chart.key == "comparison"
    marks = []
    for point in chart.points:
        title = f"<title>{label}, {point.year}: {escape(point.label)} {unit}</title>"
        if square:
            x, y = float(point.x) - 3, float(point.y) - 3
            marks.append(
                f'<rect class="effect-point effect-point-{chart.key}" x="{charts.svg_number(x)}" '
                f'y="{charts.svg_number(y)}" width="6" height="6" data-year="{point.year}" '
                f'data-value="{point.raw}">{title}</rect>'
            )
        else:
            marks.append(
                f'<circle class="effect-point effect-point-{chart.key}" cx="{point.x}" '
                f'cy="{point.y}" r="3" data-year="{point.year}" data-value="{point.raw}">'
                f"{title}</circle>"
            )
    return mark_safe("".join(marks))


@register.filter
def signed_value(value, decimals=1):
    """A change with its sign: +1,9, −0,4 (indicators.effect.signed)."""
    from indicators.effect import signed

    return signed(value, int(decimals))


@register.filter
def profile_value(profile, indicator):
    """An area's mean value of ``indicator`` before the start (indicators.effect)."""
    return profile.get(indicator.pk)


@register.filter
def has_small_area(areas) -> bool:
    """Does the testbed lie in a small area (then it has an effect page)?"""
    return any(area.kind == "small_area" for area in areas)
