"""Chart geometry computed in Python and drawn by templates as inline SVG.

Nothing here touches the database: views hand over plain values, these functions return
coordinates (already formatted as SVG numbers) and labels (formatted for the active language).
Every chart has a data table with the same numbers beside it, rendered from the same objects.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

# Colour classes live in static/css/site.css (indicators section); templates and the map use
# the class names, never inline colours (the Content-Security-Policy forbids style="").
CHOROPLETH_CLASSES = 5
GROUP_CLASSES = 8


def svg_number(value: float) -> str:
    """A coordinate for an SVG attribute: dot decimal, one decimal place, no -0."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def format_value(value, decimals: int = 1) -> str:
    """A value for people, in the active language's format (1 234,5 in Swedish)."""
    if value is None:
        return "–"
    # Round half up first: number_format() cuts extra decimals off rather than rounding.
    value = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def raw_value(value) -> str:
    """A value for machines (data- attributes, exports): plain decimal, no trailing zeros."""
    if value is None:
        return ""
    value = Decimal(value)
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def nice_step(span: float, count: int) -> float:
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values covering [low, high] (at least two)."""
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = nice_step(high - low, count)
    start = math.floor(low / step) * step
    stop = math.ceil(high / step) * step
    ticks, value = [], start
    while value <= stop + step / 1000:
        ticks.append(round(value, 10))
        value += step
    return ticks


def tick_decimals(ticks: list[float]) -> int:
    """The fewest decimals that show every tick exactly (0.25 steps need two)."""
    if len(ticks) < 2:
        return 0
    step = abs(ticks[1] - ticks[0])
    for decimals in range(5):
        scaled = step * 10**decimals
        if abs(scaled - round(scaled)) < 1e-9:
            return decimals
    return 4


@dataclass
class Scale:
    domain_low: float
    domain_high: float
    range_low: float
    range_high: float

    def __call__(self, value: float) -> float:
        if self.domain_high == self.domain_low:
            return (self.range_low + self.range_high) / 2
        share = (value - self.domain_low) / (self.domain_high - self.domain_low)
        return self.range_low + share * (self.range_high - self.range_low)


@dataclass
class Tick:
    position: str
    label: str


# Time series: one small chart per area, on a shared scale ----------------------------------


@dataclass
class SeriesPoint:
    year: int
    value: Decimal
    is_example: bool
    x: str = ""
    y: str = ""
    label: str = ""
    raw: str = ""


@dataclass
class SmallMultiple:
    key: str
    title: str
    url: str
    points: list[SeriesPoint]
    path: str = ""
    description: str = ""


@dataclass
class SmallMultiples:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    charts: list[SmallMultiple]
    target_y: str | None = None
    target_label: str = ""


def small_multiples(
    series: list[tuple[str, str, str, list[tuple[int, Decimal, bool]]]],
    *,
    decimals: int,
    unit: str,
    target=None,
    width: int = 260,
    height: int = 150,
) -> SmallMultiples:
    """series: [(key, title, url, [(year, value, is_example), ...]), ...]."""
    left, right, top, bottom = 48, width - 10, 12, height - 24
    values = [float(v) for *_rest, points in series for _y, v, _e in points]
    years = [y for *_rest, points in series for y, _v, _e in points]
    if target is not None:
        values.append(float(target))
    if not values:
        return SmallMultiples(width, height, left, right, top, bottom, [], [], [])
    y_ticks = nice_ticks(min(values), max(values), 3)
    y_scale = Scale(y_ticks[0], y_ticks[-1], bottom, top)
    first_year, last_year = min(years), max(years)
    x_scale = Scale(first_year, last_year, left, right)
    y_tick_decimals = tick_decimals(y_ticks)
    x_years = sorted({first_year, last_year, *(range(first_year, last_year + 1, 5))})
    if len(x_years) > 2 and x_years[-1] - x_years[-2] < 3:
        x_years.pop(-2)
    charts = []
    for key, title, url, points in series:
        chart_points = []
        for year, value, is_example in sorted(points):
            chart_points.append(
                SeriesPoint(
                    year=year,
                    value=value,
                    is_example=is_example,
                    x=svg_number(x_scale(year)),
                    y=svg_number(y_scale(float(value))),
                    label=format_value(value, decimals),
                    raw=raw_value(value),
                )
            )
        path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(chart_points))
        chart = SmallMultiple(key=key, title=title, url=url, points=chart_points, path=path)
        chart.description = series_description(chart_points, unit)
        charts.append(chart)
    result = SmallMultiples(
        width=width,
        height=height,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        y_ticks=[Tick(svg_number(y_scale(t)), format_value(t, y_tick_decimals)) for t in y_ticks],
        x_ticks=[Tick(svg_number(x_scale(y)), str(y)) for y in x_years],
        charts=charts,
    )
    if target is not None:
        result.target_y = svg_number(y_scale(float(target)))
        result.target_label = format_value(target, decimals)
    return result


def series_description(points: list[SeriesPoint], unit: str) -> str:
    from django.utils.translation import gettext as _

    if not points:
        return _("No values.")
    first, last = points[0], points[-1]
    if first is last:
        return _("%(year)d: %(value)s %(unit)s.") % {
            "year": first.year,
            "value": first.label,
            "unit": unit,
        }
    return _("From %(first)s %(unit)s in %(first_year)d to %(last)s %(unit)s in %(last_year)d.") % {
        "first": first.label,
        "last": last.label,
        "unit": unit,
        "first_year": first.year,
        "last_year": last.year,
    }


def sparkline(points: list[tuple[int, Decimal]], width: int = 120, height: int = 32) -> str:
    """An SVG path for a tiny trend line (decorative; the numbers are in the text beside it)."""
    if len(points) < 2:
        return ""
    years = [y for y, _v in points]
    values = [float(v) for _y, v in points]
    x_scale = Scale(min(years), max(years), 2, width - 2)
    low, high = min(values), max(values)
    y_scale = Scale(low, high, height - 3, 3)
    return " ".join(
        f"{'M' if i == 0 else 'L'}{svg_number(x_scale(y))},{svg_number(y_scale(float(v)))}"
        for i, (y, v) in enumerate(points)
    )


# Choropleth classes ------------------------------------------------------------------------


@dataclass
class ColourClass:
    index: int  # 1..5, the CSS class choropleth-<index>
    low: Decimal
    high: Decimal
    label: str = ""
    count: int = 0

    @property
    def css(self) -> str:
        return f"choropleth-{self.index}"


def quantile_classes(values: list[Decimal], decimals: int, k: int = CHOROPLETH_CLASSES):
    """Up to k classes with about as many areas each; every value falls in exactly one."""
    distinct = sorted(set(values))
    if not distinct:
        return []
    k = max(1, min(k, len(distinct)))
    ordered = sorted(values)
    bounds = []
    for i in range(1, k):
        position = i * len(ordered) / k
        bound = ordered[min(len(ordered) - 1, max(0, math.ceil(position) - 1))]
        if (not bounds or bound > bounds[-1]) and bound < distinct[-1]:
            bounds.append(bound)
    edges = [distinct[0], *bounds, distinct[-1]]
    classes = []
    for i in range(len(edges) - 1):
        low = edges[i] if i == 0 else _next_above(edges[i], values)
        classes.append(ColourClass(index=i + 1, low=low, high=edges[i + 1]))
    for colour_class in classes:
        low = format_value(colour_class.low, decimals)
        high = format_value(colour_class.high, decimals)
        colour_class.label = low if low == high else f"{low}–{high}"
    return classes


def _next_above(bound: Decimal, values: list[Decimal]) -> Decimal:
    return min(v for v in values if v > bound)


def class_of(value: Decimal | None, classes: list[ColourClass]) -> ColourClass | None:
    if value is None:
        return None
    for colour_class in classes:
        if value <= colour_class.high:
            return colour_class
    return classes[-1] if classes else None


# Bubble chart ------------------------------------------------------------------------------


@dataclass
class Bubble:
    key: str
    label: str
    group: int  # CSS class bubble-group-<n>
    x: str = ""
    y: str = ""
    r: str = ""
    hidden: bool = False
    x_label: str = "–"
    y_label: str = "–"
    size_label: str = "–"
    x_raw: str = ""
    y_raw: str = ""
    size_raw: str = ""
    url: str = ""
    group_label: str = ""
    is_example: bool = False

    @property
    def label_x(self) -> str:
        return svg_number(float(self.x) + float(self.r) + 3)

    @property
    def label_y(self) -> str:
        return svg_number(float(self.y) + 4)


@dataclass
class BubbleChart:
    width: int = 760
    height: int = 500
    plot_left: int = 80
    plot_right: int = 740
    plot_top: int = 20
    plot_bottom: int = 430
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    bubbles: list[Bubble] = field(default_factory=list)
    frames: dict = field(default_factory=dict)
    labelled: bool = True


MAX_RADIUS = 30.0
MIN_RADIUS = 4.0
DEFAULT_RADIUS = 9.0


def bubble_chart(
    items: list[dict],
    *,
    year: int,
    x_decimals: int,
    y_decimals: int,
    size_decimals: int,
    label_limit: int = 14,
) -> BubbleChart:
    """items: [{"key", "label", "group", "group_label", "url",
                "values": {year: (x, y, size, is_example)}}] — x and y are required to plot,
    size may be None. Axes and sizes are scaled over every year, so bubbles move against
    fixed axes when the year changes."""
    chart = BubbleChart()
    xs = [float(v[0]) for item in items for v in item["values"].values()]
    ys = [float(v[1]) for item in items for v in item["values"].values()]
    sizes = [float(v[2]) for item in items for v in item["values"].values() if v[2] is not None]
    if not xs:
        return chart
    x_ticks = nice_ticks(min(xs), max(xs), 6)
    y_ticks = nice_ticks(min(ys), max(ys), 5)
    x_scale = Scale(x_ticks[0], x_ticks[-1], chart.plot_left, chart.plot_right)
    y_scale = Scale(y_ticks[0], y_ticks[-1], chart.plot_bottom, chart.plot_top)
    size_max = max((abs(s) for s in sizes), default=0.0)

    def radius(size) -> float:
        if size is None or size_max == 0:
            return DEFAULT_RADIUS
        return max(MIN_RADIUS, math.sqrt(abs(float(size)) / size_max) * MAX_RADIUS)

    chart.x_ticks = [
        Tick(svg_number(x_scale(t)), format_value(t, tick_decimals(x_ticks))) for t in x_ticks
    ]
    chart.y_ticks = [
        Tick(svg_number(y_scale(t)), format_value(t, tick_decimals(y_ticks))) for t in y_ticks
    ]
    frames: dict[str, dict] = {}
    years = sorted({y for item in items for y in item["values"]})
    for frame_year in years:
        frame = {}
        for item in items:
            entry = item["values"].get(frame_year)
            if entry is None:
                continue
            x, y, size, is_example = entry
            frame[item["key"]] = {
                "cx": svg_number(x_scale(float(x))),
                "cy": svg_number(y_scale(float(y))),
                "r": svg_number(radius(size)),
                "x": format_value(x, x_decimals),
                "y": format_value(y, y_decimals),
                "size": format_value(size, size_decimals),
                "xr": raw_value(x),
                "yr": raw_value(y),
                "sr": raw_value(size),
                "ex": is_example,
            }
        frames[str(frame_year)] = frame
    chart.frames = {"years": years, "frames": frames}
    current = frames.get(str(year), {})
    # Larger bubbles first, so that smaller ones stay visible on top.
    ordered = sorted(
        items,
        key=lambda item: -float(current.get(item["key"], {}).get("r", 0)),
    )
    for item in ordered:
        bubble = Bubble(
            key=item["key"],
            label=item["label"],
            group=item["group"],
            group_label=item.get("group_label", ""),
            url=item.get("url", ""),
        )
        point = current.get(item["key"])
        if point is None:
            bubble.hidden = True
            bubble.x, bubble.y, bubble.r = (
                svg_number(chart.plot_left),
                svg_number(chart.plot_bottom),
                "0.0",
            )
        else:
            bubble.x, bubble.y, bubble.r = point["cx"], point["cy"], point["r"]
            bubble.x_label, bubble.y_label, bubble.size_label = (
                point["x"],
                point["y"],
                point["size"],
            )
            bubble.x_raw, bubble.y_raw, bubble.size_raw = point["xr"], point["yr"], point["sr"]
            bubble.is_example = point["ex"]
        chart.bubbles.append(bubble)
    chart.labelled = len(items) <= label_limit
    return chart
