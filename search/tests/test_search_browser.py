"""The site search in a browser: the header box by keyboard, and the result pages under axe."""

import pytest

from tests import public_pages
from tests.browser.checks import open_page, tab_order_problems, violations

# Reads the demo data of the module's demo site (conftest.py), loaded once.
pytestmark = [pytest.mark.django_db, pytest.mark.search_index]  # indexing on save kept


@pytest.fixture(autouse=True)
def _media_root(settings, demo_media):
    settings.MEDIA_ROOT = demo_media


def test_header_search_by_keyboard_and_result_pages_pass_axe(site, page):
    page.goto(site.url + "/")
    page.locator("#site-search-q").focus()
    page.keyboard.type("Flemingsberg")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sok/?q=Flemingsberg")
    assert page.locator(".search-hit").count() >= 2
    assert page.locator(".search-hit mark").count() >= 2
    found = {}
    for path in [
        "/sok/?q=Flemingsberg",
        "/sok/?q=Flemmingsberg",  # corrected, with "did you mean"
        "/en/sok/?q=Rinkby&type=areas",
        "/sok/?q=stad&type=testbeds",
        "/sok/?q=%3Cscript%3E",
        "/sok/?q=xyzzy&municipality=atlantis&type=nope",
        "/en/sok/?q=dagvatten",
    ]:
        page.goto(site.url + path)
        if problems := violations(page):
            found[path] = problems
        open_page(page, site.url + path)
        if problems := tab_order_problems(page):
            found[f"{path} (keyboard)"] = problems
    assert not found, public_pages.report(found)
