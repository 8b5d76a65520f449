"""Chart geometry computed in Python and drawn by templates as inline SVG.

Nothing here touches the database: views hand over plain values, these functions return
coordinates (already formatted as SVG numbers) and labels (formatted for the active language).
Every chart has a data table with the same numbers beside it, rendered from the same objects.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format, number_format

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


def value_formatter(decimals: int = 1):
    """format_value(value, decimals) for many values: the active language's separators are
    read once rather than for every value (the analysis formats three values per area and
    year). The same text as format_value, which a test holds it to."""
    grouping = get_format("NUMBER_GROUPING", use_l10n=True)
    if grouping != 3:
        return lambda value: format_value(value, decimals)
    separators = str.maketrans(
        {
            ",": get_format("THOUSAND_SEPARATOR", use_l10n=True),
            ".": get_format("DECIMAL_SEPARATOR", use_l10n=True),
        }
    )
    quantum = Decimal(1).scaleb(-decimals)

    def format_one(value) -> str:
        if value is None:
            return "–"
        value = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
        if not value:
            value = abs(value)  # no "-0,0"
        return f"{value:,f}".translate(separators)

    return format_one


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
    mark_x: str | None = None  # a marked year (a testbed's start), as an x position


def small_multiples(
    series: list[tuple[str, str, str, list[tuple[int, Decimal, bool]]]],
    *,
    decimals: int,
    unit: str,
    target=None,
    width: int = 260,
    height: int = 150,
    right_margin: int = 10,
    mark_year: int | None = None,
) -> SmallMultiples:
    """series: [(key, title, url, [(year, value, is_example), ...]), ...]. ``right_margin``
    leaves room for labels at the lines' ends; ``mark_year`` (within the years) gives the x
    position of a vertical marker line (``mark_x``)."""
    left, right, top, bottom = 48, width - right_margin, 12, height - 24
    values = [float(v) for *_rest, points in series for _y, v, _e in points]
    years = [y for *_rest, points in series for y, _v, _e in points]
    if mark_year is not None and years:
        years.append(mark_year)
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
    label_of = value_formatter(decimals)
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
                    label=label_of(value),
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
    if mark_year is not None:
        result.mark_x = svg_number(x_scale(mark_year))
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


# Labels of the bubble chart ----------------------------------------------------------------
#
# The chart's viewBox is fixed and the SVG scales to the width of the page, so a font size in
# the chart's units shrinks with it: 13 units are 15 px at 1,120 px wide but 5 px at 358 px
# (a phone at 390 px). The chart therefore carries one set of labels per width class, each
# with its own font size and placed for it here; the stylesheet's container queries
# (.bubble-figure in static/css/site.css) show the set that fits the figure's width, so the
# labels are 10-15 px on any screen, with JavaScript or without.
#
# Placement is greedy: bubbles in order of size, each label tried right of its bubble, left,
# above, below and at the diagonals; the first place inside the plot that touches no label
# placed before (and covers the fewest other bubbles) wins, and a label with no such place is
# left out. Every name stays in the data table below the chart and in its bubble's tooltip.


@dataclass(frozen=True)
class LabelClass:
    name: str  # bubble-labels-<name> in the stylesheet
    font_size: float  # in the chart's units


LABEL_CLASSES = (
    LabelClass("wide", 13),  # figure at least 760 px wide
    LabelClass("medium", 19),  # 500-759 px
    LabelClass("narrow", 30),  # under 500 px
)
# The largest tick label font (the narrow class in the stylesheet): the plot's left margin
# leaves room for the y axis's tick labels at that size.
TICK_FONT_MAX = 27

# Advance widths of DejaVu Sans in em: the widest of the sans-serif fonts browsers fall back
# to (and Debian's system-ui), so a width measured with it is at least the width drawn.
_GLYPH_WIDTHS = {
    **dict.fromkeys("ijl", 0.278),
    **dict.fromkeys("IJ", 0.295),
    **dict.fromkeys(" ,.:;'\u00a0", 0.318),
    **dict.fromkeys("/f", 0.352),
    **dict.fromkeys("-()", 0.39),
    **dict.fromkeys("tr", 0.411),
    **dict.fromkeys("–sz", 0.525),
    **dict.fromkeys("cLFkvxyPTY", 0.611),
    **dict.fromkeys("oöøaåäàáeéèëEÉhnuüñbdgpqS0123456789", 0.636),
    **dict.fromkeys("KAVÅÄXZBRC", 0.698),
    **dict.fromkeys("UNHDGOQÖØ", 0.787),
    **dict.fromkeys("wM", 0.863),
    **dict.fromkeys("%mWÆæ", 0.989),
}
_GLYPH_DEFAULT = 0.8
# A text's box around its baseline: the font's ascent above and descent below (DejaVu Sans:
# 0.93 and 0.24 em), with some room.
_ASCENT, _DESCENT = 0.97, 0.28
_LABEL_GAP = 3.0  # between a bubble's edge and its label, in units of the chart
_LABEL_PAD = 1.5  # kept free around each label


def text_width(text: str, font_size: float) -> float:
    """The width of a text in a sans-serif font, at least as wide as drawn."""
    return font_size * sum(_GLYPH_WIDTHS.get(char, _GLYPH_DEFAULT) for char in text)


def place_labels(
    points: list[tuple[str, float, float, float, float]],
    *,
    font_size: float,
    bounds: tuple[float, float, float, float],
) -> dict[str, tuple[str, str, str]]:
    """Labels that never overlap each other nor leave ``bounds`` (left, top, right, bottom).

    points: (key, width of the label in em (text_width(text, 1)), cx, cy, r), most important
    first. Returns key -> (x, y, text-anchor) of the labels placed (SVG numbers); a key left
    out has no room."""
    left, top, right, bottom = bounds
    ascent, descent = _ASCENT * font_size + _LABEL_PAD, _DESCENT * font_size + _LABEL_PAD
    middle = 0.35 * font_size  # baseline below the centre for a label beside its bubble
    placed: list[tuple[float, float, float, float]] = []
    result = {}
    for key, em_width, cx, cy, r in points:
        width = em_width * font_size
        half = width / 2
        gap = r + _LABEL_GAP
        diagonal = 0.7071 * r + _LABEL_GAP
        # (left edge, baseline, anchor) of each place to try, in order of preference.
        above, below = cy - gap - descent + _LABEL_PAD, cy + gap + ascent - _LABEL_PAD
        high, low = cy - diagonal - descent + _LABEL_PAD, cy + diagonal + ascent - _LABEL_PAD
        candidates = (
            (cx + gap, cy + middle, "start"),
            (cx - gap - width, cy + middle, "end"),
            (cx - half, above, "middle"),
            (cx - half, below, "middle"),
            (cx + diagonal, high, "start"),
            (cx + diagonal, low, "start"),
            (cx - diagonal - width, high, "end"),
            (cx - diagonal - width, low, "end"),
        )
        best = best_cover = None
        for x0, y, anchor in candidates:
            bx0, by0 = x0 - _LABEL_PAD, y - ascent
            bx1, by1 = x0 + width + _LABEL_PAD, y + descent
            if bx0 < left or by0 < top or bx1 > right or by1 > bottom:
                continue
            clash = False
            for px0, py0, px1, py1 in placed:
                if bx0 < px1 and px0 < bx1 and by0 < py1 and py0 < by1:
                    clash = True
                    break
            if clash:
                continue
            cover = 0
            for other, _w, ox, oy, orad in points:
                if other != key:
                    dx = ox - (bx0 if ox < bx0 else bx1 if ox > bx1 else ox)
                    dy = oy - (by0 if oy < by0 else by1 if oy > by1 else oy)
                    if dx * dx + dy * dy < orad * orad:
                        cover += 1
            if best is None or cover < best_cover:
                best, best_cover = (x0, y, anchor, (bx0, by0, bx1, by1)), cover
                if cover == 0:
                    break
        if best is not None:
            x0, y, anchor, box = best
            placed.append(box)
            x = x0 if anchor == "start" else x0 + width if anchor == "end" else x0 + half
            result[key] = (svg_number(x), svg_number(y), anchor)
    return result


@dataclass
class PlacedLabel:
    key: str
    text: str
    x: str = "0.0"
    y: str = "0.0"
    anchor: str = "start"
    hidden: bool = True


@dataclass
class LabelSet:
    name: str
    font_size: float
    labels: list[PlacedLabel] = field(default_factory=list)


@dataclass
class BubbleChart:
    width: int = 960
    height: int = 540
    plot_left: int = 80
    plot_right: int = 944
    plot_top: int = 58
    plot_bottom: int = 468
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    bubbles: list[Bubble] = field(default_factory=list)
    frames: dict = field(default_factory=dict)
    labelled: bool = True
    label_sets: list[LabelSet] = field(default_factory=list)

    @property
    def plot_bounds(self) -> tuple[float, float, float, float]:
        return (self.plot_left, self.plot_top, self.plot_right, self.plot_bottom)


MAX_RADIUS = 36.0
MIN_RADIUS = 5.0
DEFAULT_RADIUS = 11.0


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
    fixed axes when the year changes. Each year's labels are placed for every width class
    (frames["labels"][year][class][key] = [x, y, anchor]), so the labels follow the year in
    the page without a request."""
    chart = BubbleChart()
    xs = [float(v[0]) for item in items for v in item["values"].values()]
    ys = [float(v[1]) for item in items for v in item["values"].values()]
    sizes = [float(v[2]) for item in items for v in item["values"].values() if v[2] is not None]
    if not xs:
        return chart
    x_ticks = nice_ticks(min(xs), max(xs), 6)
    y_ticks = nice_ticks(min(ys), max(ys), 5)
    x_tick_labels = [format_value(t, tick_decimals(x_ticks)) for t in x_ticks]
    y_tick_labels = [format_value(t, tick_decimals(y_ticks)) for t in y_ticks]
    # Room for the y axis's tick labels at their largest (right-aligned 8 units from the plot).
    chart.plot_left = math.ceil(
        max(48.0, 16 + max(text_width(label, TICK_FONT_MAX) for label in y_tick_labels))
    )
    x_scale = Scale(x_ticks[0], x_ticks[-1], chart.plot_left, chart.plot_right)
    y_scale = Scale(y_ticks[0], y_ticks[-1], chart.plot_bottom, chart.plot_top)
    size_max = max((abs(s) for s in sizes), default=0.0)

    def radius(size) -> float:
        if size is None or size_max == 0:
            return DEFAULT_RADIUS
        return max(MIN_RADIUS, math.sqrt(abs(float(size)) / size_max) * MAX_RADIUS)

    chart.x_ticks = [
        Tick(svg_number(x_scale(t)), label) for t, label in zip(x_ticks, x_tick_labels, strict=True)
    ]
    chart.y_ticks = [
        Tick(svg_number(y_scale(t)), label) for t, label in zip(y_ticks, y_tick_labels, strict=True)
    ]
    chart.labelled = len(items) <= label_limit
    format_x, format_y = value_formatter(x_decimals), value_formatter(y_decimals)
    format_size = value_formatter(size_decimals)
    frames: dict[str, dict] = {}
    labels: dict[str, dict] = {}
    years = sorted({y for item in items for y in item["values"]})
    em_widths = {item["key"]: text_width(item["label"], 1) for item in items}
    for frame_year in years:
        frame = {}
        points = []
        for item in items:
            entry = item["values"].get(frame_year)
            if entry is None:
                continue
            x, y, size, is_example = entry
            cx, cy, r = x_scale(float(x)), y_scale(float(y)), radius(size)
            frame[item["key"]] = {
                "cx": svg_number(cx),
                "cy": svg_number(cy),
                "r": svg_number(r),
                "x": format_x(x),
                "y": format_y(y),
                "size": format_size(size),
                "xr": raw_value(x),
                "yr": raw_value(y),
                "sr": raw_value(size),
                "ex": is_example,
            }
            points.append((item["key"], em_widths[item["key"]], cx, cy, r))
        frames[str(frame_year)] = frame
        if chart.labelled:
            # The largest bubbles are labelled first (then top to bottom, for a stable order).
            points.sort(key=lambda point: (-point[4], point[3], point[0]))
            labels[str(frame_year)] = {
                label_class.name: place_labels(
                    points, font_size=label_class.font_size, bounds=chart.plot_bounds
                )
                for label_class in LABEL_CLASSES
            }
    chart.frames = {"years": years, "frames": frames, "labels": labels}
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
    if chart.labelled:
        placed = labels.get(str(year), {})
        for label_class in LABEL_CLASSES:
            label_set = LabelSet(label_class.name, label_class.font_size)
            spots = placed.get(label_class.name, {})
            for bubble in chart.bubbles:
                label = PlacedLabel(bubble.key, bubble.label)
                if bubble.key in spots:
                    label.x, label.y, label.anchor = spots[bubble.key]
                    label.hidden = False
                label_set.labels.append(label)
            chart.label_sets.append(label_set)
    return chart
