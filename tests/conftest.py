import os
import shutil
from pathlib import Path

import pytest

# pytest-django's live_server runs in a thread while Playwright's sync API holds an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
# Test modules of the search app itself: the index is kept up to date on save there (elsewhere
# only tests marked `search_index` get it; see _search_index below).
SEARCH_MODULES = {"test_search", "test_dialogue_search", "test_search_browser"}


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
    """A test in tests/browser/ (the only place where tests drive Playwright)."""
    return item.path.is_relative_to(BROWSER_TESTS)


@pytest.fixture(autouse=True)
def _search_index(request):
    """Search indexing on save is paused, except in the search app's tests and tests marked
    `search_index`: most tests never search, and indexing every save costs time in all of them.
    (load_demo rebuilds the index itself, so the demo data is searchable either way.)"""
    module = request.node.module.__name__.rsplit(".", 1)[-1] if request.node.module else ""
    if module in SEARCH_MODULES or request.node.get_closest_marker("search_index"):
        yield
        return
    from search import index, registry

    sources = registry.sources()
    for source in sources:
        index.disconnect(source)
    try:
        yield
    finally:
        for source in sources:
            index.connect(source)


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
