"""No page has inline code, and a page shared caches may keep is the same bytes for everyone.

Every public page the URLconf and the demo data give (tests/public_pages.py, the discovery of
the page sweeps and tests/test_page_sizes.py), in Swedish and English:

* no executable inline ``<script>`` (data blocks, ``type="application/json"`` from
  ``json_script``, are allowed: browsers never run them and the CSP does not govern them),
  no ``<style>``, no ``style=""`` attribute, no ``on…=""`` event handler attribute;
* the Content-Security-Policy names no nonce and allows no inline code;
* every answer says ``Cache-Control: public`` or ``private`` (or ``no-store``);
* a page answered ``Cache-Control: public`` (sodertorn/cache.py) holds no CSRF token, sets no
  cookie, and is the same bytes when rendered again for another anonymous visitor.
"""

from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.test import Client

from sodertorn.cache import forget_local_copies

from . import public_pages
from .public_pages import discover_patterns

PATTERNS = discover_patterns()
PAGES = [p for p in PATTERNS if p.page]
DATA_BLOCK_TYPES = {"application/json", "application/ld+json", "application/geo+json"}

demo_media, _media_root, demo_db, demo = public_pages.demo_fixtures()


class InlineCode(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' or a nonce would block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            elif name.startswith("on"):
                self.found.append(f'<{tag} {name}="{value}">')
        if tag == "style":
            self.found.append("<style>")
        if tag == "script":
            self._script = attributes
        if tag in ("a", "iframe", "form") and any(
            (attributes.get(a) or "").strip().lower().startswith("javascript:")
            for a in ("href", "src", "action")
        ):
            self.found.append(f"<{tag}> with a javascript: address")

    def handle_data(self, data):
        script = self._script
        if script is None or "src" in script:
            return
        kind = (script.get("type") or "").strip().lower()
        if kind not in DATA_BLOCK_TYPES and data.strip():
            self.found.append(f"<script{' type=' + kind if kind else ''}>{data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_parser_finds_each_kind_of_inline_code():
    html = (
        '<script>alert(1)</script><script type="module">x()</script>'
        '<script type="application/json" id="d">{"a": 1}</script><script src="/s.js"></script>'
        '<style>p{}</style><p style="color: red">x</p><button onclick="go()">b</button>'
        '<a href="javascript:go()">a</a>'
    )
    assert inline_code(html) == [
        "<script>alert(1)",
        "<script type=module>x()",
        "<style>",
        '<p style="color: red">',
        '<button onclick="go()">',
        "<a> with a javascript: address",
    ]
    assert inline_code('<script type="application/json">{"a": "<p style=x>"}</script>') == []


def anonymous_get(url):
    return Client().get(url, HTTP_ACCEPT_ENCODING="identity")


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("pattern", PAGES, ids=lambda p: p.name)
def test_no_inline_code_and_shared_pages_are_the_same_for_everyone(demo, pattern, language):
    if language not in pattern.languages():
        pytest.skip(f"{pattern.name} is language-neutral")
    url = pattern.reverse(pattern.fill(), language)
    first = anonymous_get(url)
    assert first.status_code == 200, url
    policy = first.get("Content-Security-Policy", "")
    assert "'nonce-" not in policy and "unsafe-inline" not in policy, f"{url}: {policy}"
    if pattern.html:
        assert policy, f"{url}: no Content-Security-Policy"
        assert inline_code(first.content.decode()) == [], url
    # Every answer says whether a shared cache may keep it (nginx must not guess).
    cache_control = first.get("Cache-Control", "")
    assert {"public", "private", "no-store"} & set(cache_control.replace(",", " ").split()), url
    if "public" not in cache_control:
        return
    # Shared caches may keep it: nothing of this visitor's, and the same bytes for the next.
    assert not first.cookies, f"{url} is public but sets {list(first.cookies)}"
    assert b"csrfmiddlewaretoken" not in first.content, f"{url} is public but has a CSRF token"
    cache.clear()
    forget_local_copies()
    second = anonymous_get(url)
    assert second["X-Page-Cache"] == "miss"  # rendered again, not the stored copy
    assert second.content == first.content, f"{url} differs between two anonymous visitors"


def test_the_main_pages_are_public(demo):
    """The check above is not vacuous: the pages of the catalogue are shared-cacheable."""
    for url in ("/", "/testbaddar/", "/en/kommuner/", "/testbaddar.geojson"):
        assert "public" in anonymous_get(url)["Cache-Control"], url
