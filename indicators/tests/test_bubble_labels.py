"""The analysis chart's labels (issue 15, item 4): placed per width class so that they never
overlap nor leave the plot, thinned where there is no room; the watermark drawn first."""

import random
import re
from decimal import Decimal

import pytest

from indicators import charts
from indicators.tests.factories import AreaFactory, IndicatorFactory, ObservationFactory


def boxes(placed, points, font_size):
    """The boxes of placed labels, as place_labels measures them (without its padding)."""
    widths = {key: width for key, width, *_rest in points}
    result = []
    for key, (x, y, anchor) in placed.items():
        x, y, width = float(x), float(y), widths[key] * font_size
        left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
        result.append((key, left, y - 0.93 * font_size, left + width, y + 0.24 * font_size))
    return result


def overlapping(found):
    return [
        (a[0], b[0])
        for i, a in enumerate(found)
        for b in found[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]


@pytest.mark.parametrize("seed", range(20))
def test_placed_labels_never_overlap_nor_leave_the_bounds(seed):
    rng = random.Random(seed)
    names = ["Haninge", "Huddinge", "Nynäshamn", "Södertälje", "Salem", "Botkyrka", "Tyresö"]
    points = [
        (
            f"k{i}",
            charts.text_width(rng.choice(names), 1),
            rng.uniform(80, 940),
            rng.uniform(60, 470),
            rng.uniform(5, 36),
        )
        for i in range(14)
    ]
    bounds = (80, 58, 944, 468)
    for label_class in charts.LABEL_CLASSES:
        placed = charts.place_labels(points, font_size=label_class.font_size, bounds=bounds)
        found = boxes(placed, points, label_class.font_size)
        assert overlapping(found) == []
        for _key, left, top, right, bottom in found:
            assert bounds[0] <= left and right <= bounds[2]
            assert bounds[1] <= top and bottom <= bounds[3]


def test_two_bubbles_on_one_spot_get_both_labels_apart_and_the_edge_label_turns_inwards():
    width = charts.text_width("Haninge", 1)
    points = [
        ("haninge", width, 500.0, 300.0, 10.0),
        ("huddinge", charts.text_width("Huddinge", 1), 503.0, 298.0, 10.0),
        ("nynashamn", charts.text_width("Nynäshamn", 1), 935.0, 200.0, 6.0),
    ]
    placed = charts.place_labels(points, font_size=13, bounds=(80, 58, 944, 468))
    assert set(placed) == {"haninge", "huddinge", "nynashamn"}
    assert placed["haninge"][:2] != placed["huddinge"][:2]
    assert placed["nynashamn"][2] == "end"  # no room on the right: written to the left
    assert overlapping(boxes(placed, points, 13)) == []


@pytest.mark.django_db
def test_a_crowd_is_thinned_and_every_name_stays_in_the_table(client):
    indicator_x = IndicatorFactory(code="x", name="X")
    indicator_y = IndicatorFactory(code="y", name="Y")
    for i in range(12):
        area = AreaFactory(kind="municipality", own_code=f"09{i:02}", own_name=f"Kommun {i}")
        for indicator in (indicator_x, indicator_y):  # all on (almost) one spot
            ObservationFactory(
                indicator=indicator, area=area, year=2020, value=Decimal(50 + i / 100)
            )
    response = client.get("/en/analys/?x=x&y=y&size=&level=municipality&colour=none")
    chart = response.context["chart"]
    narrow = next(s for s in chart.label_sets if s.name == "narrow")
    shown = [label for label in narrow.labels if not label.hidden]
    assert 0 < len(shown) < 12  # thinned, not all drawn over each other
    table = response.text[response.text.index('id="bubble-table"') :]
    assert all(f">Kommun {i}</a>" in table for i in range(12))


@pytest.mark.django_db
def test_the_chart_markup_draws_the_watermark_first_and_one_label_set_per_width(client):
    indicator_x = IndicatorFactory(code="x", name="X")
    indicator_y = IndicatorFactory(code="y", name="Y")
    for i, name in enumerate(["Haninge", "Huddinge", "Nynäshamn"]):
        area = AreaFactory(kind="municipality", own_code=f"01{i:02}", own_name=name)
        for year in (2019, 2020):
            ObservationFactory(indicator=indicator_x, area=area, year=year, value=40 + i + year % 2)
            ObservationFactory(indicator=indicator_y, area=area, year=year, value=10 - i)
    html = client.get("/en/analys/?x=x&y=y&size=&level=municipality").text
    svg = html[
        html.index('<svg id="bubble-chart"') : html.index("</svg>", html.index("bubble-chart"))
    ]
    assert svg.index('class="year-watermark"') < svg.index('class="chart-grid"')
    assert svg.index('class="year-watermark"') < svg.index('class="bubbles"')
    sets = re.findall(
        r'<g class="bubble-labels bubble-labels-(\w+)" data-labels="\w+" font-size="([\d.]+)"', svg
    )
    assert sets == [(c.name, str(c.font_size)) for c in charts.LABEL_CLASSES]
    assert svg.count(">Nynäshamn</text>") == 3
    # Every year's labels are placed for the page's JavaScript.
    frames = html[html.index('id="bubble-frames"') :]
    assert '"labels": {"2019": {"wide": {' in frames or '"labels":{"2019":{"wide":{' in frames


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_value_formatter_writes_what_format_value_writes(language):
    from django.utils import translation

    rng = random.Random(7)
    values = [None, 0, Decimal("-0.04"), Decimal("-0.05"), Decimal("0.05"), Decimal("1234567.891")]
    values += [Decimal(str(round(rng.uniform(-1e7, 1e7), rng.randint(0, 4)))) for _ in range(300)]
    values += [rng.uniform(-1000, 1000) for _ in range(100)]
    with translation.override(language):
        for decimals in (0, 1, 2, 3):
            fast = charts.value_formatter(decimals)
            for value in values:
                assert fast(value) == charts.format_value(value, decimals), (value, decimals)
