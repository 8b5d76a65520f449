"""Indicators in headless Chromium: the analysis plays through years, the map's legend is named."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators.tests.factories import AreaFactory, IndicatorFactory, ObservationFactory

pytestmark = pytest.mark.django_db(transaction=True)

SQUARE = [[17.90, 59.40], [17.92, 59.40], [17.92, 59.41], [17.90, 59.41], [17.90, 59.40]]


def square(offset: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon + offset, lat] for lon, lat in SQUARE]],
    }


@pytest.fixture
def indicators():
    stockholm = AreaFactory(kind="municipality", own_code="0180", own_name="Stockholm")
    areas = [
        AreaFactory(own_code=f"0180-{name.lower()}", own_name=name, parent=stockholm,
                    own_boundary=square(i * 0.03))
        for i, name in enumerate(["Tensta", "Rinkeby", "Husby", "Akalla", "Kista"])
    ]  # fmt: skip
    employment = IndicatorFactory(code="forvarvsfrekvens", name="Förvärvsfrekvens")
    assistance = IndicatorFactory(
        code="ekonomiskt-bistand", name="Ekonomiskt bistånd", direction="lower"
    )
    for i, area in enumerate(areas):
        for year in (2015, 2016, 2017):
            step = year - 2015
            ObservationFactory(
                indicator=employment,
                area=area,
                year=year,
                value=Decimal(55 + 4 * i + 3 * step),
                is_example=True,
            )
            ObservationFactory(
                indicator=assistance, area=area, year=year,
                value=Decimal(20 - 2 * i - 2 * step), is_example=True,
            )  # fmt: skip
    return {"areas": areas, "employment": employment}


def bubble(page, key):
    return page.locator(f'#bubble-chart circle[data-key="{key}"]')


def test_changing_the_year_moves_the_bubbles_and_updates_the_table(live_server, page, indicators):
    url = "/analys/?x=forvarvsfrekvens&y=ekonomiskt-bistand&size=&level=district&year=2015"
    page.goto(live_server.url + url)
    expect(page.locator("#bubble-chart[data-ready='true']")).to_have_count(1)
    tensta = bubble(page, "0180-tensta-T")
    before = (tensta.get_attribute("cx"), tensta.get_attribute("cy"))
    cell = page.locator('#bubble-table tr[data-key="0180-tensta-T"] td[data-col="x"]')
    expect(cell).to_have_text("55,0")

    page.get_by_label("År", exact=True).select_option("2017")
    expect(cell).to_have_text("61,0")  # the table follows at once
    expect(tensta).to_have_attribute("data-x", "61")
    page.wait_for_function(
        "([cx, cy]) => { const c = document.querySelector("
        "'#bubble-chart circle[data-key=\"0180-tensta-T\"]');"
        " return c.getAttribute('cx') !== cx && c.getAttribute('cy') !== cy; }",
        arg=list(before),
    )
    after = (float(tensta.get_attribute("cx")), float(tensta.get_attribute("cy")))
    assert after[0] > float(before[0])  # employment rose: further right
    assert after[1] > float(before[1])  # assistance fell: lower down (SVG y grows downwards)
    assert "year=2017" in page.url  # the view stays shareable
    expect(page.locator("#bubble-year")).to_have_text("2017")


def test_the_play_button_steps_through_the_years(live_server, page, indicators):
    page.goto(live_server.url + "/analys/?x=forvarvsfrekvens&y=ekonomiskt-bistand&level=district")
    button = page.get_by_role("button", name="Spela upp åren")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("#bubble-chart")).to_have_attribute("data-year", "2016", timeout=5000)
    expect(page.locator("#bubble-chart")).to_have_attribute("data-year", "2017", timeout=5000)
    expect(page.get_by_role("button", name="Spela upp åren")).to_have_attribute(
        "aria-pressed", "false", timeout=5000
    )
    expect(page.locator("#bubble-status")).to_have_text("Visar år 2017.")


def test_the_analysis_works_without_javascript(live_server, browser, indicators):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/analys/?x=forvarvsfrekvens&y=ekonomiskt-bistand&level=district")
    cx = bubble(page, "0180-tensta-T").get_attribute("cx")
    expect(page.locator("#play-controls")).to_be_hidden()
    page.get_by_label("År", exact=True).select_option("2015")
    page.get_by_role("button", name="Visa", exact=True).click()
    page.wait_for_url(re.compile(r"year=2015"))
    assert bubble(page, "0180-tensta-T").get_attribute("cx") != cx
    context.close()


def test_choropleth_legend_has_accessible_names_and_matches_the_map(live_server, page, indicators):
    page.goto(live_server.url + "/indikatorer/forvarvsfrekvens/?level=district&year=2016")
    page.wait_for_selector("#indicator-map[data-choropleth-ready='true']")
    expect(page.get_by_role("region", name="Karta över Förvärvsfrekvens 2016")).to_be_visible()

    legend = page.get_by_role("list", name="Teckenförklaring: Förvärvsfrekvens 2016 (%)")
    items = legend.get_by_role("listitem")
    expect(items).to_have_count(5)
    texts = items.all_inner_texts()
    assert all(re.search(r"\d+,\d.* %", text) and "område" in text for text in texts), texts
    assert "58,0 %" in texts[0]  # the lowest class holds Tensta's 58,0

    legend_classes = set(legend.locator("li").evaluate_all("els => els.map(e => e.dataset.class)"))
    map_classes = page.locator("#indicator-map path.choropleth-area").evaluate_all(
        "els => els.map(e => Array.from(e.classList).find(c => /^choropleth-\\d$/.test(c)))"
    )
    assert len(map_classes) == 5
    assert set(map_classes) == legend_classes
    # The map's colour for an area is the colour of its legend swatch.
    colours = page.evaluate(
        """() => {
            const path = document.querySelector('#indicator-map path.choropleth-1');
            const swatch = document.querySelector('#map-legend .swatch.choropleth-1');
            return [getComputedStyle(path).fill, getComputedStyle(swatch).backgroundColor];
        }"""
    )
    assert colours[0] == colours[1]
