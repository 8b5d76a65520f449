"""Indicator layouts in headless Chromium (issue 15, item 4): the year table at 1280 px shows
the newest year and keeps the area names in view; the map's "no data" looks like its legend;
the analysis chart's labels never overlap nor leave the chart, at 1280 and at 390 px, and the
year watermark is painted behind the bubbles."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators.models import AreaKind, Observation
from indicators.tests.factories import AreaFactory, IndicatorFactory, ObservationFactory

pytestmark = pytest.mark.django_db(transaction=True)

SQUARE = [[17.90, 59.40], [17.92, 59.40], [17.92, 59.41], [17.90, 59.41], [17.90, 59.40]]
YEARS = range(2009, 2025)
# Haninge and Huddinge sit almost on the same spot, Nynäshamn at the right edge of the chart,
# Salem and Nacka close together at the top: the labels must make room or give way.
AREAS = [
    ("Botkyrka", 62, 9.0, 95_000),
    ("Haninge", 70, 5.0, 90_000),
    ("Huddinge", 70.4, 5.1, 115_000),
    ("Nacka", 76, 2.6, 105_000),
    ("Nynäshamn", 80, 4.0, 29_000),
    ("Salem", 75.5, 2.7, 17_000),
    ("Stockholm", 74, 4.5, 980_000),
    ("Södertälje", 63, 8.5, 100_000),
    ("Tyresö", 77, 2.2, 48_000),
]


def square(offset: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[lon + offset, lat] for lon, lat in SQUARE]]}


@pytest.fixture
def municipalities():
    areas = [
        AreaFactory(
            kind=AreaKind.MUNICIPALITY,
            own_code=f"01{i:02}",
            own_name=name,
            own_boundary=square(i * 0.03),
        )
        for i, (name, *_values) in enumerate(AREAS)
    ]
    employment = IndicatorFactory(code="forvarvsfrekvens", name="Förvärvsfrekvens")
    assistance = IndicatorFactory(
        code="ekonomiskt-bistand", name="Ekonomiskt bistånd", direction="lower"
    )
    population = IndicatorFactory(code="folkmangd", name="Folkmängd", unit="personer")
    income = IndicatorFactory(code="inkomst", name="Medianinkomst", unit="kr", decimals=0)
    rows = []  # in bulk, as an import writes them: 572 saves one by one took 7 s of set-up
    for i, (area, (_name, x, y, size)) in enumerate(zip(areas, AREAS, strict=True)):
        for year in YEARS:
            step = (year - 2009) / 10
            values = [
                (employment, x - 3 + step * 3),
                (assistance, y + 1 - step),
                (population, size),
            ]
            if year < 2024 or i < 4:  # the newest year has 4 of 9 areas
                values.append((income, 251_000 + 1_000 * i + 3_000 * (year - 2009)))
            rows += [
                ObservationFactory.build(
                    indicator=indicator, area=area, year=year, value=Decimal(str(round(value, 1)))
                )
                for indicator, value in values
            ]
    Observation.objects.bulk_create(rows)
    return areas


def set_viewport(page, width):
    page.set_viewport_size({"width": width, "height": 800 if width > 600 else 844})


def test_the_year_table_shows_the_newest_year_and_keeps_the_area_names_in_view(
    live_server, page, municipalities
):
    set_viewport(page, 1280)
    page.goto(live_server.url + "/en/indikatorer/inkomst/")
    region = page.get_by_role("region", name="Medianinkomst per area and year")
    expect(region).to_be_visible()
    assert region.get_attribute("tabindex") == "0"
    expect(page.locator("#series-table-hint")).to_be_visible()
    newest = page.locator('#series-table thead th[data-year="2024"]')
    box, frame = newest.bounding_box(), region.bounding_box()
    assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
    assert box["x"] + box["width"] <= 1280  # in the viewport, without scrolling
    overflow = region.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow > 100  # sixteen years of six-digit figures do not fit: the table scrolls

    region.focus()  # by keyboard: the region takes focus and the arrow keys scroll it
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    assert region.evaluate("el => el.scrollLeft") > 0
    region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    page.wait_for_function(
        "() => { const el = document.getElementById('series-table-scroll');"
        " return el.scrollLeft >= el.scrollWidth - el.clientWidth - 1; }"
    )
    frame = region.bounding_box()
    name = page.locator('#series-table tbody tr[data-area="0100"] th')
    name_box = name.bounding_box()
    assert abs(name_box["x"] - frame["x"]) <= 2  # the first column stayed at the left edge
    expect(name).to_have_text("Botkyrka")
    # Nothing of the scrolled cells shows through the sticky column.
    cell = page.locator('#series-table tbody tr[data-area="0100"] td').last
    assert cell.bounding_box()["x"] >= name_box["x"] + name_box["width"] - 1
    oldest = page.locator('#series-table thead th[data-year="2009"]').bounding_box()
    assert oldest["x"] + oldest["width"] <= frame["x"] + frame["width"] + 1


def test_the_map_defaults_to_the_widest_year_and_no_data_looks_like_its_legend(
    live_server, page, municipalities
):
    set_viewport(page, 1280)
    page.goto(live_server.url + "/en/indikatorer/inkomst/")
    expect(page.get_by_role("heading", name="Map 2023: municipalities")).to_be_visible()
    page.get_by_label("Year on the map").select_option("2024")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_selector("#indicator-map[data-choropleth-ready='true']")
    missing = page.locator("#indicator-map path.choropleth-none")
    expect(missing).to_have_count(5)
    fills = page.evaluate(
        """() => {
            const path = document.querySelector('#indicator-map path.choropleth-none');
            const swatch = document.querySelector('#map-legend .swatch rect.choropleth-none');
            return [getComputedStyle(path).fill, getComputedStyle(swatch).fill];
        }"""
    )
    assert fills[0] == fills[1] and "choropleth-hatch" in fills[0], fills
    # The pattern is drawn (a hatch, not a plain fill): its stripes differ from its ground.
    colours = page.locator("#choropleth-hatch rect").evaluate_all(
        "els => els.map(e => e.getAttribute('fill'))"
    )
    assert len(set(colours)) == 2


LABEL_CHECK = """() => {
    const svg = document.getElementById('bubble-chart');
    const frame = svg.getBoundingClientRect();
    const shown = Array.from(svg.querySelectorAll('text.bubble-label'))
        .filter(t => t.checkVisibility() && t.getBoundingClientRect().width > 0);
    const boxes = shown.map(t => {
        const r = t.getBoundingClientRect();
        return {name: t.textContent, left: r.left, top: r.top, right: r.right,
                bottom: r.bottom, height: r.height};
    });
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i], b = boxes[j];
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
                overlaps.push([a.name, b.name]);
            }
        }
    }
    const outside = boxes.filter(b => b.left < frame.left || b.right > frame.right
        || b.top < frame.top || b.bottom > frame.bottom).map(b => b.name);
    const wrap = svg.closest('.wrap');
    const style = getComputedStyle(wrap);
    const content = wrap.clientWidth - parseFloat(style.paddingLeft)
        - parseFloat(style.paddingRight);
    const watermark = document.getElementById('bubble-year');
    const bubbles = svg.querySelector('g.bubbles');
    const labels = svg.querySelector('g.bubble-labels');
    return {
        names: boxes.map(b => b.name),
        heights: boxes.map(b => b.height),
        overlaps, outside,
        width: frame.width, content,
        behind: Boolean(watermark.compareDocumentPosition(bubbles)
                        & Node.DOCUMENT_POSITION_FOLLOWING)
                && Boolean(watermark.compareDocumentPosition(labels)
                           & Node.DOCUMENT_POSITION_FOLLOWING)
                && watermark.parentNode === svg && bubbles.parentNode === svg,
    };
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_analysis_labels_never_overlap_nor_leave_the_chart(
    live_server, page, municipalities, width
):
    set_viewport(page, width)
    page.goto(
        live_server.url + "/en/analys/?x=forvarvsfrekvens&y=ekonomiskt-bistand&size=folkmangd"
        "&level=municipality&year=2024"
    )
    expect(page.locator("#bubble-chart[data-ready='true']")).to_have_count(1)
    result = page.evaluate(LABEL_CHECK)
    assert result["overlaps"] == [], result
    assert result["outside"] == [], result
    assert len(result["names"]) >= 4, result  # thinned where need be, not gone
    assert "Nynäshamn" in result["names"] or width < 600, result  # whole, not clipped
    # Readable: the drawn label is at least 10 px tall text (DejaVu's box is 1.16 em).
    assert min(result["heights"]) >= 11.5, result
    assert result["width"] >= result["content"] - 4, result  # the chart fills the width
    assert result["behind"], result  # the watermark is painted before the bubbles and labels
    # Every name stays in the table, whether or not its label had room.
    expect(page.locator("#bubble-table tbody th")).to_have_count(len(AREAS))

    # The labels follow the year (placed again for it) when JavaScript changes it.
    page.get_by_label("Year", exact=True).select_option("2009")
    expect(page.locator("#bubble-chart")).to_have_attribute("data-year", "2009")
    page.wait_for_function("() => !document.getElementById('bubble-chart')"
                           ".classList.contains('is-moving')")  # fmt: skip
    moved = page.evaluate(LABEL_CHECK)
    assert moved["overlaps"] == [] and moved["outside"] == [], moved
    assert len(moved["names"]) >= 4, moved


def test_analysis_labels_without_javascript_at_390_px(live_server, browser, municipalities):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(
        live_server.url + "/en/analys/?x=forvarvsfrekvens&y=ekonomiskt-bistand&size=folkmangd"
        "&level=municipality"
    )
    result = page.evaluate(LABEL_CHECK)
    assert result["overlaps"] == [] and result["outside"] == [], result
    assert len(result["names"]) >= 4 and min(result["heights"]) >= 11.5, result
    context.close()
