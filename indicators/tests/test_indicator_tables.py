"""The indicator page's year table and map (issue 15, item 4): the default year is the newest of
the years with the widest coverage, the table shows the newest year first, in a focusable
region with a scroll hint, and "no data" is hatched on the map and in its legend alike."""

import re
from decimal import Decimal

import pytest
from django.conf import settings

from indicators import selectors
from indicators.models import AreaKind, Gender
from indicators.templatetags.indicators_tags import series_cells
from indicators.tests.factories import AreaFactory, IndicatorFactory, ObservationFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "Botkyrka", "Haninge", "Huddinge", "Nacka", "Nynäshamn",
    "Salem", "Stockholm", "Södertälje", "Tyresö",
]  # fmt: skip


@pytest.fixture
def after_an_import():
    """Nine municipalities with values for 2016 and 2017; an import has brought 2018 for four
    of them only."""
    areas = [
        AreaFactory(kind=AreaKind.MUNICIPALITY, own_code=f"01{i:02}", own_name=name)
        for i, name in enumerate(NAMES)
    ]
    indicator = IndicatorFactory(code="forvarvsfrekvens", name="Förvärvsfrekvens")
    for i, area in enumerate(areas):
        for year in (2016, 2017) + ((2018,) if i < 4 else ()):
            ObservationFactory(
                indicator=indicator, area=area, year=year, value=Decimal(60 + i + year - 2016)
            )
    return indicator


def series_of(indicator):
    return selectors.indicator_series(indicator, kind=AreaKind.MUNICIPALITY, gender=Gender.TOTAL)


def test_the_default_year_is_the_newest_with_the_widest_coverage(after_an_import):
    series = series_of(after_an_import)
    assert series.years == [2016, 2017, 2018]
    assert selectors.default_year(series) == 2017  # not 2018, where 5 of 9 have no value


def test_the_default_year_is_the_newest_of_equally_wide_years():
    indicator = IndicatorFactory()
    areas = [AreaFactory(kind=AreaKind.MUNICIPALITY) for _ in range(3)]
    for i, area in enumerate(areas):
        for year in (2014, 2015, 2016):
            if year == 2015 and i == 0:
                continue  # 2015 has a gap; 2014 and 2016 are complete
            ObservationFactory(indicator=indicator, area=area, year=year)
    assert selectors.default_year(series_of(indicator)) == 2016
    assert selectors.default_year(selectors.Series(areas=[], values={})) is None


def test_the_page_without_javascript_shows_the_default_year_and_names_the_newer_one(
    client, after_an_import
):
    response = client.get("/en/indikatorer/forvarvsfrekvens/")
    assert response.context["view"]["year"] == 2017
    html = response.text
    assert re.search(r'<option value="2017" selected>', html)
    assert "Map 2017: municipalities" in html
    assert response.context["missing_count"] == 0  # every area has a 2017 value
    note = re.search(r'<p class="notice" role="note">(.*?)</p>', html, re.S).group(1)
    assert "2018 has values for 4 of 9 areas" in " ".join(note.split())
    # The newer year is one choice away, and then the note is gone.
    newer = client.get("/en/indikatorer/forvarvsfrekvens/?year=2018")
    assert newer.context["view"]["year"] == 2018
    assert newer.context["missing_count"] == 5
    assert "has values for" not in newer.text


def test_a_complete_newest_year_is_the_default_and_needs_no_note(client, after_an_import):
    for area in series_of(after_an_import).areas[4:]:
        ObservationFactory(indicator=after_an_import, area=area, year=2018, value=Decimal(1))
    response = client.get("/en/indikatorer/forvarvsfrekvens/")
    assert response.context["view"]["year"] == 2018
    assert "has values for" not in response.text


def test_the_year_table_puts_the_newest_year_first_in_a_named_focusable_region(
    client, after_an_import
):
    html = client.get("/en/indikatorer/forvarvsfrekvens/").text
    region = re.search(r'<div class="table-scroll[^"]*"[^>]*id="series-table-scroll"[^>]*>', html)
    tag = region.group(0)
    assert 'role="region"' in tag and 'tabindex="0"' in tag
    assert 'aria-labelledby="series-table-caption"' in tag
    assert 'aria-describedby="series-table-hint"' in tag
    assert 'id="series-table-caption"' in html
    assert re.search(r'<p class="table-hint" id="series-table-hint">Newest year first', html)
    assert 'class="table table-wide table-numbers table-sticky"' in html
    table = html[html.index('id="series-table"') : html.index("</table>", html.index("series"))]
    years = re.findall(r'<th scope="col" data-year="(\d+)">', table)
    assert years == ["2018", "2017", "2016"]
    # Botkyrka (position 0) has 2018; Nynäshamn (position 4) has not: "no data" first.
    botkyrka = re.search(r'<tr data-area="0100">.*?</tr>', table).group(0)
    assert re.findall(r'<td data-value="([^"]+)">', botkyrka) == ["62", "61", "60"]
    nynashamn = re.search(r'<tr data-area="0104">.*?</tr>', table).group(0)
    assert nynashamn.count('<span class="visually-hidden">no data</span>') == 1
    assert re.findall(r'<td data-value="([^"]+)">', nynashamn) == ["65", "64"]


def test_series_cells_write_values_and_gaps_in_the_active_format():
    cells = series_cells([(Decimal("1234.56"), False), None, (Decimal("-0.46"), True)], 1)
    assert cells == (
        '<td data-value="1234.56">1\xa0234,6</td>'
        '<td><span aria-hidden="true">–</span><span class="visually-hidden">uppgift saknas</span>'
        "</td>"
        '<td data-value="-0.46">-0,5</td>'
    )


def test_no_data_is_hatched_in_the_legend_and_on_the_map_with_one_pattern(client, after_an_import):
    html = client.get("/en/indikatorer/forvarvsfrekvens/?year=2018").text
    assert html.count('<pattern id="choropleth-hatch"') == 1
    legend = html[html.index('id="map-legend"') : html.index("</ul>", html.index("map-legend"))]
    swatch = re.search(
        r'data-class="choropleth-none">(<svg class="swatch swatch-svg".*?</svg>)', legend
    )
    assert '<rect class="choropleth-none"' in swatch.group(1)
    # The map's areas without a value carry the same class (choropleth.js draws them as SVG
    # paths; the browser test compares the two fills), and the stylesheet fills that class
    # with the pattern.
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")
    rule = re.search(r"^\.choropleth-none \{([^}]*)\}", css, re.M).group(1)
    assert "fill: url(#choropleth-hatch)" in rule
    assert "background" not in rule  # no second, different drawing for the legend


def test_small_chart_markup_is_written_once_and_escaped():
    """The small multiples' grid is the same in every chart (built once per page) and the
    points carry their year, value and unit, escaped."""
    from decimal import Decimal

    from indicators import charts
    from indicators.templatetags.indicators_tags import chart_points, small_chart_grid

    small = charts.small_multiples(
        [("a", "A", "/a/", [(2020, Decimal("1.5"), False), (2021, Decimal("2.5"), False)])],
        decimals=1,
        unit="<kr>",
        target=Decimal("3"),
    )
    grid = small_chart_grid(small)
    assert small_chart_grid(small) is grid
    assert grid.count("<line ") == len(small.y_ticks) + 1  # the ticks and the target line
    assert 'class="target-line"' in grid and ">2020</text>" in grid
    points = chart_points(small.charts[0], "<kr>")
    assert points.count("<circle ") == 2
    assert 'data-year="2021" data-value="2.5"' in points
    assert "&lt;kr&gt;" in points and "<kr>" not in points
