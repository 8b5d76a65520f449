"""axe-core on every public page, in Swedish and English: no WCAG 2.1 A/AA violations.

The pages come from tests/public_pages.py (the URLconf plus the demo data), so a new page is
checked as soon as it is routed. A few page states that the bare URLs do not show (filter errors,
an open map popup, the 404 page) are checked too.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .. import public_pages

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
# No rule is disabled. (Leaflet's own controls and markers are checked like everything else.)
axe = Axe()


def violations(page) -> list[str]:
    public_pages.wait_until_ready(page)
    result = axe.run(page, options=AXE_OPTIONS)
    found = []
    for violation in result.response["violations"]:
        for node in violation["nodes"]:
            found.append(
                f"{violation['id']} ({violation['impact']}): {node['target']} – "
                f"{node.get('failureSummary', '').splitlines()[-1:]}"
            )
    return found


def test_every_public_page_has_no_wcag_violations(live_server, page):
    """Every discovered page, Swedish and English."""
    public_pages.load_demo_data()
    pages = public_pages.public_pages()
    assert len(pages) >= 10
    failures = {}
    for name, path in pages:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found = violations(page)
        if found:
            failures[f"{name} {path}"] = found
    assert not failures, public_pages.report(failures)


def test_page_states_have_no_wcag_violations(live_server, page, settings):
    """Filter errors, pagination, an open popup, the map's list, and the error pages."""
    settings.ROOT_URLCONF = "tests.test_error_pages"
    public_pages.load_demo_data()
    failures = {}
    for prefix in ("", "/en"):
        failures.update(page_state_violations(live_server, page, prefix))
    assert not failures, public_pages.report(failures)


def page_state_violations(live_server, page, prefix) -> dict[str, list[str]]:
    failures = {}
    # Filter errors on the catalogue, and the second page of results (pagination).
    for query in ["?status=unknown&year=abc&municipality=nowhere", "?page=2"]:
        path = f"{prefix}/testbaddar/{query}"
        page.goto(live_server.url + path)
        if found := violations(page):
            failures[path] = found
    # An open marker popup.
    page.goto(f"{live_server.url}{prefix}/testbaddar/")
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
    page.goto(f"{live_server.url}{prefix}/")
    public_pages.wait_until_ready(page)
    page.locator(".map-list summary").click()
    if found := violations(page):
        failures[f"{prefix}/ map list"] = found
    # The error pages (tests/test_error_pages.py routes views that raise each error).
    for status in (400, 403, 404, 500):
        goto_error_page(page, f"{live_server.url}{prefix}/fel/{status}/", status)
        if found := violations(page):
            failures[f"{prefix} {status} page"] = found
    goto_error_page(page, f"{live_server.url}{prefix}/finns-inte/", 404)
    if found := violations(page):
        failures[f"{prefix} 404 page for an unknown address"] = found
    return failures


def goto_error_page(page, url, status):
    """Chromium logs the document's own error status as a console error: drop exactly that
    one (a missing stylesheet or script on the page would still fail the test)."""
    before = len(page.console_errors)
    response = page.goto(url)
    assert response.status == status, url
    public_pages.wait_until_ready(page)
    new = page.console_errors[before:]
    assert len(new) == 1 and str(status) in new[0], new
    del page.console_errors[before]


def test_the_check_finds_a_real_violation(live_server, page):
    """The harness can fail: an image without alt text on a page is reported."""
    page.goto(f"{live_server.url}/kommuner/")
    page.evaluate(
        "() => document.querySelector('main').append("
        "Object.assign(document.createElement('img'), {src: '/static/favicon.svg'}))"
    )
    assert any(v.startswith("image-alt (critical)") for v in violations(page))
