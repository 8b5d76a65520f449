"""The site search in a browser: the header box by keyboard, and the result pages under axe."""

import pytest

from .. import public_pages
from .test_accessibility import violations
from .test_keyboard import open_page, tab_order_problems

pytestmark = pytest.mark.django_db(transaction=True)


def test_header_search_by_keyboard_and_result_pages_pass_axe(live_server, page):
    public_pages.load_demo_data()
    page.goto(live_server.url + "/")
    page.locator("#site-search-q").focus()
    page.keyboard.type("Flemingsberg")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sok/?q=Flemingsberg")
    assert page.locator(".search-hit").count() >= 2
    assert page.locator(".search-hit mark").count() >= 2
    found = {}
    for path in [
        "/sok/?q=Flemingsberg",
        "/sok/?q=stad&type=testbeds",
        "/sok/?q=%3Cscript%3E",
        "/sok/?q=xyzzy&municipality=atlantis&type=nope",
        "/en/sok/?q=dagvatten",
    ]:
        page.goto(live_server.url + path)
        if problems := violations(page):
            found[path] = problems
        open_page(page, live_server.url + path)
        if problems := tab_order_problems(page):
            found[f"{path} (keyboard)"] = problems
    assert not found, public_pages.report(found)
