"""Fixtures and collection rules of the whole suite: tests/ (what crosses apps) and every app's
<app>/tests/.

A conftest.py at the root, not a plugin module loaded with -p: pytest loads it for every test
below it whatever paths are given, and its fixtures override the plugins' (pytest-playwright's
``page`` below); a -p plugin would compete with pytest-playwright in registration order.
"""

import html
import os
import re
import shutil
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from pytest_django.live_server_helper import LiveServer

# pytest-django's live_server runs in a thread while Playwright's sync API holds an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# pytest-playwright's fixtures: a test that uses one (directly or through another fixture)
# drives the browser.
PLAYWRIGHT_FIXTURES = {"page", "context", "new_context", "browser", "launch_browser", "playwright"}


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Swedish). A request to an /en/ page leaves
    English active in the thread (LocaleMiddleware activates, nothing deactivates), which made
    tests that reverse() URLs depend on which test ran before them on the same worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: no cached pages, a new content version.

    (Login attempts counted by django-axes live in the database and roll back with it.)"""
    from django.core.cache import caches

    from sodertorn.cache import forget_local_copies

    for cache in caches.all():
        cache.clear()
    forget_local_copies()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def is_browser_test(item) -> bool:
    """A test that uses a Playwright fixture: nothing else is a browser test."""
    fixtures = set(getattr(item, "fixturenames", ())) - parametrized_arguments(item)
    return bool(fixtures & PLAYWRIGHT_FIXTURES)


def parametrized_arguments(item) -> set[str]:
    """Names given by @pytest.mark.parametrize, not fixtures (a parametrised ``page`` number is
    no Playwright page)."""
    names = set()
    for marker in item.iter_markers("parametrize"):
        argnames = marker.args[0] if marker.args else marker.kwargs["argnames"]
        if isinstance(argnames, str):
            argnames = argnames.split(",")
        names.update(name.strip() for name in argnames)
    return names


@pytest.fixture(autouse=True)
def _search_index(request):
    """Search indexing on save is paused, except in tests marked `search_index` (the search
    tests mark their whole module): most tests never search, and indexing every save costs time
    in all of them. (load_demo rebuilds the index itself, so the demo data is searchable either
    way.)"""
    if request.node.get_closest_marker("search_index"):
        yield
        return
    from search import index

    with index.paused():
        yield


def pytest_collection_modifyitems(config, items):
    """Only browser tests are marked `browser`; they need Debian's chromium and are skipped
    visibly (each with its reason, `-rs`) where it is missing. Nothing else is skipped.

    .ci/run installs chromium and sets REQUIRE_BROWSER=1, so nothing is skipped there.
    """
    browser_tests = [item for item in items if is_browser_test(item)]
    for item in browser_tests:
        item.add_marker(pytest.mark.browser)
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    if os.environ.get("REQUIRE_BROWSER") and browser_tests:
        raise pytest.UsageError(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"chromium not found at {CHROMIUM}: browser test skipped")
    for item in browser_tests:
        item.add_marker(skip)


# Browser tests ------------------------------------------------------------------------------------


@pytest.fixture
def swedish_messages():
    """``add(msgid, msgstr, context=None)``: a Swedish translation for this test only, as the
    catalogue (locale/sv) will hold it. For a test of a new message, before its translation is
    in the catalogue: it checks the page asks for the right message (and context), and the
    page in Swedish then reads as it will."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation("sv")._catalog._catalogs[0]
    before = {}

    def add(msgid: str, msgstr: str, context: str | None = None) -> None:
        key = f"{context}\x04{msgid}" if context else msgid
        before.setdefault(key, catalog.get(key))
        catalog[key] = msgstr

    yield add
    for key, value in before.items():
        if value is None:
            catalog.pop(key, None)
        else:
            catalog[key] = value


@pytest.fixture
def sitemap_text(client):
    """A function returning every sitemap the index /sitemap.xml names (each page of each
    section), joined: what a crawler reads."""

    def read(client=client):
        index = client.get("/sitemap.xml")
        assert index.status_code == 200 and b"<sitemapindex" in index.content
        parts = []
        for loc in re.findall(r"<loc>([^<]+)</loc>", index.text):
            url = urlsplit(html.unescape(loc))
            response = client.get(url.path, QueryDict(url.query))
            assert response.status_code == 200, loc
            parts.append(response.text)
        return "\n".join(parts)

    return read


# 1x1 transparent PNG served instead of map tiles: the test machine has no network.
BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture
def page(page, settings):
    """A Playwright page that fails the test on console errors (CSP violations, JS errors)."""
    settings.DEBUG = False
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.route(
        "https://*.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE),
    )
    page.console_errors = errors
    yield page
    assert errors == [], f"browser console errors: {errors}"


# The demo site, for browser tests that only read the demo data ---------------------------


@pytest.fixture(scope="session")
def demo_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """On PostgreSQL the demo data once per session and xdist worker, in a database of its own
    made from the empty test database as a template (tests/public_pages.py,
    ``demo_template_database``); the modules of ``public_pages.demo_fixtures()`` switch to it
    and roll back. None on SQLite, where each such module loads the demo data itself."""
    from django.db import connection

    from tests import public_pages

    if connection.vendor != "postgresql":
        yield None
        return
    yield from public_pages.demo_template_database(
        django_db_blocker, tmp_path_factory.mktemp("demo-media")
    )


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory, demo_database):
    if demo_database is not None:
        return demo_database.media_root
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, demo_media, demo_database):
    """The demo data for the module, committed: on PostgreSQL a copy of the session's demo
    database, dropped at the end; elsewhere loaded once per module and worker and flushed at
    the end (instead of once per test)."""
    from tests import public_pages

    yield from public_pages.load_demo_site(django_db_blocker, demo_media, demo_database)


@pytest.fixture(scope="module")
def site(demo_site, django_db_blocker):
    """The live server over the demo data (module-scoped fixtures: once per module and xdist
    worker). A module using it marks its tests `django_db` (not transactional: that would
    flush the demo data after each test) and sets MEDIA_ROOT to `demo_media`."""
    with django_db_blocker.unblock():
        # Port 0: the kernel hands out a free port. A fixed port per worker failed in CI with
        # "Address already in use" whenever anything else on the machine held it.
        server = LiveServer("127.0.0.1:0")
    server._live_server_modified_settings.enable()  # ALLOWED_HOSTS, as pytest-django does
    yield server
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.fixture(scope="module")
def paths(demo_site, django_db_blocker):
    """(url name, language) -> path, from the demo data."""
    from tests import public_pages

    with django_db_blocker.unblock():
        return {
            (pattern.name, language): pattern.reverse(kwargs, language)
            for pattern, kwargs in public_pages.filled_patterns()
            for language in pattern.languages()
        }
