"""The header's phone-friendly parts (templates/base.html) and the site's icons: the main menu
inside a <details> disclosure, a visible label for the search box, /favicon.ico. (How they
look and work at 320, 390 and 1280 px: tests/browser/test_narrow_screens.py.)"""

import re

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_the_main_menu_is_a_disclosure_named_menu(client):
    html = client.get("/en/kommuner/").text
    menu = re.search(
        r'<details class="menu">\s*<summary class="menu-button">([^<]+)</summary>'
        r'\s*<nav class="main-nav" aria-label="Main menu">(.*?)</nav>\s*</details>',
        html,
        re.S,
    )
    assert menu, "the main menu is not inside <details class=menu> after its <summary>"
    assert menu.group(1) == "Menu"
    # Closed in the HTML: the stylesheet shows it on wide screens, a tap opens it on phones.
    assert '<details class="menu" open' not in html
    assert menu.group(2).count('aria-current="page"') == 1
    assert '<a href="/en/kommuner/" aria-current="page">' in menu.group(2)


@pytest.mark.django_db
def test_the_header_search_label_is_visible(client):
    html = client.get("/").text
    label = re.search(r'<label for="site-search-q"([^>]*)>([^<]+)</label>', html)
    assert label and "visually-hidden" not in label.group(1)
    assert label.group(2) == "Sök på webbplatsen"


@pytest.mark.django_db
def test_favicon_ico_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content.startswith(b"\x00\x00\x01\x00")  # an ICO file's header
    with open(finders.find("favicon.ico"), "rb") as file:
        assert response.content == file.read()
    assert "public" in response["Cache-Control"] and response["ETag"]
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/en/kommuner/", "/finns-inte/"])
def test_every_page_links_its_icons(client, url):
    html = client.get(url).text
    links = {
        rel + (f" {extra.strip()}" if extra.strip() else ""): href
        for rel, href, extra in re.findall(
            r'<link rel="(icon|apple-touch-icon)" href="([^"]+)"([^>]*)>', html
        )
    }
    assert links == {
        'icon sizes="32x32"': "/static/favicon.ico",
        'icon type="image/svg+xml"': "/static/favicon.svg",
        "apple-touch-icon": "/static/apple-touch-icon.png",
    }
    for href in links.values():
        assert finders.find(href.removeprefix("/static/")), href
