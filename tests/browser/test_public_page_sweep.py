"""Every public page, in Swedish and English, in one browser visit: axe-core (WCAG 2.1 A/AA, no
rule disabled), the keyboard (Tab order, visible focus, every control reached, maps named and
usable without a mouse) and the enforced Content-Security-Policy ('self', no nonce, no inline
script, no violation, no console error). Every page gets a second visit, which may come from the
page cache and must work the same, and is then checked at 320 px (WCAG 1.4.10 reflow).

The pages come from tests/public_pages.py (the URLconf plus the demo data), so a new page is
checked as soon as it is routed; the test is parametrised over them, so xdist workers share
them. The demo data is loaded once for the module (``demo_site``), not once per test.
"""

import pytest

from testbeds.views import TestbedListView

from .. import public_pages
from .checks import (
    FOCUSABLES_JS,
    MAP_PAGES,
    RECORD_VIOLATIONS_JS,
    REFLOW_WIDTH,
    STEPS_JS,
    TEXTS_JS,
    goto_error_page,
    known_names,
    map_problems,
    open_page,
    page_problems,
    press_tab_until_done,
    reflow_problems,
    steps_problems,
    tab_order_problems,
    tab_order_problems_from,
    tab_through,
    untranslated,
    violations,
)

# Database access (the live server's thread reads the demo data), inside a transaction rolled
# back after each test: nothing a test might write outlives it. Not `transaction=True`, whose
# flush after every test would remove the demo data loaded once for the module.
# (Browser tests by their `page` fixture; the sweep's own rules and data are checked without
# Chromium in tests/test_browser_checks.py and tests/test_public_pages.py.)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, demo_media):
    """Overrides conftest.py's per-test folder: the demo files stay for the module."""
    settings.MEDIA_ROOT = demo_media


@pytest.mark.parametrize(("pattern", "language"), public_pages.page_params())
def test_public_page(site, paths, page, pattern, language):
    path = paths[(pattern.name, language)]
    page.add_init_script(RECORD_VIOLATIONS_JS)
    failures = {}
    response = page.goto(site.url + path)
    assert response.status == 200, path
    public_pages.wait_until_ready(page)
    # 1. axe-core on the page as loaded.
    if found := violations(page):
        failures["axe"] = found
    # 2. The keyboard: Tab from the top, recorded in the page, read once.
    keyboard = []
    if page.locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])").count():
        keyboard.append("a positive tabindex breaks the DOM order")
    expected, steps = tab_through(page)
    keyboard += steps_problems(expected, steps)
    _maps, problems = map_problems(page)
    keyboard += problems
    if pattern.name in MAP_PAGES:
        keyboard += map_page_problems(page, MAP_PAGES[pattern.name], expected, steps)
    if keyboard:
        failures["keyboard"] = keyboard
    # 3. The policy (no nonce), CSP violations and console errors (a map popup opened too).
    if problems := page_problems(page, response):
        failures["CSP and console"] = problems
    # The second visit: the answer may come from the page cache, sent as it was stored.
    second = page.goto(site.url + path)
    public_pages.wait_until_ready(page)
    if problems := page_problems(page, second):
        failures["CSP and console (second visit)"] = problems
    # 4. Reflow on a phone (WCAG 1.4.10), the same page at 320 px wide.
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
    if problems := reflow_problems(page):
        failures[f"reflow at {REFLOW_WIDTH} px"] = problems
    report = {f"{pattern.name} {path} – {check}": found for check, found in failures.items()}
    assert not failures, public_pages.report(report)


def map_page_problems(page, map_id, expected, steps) -> list[str]:
    """The skip link is the first stop and moves focus to <main>; the map container, every
    marker, the zoom buttons and the attribution links are reached by Tab in DOM order."""
    focused = [s["description"] for s in steps]
    assert focused[0].startswith("a.skip-link"), focused[:3]
    assert steps[0]["onScreen"], "the skip link must show when it has focus"
    titles = page.locator(f"#{map_id} .leaflet-marker-icon").evaluate_all(
        "els => els.map(e => e.title)"
    )
    assert len(titles) >= 10
    map_stops = [d for d in focused if d.startswith(f"div#{map_id}")]
    marker_stops = [d for d in focused if d.startswith("img.leaflet-marker-icon")]
    assert len(map_stops) == 1, f"the map {map_id} is not a Tab stop"
    assert [d.split('"')[1] for d in marker_stops] == [t[:40] for t in titles]
    zoom_in = focused.index(next(d for d in focused if "leaflet-control-zoom-in" in d))
    assert "leaflet-control-zoom-out" in focused[zoom_in + 1]
    assert focused.index(map_stops[0]) < focused.index(marker_stops[0]) < zoom_in
    assert any(d == 'a "OpenStreetMap"' for d in focused[zoom_in:]), focused[zoom_in:]
    problems = tab_order_problems_from(expected, steps)

    # The skip link moves focus to <main>; the next Tab stays inside it.
    page.evaluate("() => document.getElementById('__tab-start').focus()")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").get_attribute("href") == "#main-content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    return problems


def test_pages_with_maps_are_found(site, paths, page):
    """The map check is not vacuous: the home page and the catalogue show their maps."""
    seen = 0
    for name in MAP_PAGES:
        open_page(page, site.url + paths[(name, "sv")])
        count, problems = map_problems(page)
        assert problems == []
        seen += count
    assert seen >= 2


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_page_states_have_no_wcag_violations(site, page, settings, monkeypatch, prefix):
    """Filter errors, pagination, several municipalities and themes chosen, an open popup, the
    map's list, and the error pages."""
    settings.ROOT_URLCONF = "sodertorn.tests.test_error_pages"
    # The demo's ten testbeds fit on one catalogue page: smaller pages give it a second one.
    monkeypatch.setattr(TestbedListView, "paginate_by", 4)
    failures = {}
    # Filter errors on the catalogue, the second page of results (pagination), and several
    # values ticked in the checkbox groups.
    for query in [
        "?status=unknown&year=abc&municipality=nowhere",
        "?page=2",
        "?municipality=botkyrka&municipality=haninge&theme=nope",
    ]:
        path = f"{prefix}/testbaddar/{query}"
        page.goto(site.url + path)
        if found := violations(page):
            failures[path] = found
    # An open marker popup.
    page.goto(f"{site.url}{prefix}/testbaddar/")
    public_pages.wait_until_ready(page)
    page.locator("#catalogue-map .leaflet-marker-icon").first.click()
    page.wait_for_selector("#catalogue-map .leaflet-popup-content a")
    # Let the popup's fade-in finish: axe would measure contrast on the half-transparent text.
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    if found := violations(page):
        failures[f"{prefix} popup"] = found
    # The home map's list of testbeds, opened.
    page.goto(f"{site.url}{prefix}/")
    public_pages.wait_until_ready(page)
    page.locator(".map-list summary").click()
    if found := violations(page):
        failures[f"{prefix}/ map list"] = found
    # The error pages (tests/test_error_pages.py routes views that raise each error).
    for status in (400, 403, 404, 500):
        goto_error_page(page, f"{site.url}{prefix}/fel/{status}/", status)
        if found := violations(page):
            failures[f"{prefix} {status} page"] = found
    goto_error_page(page, f"{site.url}{prefix}/finns-inte/", 404)
    if found := violations(page):
        failures[f"{prefix} 404 page for an unknown address"] = found
    assert not failures, public_pages.report(failures)


def test_the_check_finds_a_real_violation(site, page):
    """The harness can fail: an image without alt text on a page is reported."""
    page.goto(f"{site.url}/kommuner/")
    page.evaluate(
        "() => document.querySelector('main').append("
        "Object.assign(document.createElement('img'), {src: '/static/favicon.svg'}))"
    )
    assert any(v.startswith("image-alt (critical)") for v in violations(page))


def test_a_violation_would_be_reported(site, page):
    """The harness can fail: an inline script is blocked and recorded."""
    page.add_init_script(RECORD_VIOLATIONS_JS)
    page.goto(f"{site.url}/kommuner/")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__ran = true'; document.body.append(s); }"""
    )
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert page.evaluate("() => window.__ran") is None
    assert "script-src-elem blocked inline" in page.evaluate("() => window.__cspViolations")[0]
    assert page.console_errors, "Chromium also logs the violation as a console error"
    page.console_errors.clear()


def test_the_check_finds_a_hidden_focus_indicator(site, page):
    """The harness can fail: links whose focus ring is removed are reported."""
    open_page(page, f"{site.url}/kommuner/")
    page.evaluate(
        """() => document.querySelectorAll('table a').forEach((a) => {
             a.style.setProperty('outline', 'none', 'important');
             a.style.setProperty('box-shadow', 'none', 'important'); })"""
    )
    problems = tab_order_problems(page)
    assert problems and all("no visible focus indicator" in p for p in problems)
    assert any('"Botkyrka"' in p for p in problems)


def test_the_check_finds_a_skipped_control(site, page):
    """The harness can fail: a link taken out of the Tab sequence is reported as never reached."""
    open_page(page, f"{site.url}/kommuner/")
    expected = page.evaluate(FOCUSABLES_JS)
    name = page.evaluate(
        "() => { const a = document.querySelector('table a'); a.setAttribute('tabindex', '-1');"
        " return a.textContent.trim(); }"
    )
    press_tab_until_done(page, len(expected) * 2 + 20)
    problems = steps_problems(expected, page.evaluate(STEPS_JS))
    assert any("never reached by Tab" in p and f'"{name}"' in p for p in problems), problems


# English pages say in English what their Swedish pages say ---------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param(param.values[0], id=param.values[0].name)
        for param in public_pages.page_params()
        if param.values[1] == "en"
    ],
)
def test_english_page_is_not_the_swedish_one(site, paths, page, pattern):
    """Every public page in /en/ against its Swedish page: a paragraph, heading, list item,
    table cell, label or the <title> that reads the same in both and is not marked lang="sv"
    fails (issue 16: "English page titles are Swedish"; untranslated interface text)."""
    names = sorted(known_names(), key=len, reverse=True)
    shown = {}
    for language in ("sv", "en"):
        response = page.goto(site.url + paths[(pattern.name, language)])
        assert response.status == 200
        shown[language] = page.evaluate(TEXTS_JS)
    problems = untranslated(shown["sv"], shown["en"], names)
    assert not problems, public_pages.report({paths[(pattern.name, "en")]: problems})
