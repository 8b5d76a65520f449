"""Phones: the main menu folds behind a "Menu" button that works without JavaScript, the
header search has a visible label, and the reflow check can fail.

Every public page is checked at 320 px (WCAG 1.4.10: no sideways scrolling, a data table may
scroll inside a named, keyboard-reachable region) by the sweep, on the visit it makes anyway
(tests/browser/test_public_page_sweep.py, ``checks.reflow_problems``).
"""

import pytest

from sodertorn import hooks

from .checks import REFLOW_JS, reflow_problems

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, demo_media):
    """Overrides conftest.py's per-test folder: the demo files stay for the module."""
    settings.MEDIA_ROOT = demo_media


@pytest.fixture
def screen(browser, settings):
    """A function opening a browser context at a width (JavaScript on or off); each context
    is closed at the end and fails the test on console errors."""
    settings.DEBUG = False
    contexts, errors = [], []

    def open_context(width, *, javascript=True):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, java_script_enabled=javascript
        )
        context.route(
            "https://*.openstreetmap.org/**",
            lambda route: route.fulfill(status=200, content_type="image/png", body=b""),
        )
        context.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    assert errors == [], f"browser console errors: {errors}"


def test_the_reflow_check_finds_a_page_that_scrolls_sideways(site, screen):
    """The harness can fail: a wide table outside any scroll region, and a region that
    scrolls but has neither a name nor a Tab stop, are reported."""
    page = screen(320).new_page()
    page.goto(f"{site.url}/kommuner/")
    assert reflow_problems(page) == []
    page.evaluate(
        """() => { const region = document.querySelector('.table-scroll');
                   region.removeAttribute('tabindex'); region.removeAttribute('aria-labelledby');
                   const wide = document.createElement('p'); wide.textContent = 'x';
                   wide.style.width = '900px'; document.querySelector('main').append(wide); }"""
    )
    found = page.evaluate(REFLOW_JS)
    assert found["scrollWidth"] > 320
    assert any(s.startswith("p ends at") for s in found["sticking"]), found
    assert "div.table-scroll scrolls sideways but is not a Tab stop" in found["problems"]
    assert "div.table-scroll scrolls sideways and has no name" in found["problems"]


def main_menu_links(page):
    return page.locator("nav.main-nav a")


def menu_entries() -> int:
    """How many entries the apps' menu_items hooks give (one more when an app adds one)."""
    return len(hooks.menu_items())


def test_on_a_phone_the_menu_is_folded_behind_a_button_that_works_without_javascript(site, screen):
    page = screen(390, javascript=False).new_page()
    page.goto(f"{site.url}/en/kommuner/")
    button = page.locator("details.menu > summary")
    assert button.is_visible() and button.text_content() == "Menu"
    assert button.get_attribute("class") == "menu-button"
    links = main_menu_links(page)
    assert links.count() == menu_entries()
    assert not any(link.is_visible() for link in links.all())
    # The header (brand, log-in, language, search, menu button) leaves the screen to content.
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 120, header
    assert page.locator("main h1").bounding_box()["y"] < 150

    # By keyboard: Tab from the search button reaches the menu button; Enter opens it.
    page.locator(".site-search button").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "menu-button"
    page.keyboard.press("Enter")
    assert all(link.is_visible() for link in links.all())
    assert page.locator("details.menu").get_attribute("open") is not None
    current = page.locator('nav.main-nav a[aria-current="page"]')
    assert current.count() == 1 and current.text_content() == "Municipalities"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    # The next Tab goes into the menu, to its first entry.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Home"
    # Space on the button folds it again.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert not any(link.is_visible() for link in links.all())


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_on_a_wide_screen_the_menu_is_shown_without_a_button(site, screen, javascript):
    page = screen(1280, javascript=javascript).new_page()
    page.goto(f"{site.url}/en/kommuner/")
    assert not page.locator(".menu-button").is_visible()
    links = main_menu_links(page)
    assert links.count() == menu_entries()
    assert all(link.is_visible() for link in links.all())
    # In the Tab order straight after the search button.
    page.locator(".site-search button").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Home"
    # The band spans the window although the menu sits in the centred header row.
    band = page.locator("nav.main-nav")
    assert band.evaluate("(el) => getComputedStyle(el).boxShadow") != "none"
    assert page.locator("main h1").bounding_box()["y"] < 200


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_header_search_has_a_visible_label(site, screen, width):
    page = screen(width).new_page()
    page.goto(f"{site.url}/en/")
    label = page.locator("label[for=site-search-q]")
    box = label.bounding_box()
    assert label.is_visible() and box["width"] > 50 and box["height"] > 10, box
    assert label.text_content() == "Search the site"
    field = page.get_by_label("Search the site", exact=True)
    assert field.get_attribute("id") == "site-search-q"
    field_box = field.bounding_box()
    # Beside the field on a wide screen, above it on a phone; inside the window either way.
    assert box["x"] + box["width"] <= width and field_box["x"] + field_box["width"] <= width
    if width >= 1280:
        assert box["x"] + box["width"] <= field_box["x"]
    else:
        assert box["y"] + box["height"] <= field_box["y"]
