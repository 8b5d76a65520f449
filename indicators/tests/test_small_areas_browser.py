"""The small-area pages in headless Chromium, over the demo data: the checks of the public-page
sweep (axe-core, the keyboard, the Content-Security-Policy, reflow at 320 px) on the views the
sweep's one URL per pattern does not reach (a small area's page, the small-area level of an
indicator and of the analysis, a testbed that lies in a small area), and the level switch used
by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests import public_pages
from tests.browser.checks import (
    RECORD_VIOLATIONS_JS,
    REFLOW_WIDTH,
    map_problems,
    page_problems,
    reflow_problems,
    steps_problems,
    tab_through,
    violations,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "/omraden/flemingsberg/",
    "/omraden/0127/",
    "/omraden/",
    "/indikatorer/forvarvsfrekvens/?level=small_area",
    "/analys/?level=small_area&colour=parent",
    "/testbaddar/flemingsbergs-stationsomrade/",
]


@pytest.fixture(autouse=True)
def _media_root(settings, demo_media):
    """Overrides conftest.py's per-test folder: the demo files stay for the module."""
    settings.MEDIA_ROOT = demo_media


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("path", PAGES)
def test_small_area_pages_pass_the_page_checks(site, page, path, prefix):
    url = site.url + prefix + path
    page.add_init_script(RECORD_VIOLATIONS_JS)
    response = page.goto(url)
    assert response.status == 200, url
    public_pages.wait_until_ready(page)
    failures = {}
    if found := violations(page):
        failures["axe"] = found
    expected, steps = tab_through(page)
    keyboard = steps_problems(expected, steps)
    _maps, problems = map_problems(page)
    if keyboard + problems:
        failures["keyboard"] = keyboard + problems
    if problems := page_problems(page, response):
        failures["CSP and console"] = problems
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
    if problems := reflow_problems(page):
        failures["reflow"] = problems
    assert not failures, failures


def test_the_level_switch_works_by_keyboard_and_the_map_follows(site, page):
    page.goto(f"{site.url}/en/indikatorer/forvarvsfrekvens/")
    public_pages.wait_until_ready(page)
    link = page.locator(".level-switch a[data-level='small_area']")
    for _ in range(80):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the level switch cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?level=small_area$"))
    public_pages.wait_until_ready(page)
    expect(page.locator(".level-switch a[aria-current='page']")).to_have_text("Small areas")
    expect(page.locator("#map-table")).to_contain_text("Fittja (approximate boundary)")
    # the map draws one area per small area with a value
    drawn = page.locator("#indicator-map path.choropleth-area").count()
    rows = page.locator("#map-table tbody tr").count()
    assert drawn == rows >= 10
