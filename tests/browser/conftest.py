import os

import pytest
from pytest_django.live_server_helper import LiveServer

from .. import public_pages

# The demo site's live server listens on loopback, one port per xdist worker from this base.
DEMO_PORT_BASE = int(os.environ.get("DEMO_SITE_PORT_BASE", "24010"))

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


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, demo_media):
    """The demo data, loaded once for the module (committed, flushed at the end): load_demo
    once per module and worker instead of once per test."""
    yield from public_pages.load_demo_site(django_db_blocker, demo_media)


@pytest.fixture(scope="module")
def site(demo_site, django_db_blocker, worker_id):
    """The live server over the demo data (module-scoped fixtures: once per module and xdist
    worker). A module using it marks its tests `django_db` (not transactional: that would
    flush the demo data after each test) and sets MEDIA_ROOT to `demo_media`."""
    number = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    with django_db_blocker.unblock():
        server = LiveServer(f"127.0.0.1:{DEMO_PORT_BASE + number}")
    server._live_server_modified_settings.enable()  # ALLOWED_HOSTS, as pytest-django does
    yield server
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.fixture(scope="module")
def paths(demo_site, django_db_blocker):
    """(url name, language) -> path, from the demo data."""
    with django_db_blocker.unblock():
        return {
            (pattern.name, language): pattern.reverse(kwargs, language)
            for pattern, kwargs in public_pages.filled_patterns()
            for language in pattern.languages()
        }
