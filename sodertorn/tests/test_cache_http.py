"""The page cache's HTTP side and its freshness (sodertorn/cache.py): ETag, Last-Modified and
Cache-Control on anonymous answers, 304 from the content versions alone, private answers for
everyone else, stale pages served while one request renders, and versions per area."""

import itertools
import os
import threading
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from indicators.tests.factories import AreaFactory, IndicatorFactory
from sodertorn import cache as page_cache
from sodertorn.env import cache_from_env
from sodertorn.settings_test import redis_url_for_worker
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=0, s-maxage=10, stale-while-revalidate=30"


# Redis as the test settings give it to this xdist worker (tests clear its whole database).
REDIS_URL = os.environ.get("REDIS_URL") or redis_url_for_worker(
    "redis://127.0.0.1:6379/15", os.environ.get("PYTEST_XDIST_WORKER", "")
)


@pytest.fixture(autouse=True, params=["locmem", "redis+local"])
def backend(request, settings):
    """Each test on local memory, and on Redis with per-process copies (production)."""
    if request.param == "locmem":
        settings.CACHES = {"default": cache_from_env("")}
        settings.PAGE_CACHE_LOCAL_SECONDS = 0
    else:
        import redis

        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            if os.environ.get("REQUIRE_REDIS"):
                pytest.fail(f"REQUIRE_REDIS is set but Redis is not reachable at {REDIS_URL}")
            pytest.skip(f"Redis not reachable at {REDIS_URL}")
        settings.CACHES = {"default": cache_from_env(REDIS_URL)}
        settings.PAGE_CACHE_LOCAL_SECONDS = 1
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    page_cache.forget_local_copies()
    yield request.param
    cache.clear()


@pytest.fixture
def testbed():
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    return TestbedFactory(
        title="Flemingsbergs stationsområde", slug="flemingsberg", municipalities=[huddinge]
    )


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    response.queries = len(queries.captured_queries)
    return response


def page_key(url: str) -> str:
    """The cache key of a page without a ``vary`` (the catalogue, not the testbed page)."""
    return page_cache._page_key(RequestFactory().get(url), "")


# Headers ------------------------------------------------------------------------------------


def test_anonymous_answers_are_public_with_etag_and_last_modified(client, testbed):
    first = client.get("/testbaddar/")
    second = client.get("/testbaddar/", HTTP_ACCEPT_ENCODING="gzip")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    for response in (first, second):
        assert response["Cache-Control"] == PUBLIC
        assert response["ETag"].startswith('W/"')
        assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in response["Vary"].split(",")}
    assert first["ETag"] == second["ETag"]
    assert first["Last-Modified"] == second["Last-Modified"]
    versions = page_cache.content_version(["testbeds"])
    assert first["Last-Modified"] == http_date(max(versions) // 1_000_000_000)
    assert client.get("/kommuner/")["ETag"] != first["ETag"]  # per page
    assert client.get("/testbaddar/?page=1")["ETag"] != first["ETag"]  # per address


def test_the_cache_control_times_come_from_the_settings(client, settings, testbed):
    settings.HTTP_S_MAXAGE, settings.HTTP_STALE_SECONDS = 60, 300
    for _ in range(2):
        response = client.get("/testbaddar/")
        assert response["Cache-Control"] == (
            "public, max-age=0, s-maxage=60, stale-while-revalidate=300"
        )


def test_logged_in_and_session_answers_are_private(client, admin_client, settings, testbed):
    staff = admin_client.get("/testbaddar/")
    assert staff["Cache-Control"] == "private, no-cache"
    assert "ETag" not in staff and "Cookie" in staff["Vary"]
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-real-session"
    visitor = client.get("/testbaddar/")
    assert visitor["Cache-Control"] == "private, no-cache"
    assert "ETag" not in visitor


def test_answers_that_are_not_stored_are_private(client, testbed):
    missing = client.get("/testbaddar/does-not-exist/")
    assert missing.status_code == 404
    assert "public" not in missing.get("Cache-Control", "")
    bad = client.get("/testbaddar.geojson?year=abc")
    assert bad.status_code == 400
    assert bad["Cache-Control"] == "private, no-cache"


def test_answers_that_do_not_say_how_to_cache_them_are_private(client):
    login = client.get("/konto/logga-in/")  # outside the page cache, with a CSRF token
    assert login.status_code == 200
    assert "private" in login["Cache-Control"] and "public" not in login["Cache-Control"]
    search = client.get("/sok/?q=torg")
    assert search["Cache-Control"] == "private, no-cache"
    assert client.get("/healthz")["Cache-Control"] == "no-store"  # its own is kept


def test_a_page_that_uses_a_csrf_token_is_neither_stored_nor_public():
    renders = []

    def view(request):
        renders.append(1)
        return HttpResponse(f"<form>{get_token(request)}</form>")

    cached = page_cache.cache_for_anonymous(view)
    for _ in range(2):
        response = cached(RequestFactory().get("/form/"))
        assert response["Cache-Control"] == "private, no-cache"
        assert "ETag" not in response
    assert len(renders) == 2


# Conditional requests -------------------------------------------------------------------------


def test_if_none_match_is_answered_304_from_the_versions_alone(client, testbed):
    etag = client.get("/testbaddar/")["ETag"]
    cache.delete(page_key("/testbaddar/"))  # not even the stored page is needed
    page_cache.forget_local_copies()  # (nor this process's copy of it)
    response = get(client, "/testbaddar/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.queries == 0
    assert response["X-Page-Cache"] == "not-modified"
    assert response["ETag"] == etag and response["Cache-Control"] == PUBLIC
    assert response.content == b""
    # Without the W/ prefix, or among others (weak comparison), too.
    assert (
        client.get("/testbaddar/", HTTP_IF_NONE_MATCH=f'"x", {etag.removeprefix("W/")}').status_code
        == 304
    )


def test_if_modified_since_is_answered_304_unless_content_changed(client, testbed):
    last_modified = client.get("/testbaddar/")["Last-Modified"]
    response = get(client, "/testbaddar/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert (response.status_code, response.queries) == (304, 0)
    assert client.get("/testbaddar/", HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200


def test_a_change_makes_the_old_etag_get_the_new_page(client, testbed):
    etag = client.get("/testbaddar/flemingsberg/")["ETag"]
    testbed.title = "Flemingsberg resecentrum"
    testbed.save()
    response = client.get("/testbaddar/flemingsberg/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Flemingsberg resecentrum" in response.text
    assert response["ETag"] != etag


def test_logged_in_users_get_no_304_from_the_anonymous_versions(client, admin_client, testbed):
    etag = client.get("/testbaddar/")["ETag"]
    assert admin_client.get("/testbaddar/", HTTP_IF_NONE_MATCH=etag).status_code == 200


# Versions per area ----------------------------------------------------------------------------

INDICATOR_PAGES = ["/indikatorer/", "/omraden/", "/analys/", "/indikatorer/data.json"]


def warm(client, *urls):
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


def test_a_testbed_change_leaves_the_indicator_pages_fresh(client, testbed):
    indicator = IndicatorFactory(code="forvarvsfrekvens")
    detail = f"/indikatorer/{indicator.code}/"
    warm(client, "/", "/testbaddar/", detail, *INDICATOR_PAGES)
    testbed.title = "Flemingsberg resecentrum"
    testbed.save()
    for url in INDICATOR_PAGES:
        assert get(client, url).queries == 0, url  # still the stored page
    # The catalogue, the home page (of every area) and the indicator page (it lists its
    # related testbeds) are rendered afresh.
    for url in ("/testbaddar/", "/", detail):
        assert client.get(url)["X-Page-Cache"] == "miss", url


def test_an_indicator_change_leaves_the_catalogue_fresh(client, testbed):
    indicator = IndicatorFactory(code="forvarvsfrekvens", name="Förvärvsfrekvens")
    warm(client, "/", "/testbaddar/", "/testbaddar.geojson", "/kommuner/", "/indikatorer/")
    indicator.name = "Andel förvärvsarbetande"
    indicator.save()
    for url in ("/testbaddar/", "/testbaddar.geojson", "/kommuner/"):
        assert client.get(url)["X-Page-Cache"] == "hit", url
    assert "Andel förvärvsarbetande" in client.get("/indikatorer/").text
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_a_municipality_change_reaches_the_indicator_pages(client, testbed):
    warm(client, "/omraden/")
    municipality = testbed.municipalities.get()
    municipality.name = "Huddinge kommun"
    municipality.save()
    assert client.get("/omraden/")["X-Page-Cache"] == "miss"


def test_an_indicator_import_leaves_the_catalogue_fresh(client, testbed):
    """Bulk writes name their area (indicators/services.py), so an import of observations
    refreshes the indicator pages and the pages of every area, not the catalogue's."""
    from indicators.services import import_observations

    IndicatorFactory(code="forvarvsfrekvens")
    AreaFactory(own_code="0180-tensta", own_name="Tensta")
    warm(client, "/testbaddar/", "/kommuner/", "/indikatorer/", "/")
    report = import_observations(
        "indicator,area,year,value\nforvarvsfrekvens,0180-tensta,2017,64.2\n"
    )
    assert report.written
    for url in ("/testbaddar/", "/kommuner/"):
        assert client.get(url)["X-Page-Cache"] == "hit", url
    for url in ("/indikatorer/", "/"):
        assert client.get(url)["X-Page-Cache"] == "miss", url


def test_a_residents_support_leaves_the_catalogue_and_indicators_fresh(client, testbed):
    from dialogue.services import support
    from dialogue.tests.factories import ContributionFactory

    proposal = ContributionFactory(round__testbed=testbed)
    warm(client, "/testbaddar/", "/indikatorer/", "/")
    support(contribution=proposal, browser="webbläsare", address="192.0.2.1")
    for url in ("/testbaddar/", "/indikatorer/"):
        assert client.get(url)["X-Page-Cache"] == "hit", url
    assert client.get("/")["X-Page-Cache"] == "miss"  # a page of every area


def test_a_change_without_areas_makes_every_page_stale(client, testbed):
    warm(client, "/testbaddar/", "/indikatorer/")
    page_cache.content_changed()
    for url in ("/testbaddar/", "/indikatorer/"):
        assert client.get(url)["X-Page-Cache"] == "miss", url


def test_the_dependencies_of_a_page_of_unknown_area_are_everything():
    assert page_cache.dependencies(None) == (
        page_cache.VERSION_KEY,
        page_cache.AREA_KEY + page_cache.EVERYTHING,
    )
    assert page_cache.areas_of(type(TestbedFactory.build())) == {"testbeds", "testbeds.testbed"}


# Stale while one renders ----------------------------------------------------------------------


def test_a_stale_page_is_served_while_another_request_renders_it(client, testbed):
    warm(client, "/testbaddar/")
    testbed.title = "Flemingsberg resecentrum"
    testbed.save()
    lock = page_cache.LOCK_KEY_PREFIX + page_key("/testbaddar/")
    assert cache.add(lock, 1)  # another request is rendering it
    stale = get(client, "/testbaddar/")
    assert stale["X-Page-Cache"] == "stale"
    assert stale.queries == 0
    assert "Flemingsbergs stationsområde" in stale.text
    # No cache in front keeps the stale copy; its validators are its own.
    assert stale["Cache-Control"] == "public, max-age=0, s-maxage=0, stale-while-revalidate=30"
    cache.delete(lock)  # that render is done (or its lock expired)
    fresh = client.get("/testbaddar/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "Flemingsberg resecentrum" in fresh.text
    assert fresh["ETag"] != stale["ETag"]
    assert cache.get(lock) is None  # released after the render
    assert client.get("/testbaddar/")["X-Page-Cache"] == "hit"


def test_an_expired_page_is_served_stale_while_another_request_renders_it(
    client, settings, testbed
):
    warm(client, "/testbaddar/")
    # (time.time moves for the cache too: a lock that never expires)
    assert cache.add(page_cache.LOCK_KEY_PREFIX + page_key("/testbaddar/"), 1, timeout=None)
    later = time.time() + settings.PAGE_CACHE_SECONDS + 1
    with mock.patch.object(page_cache.time, "time", return_value=later):
        assert get(client, "/testbaddar/")["X-Page-Cache"] == "stale"


def test_with_no_copy_a_request_waits_for_the_one_render(client, testbed):
    warm(client, "/testbaddar/")
    key = page_key("/testbaddar/")
    entry = cache.get(key)
    cache.delete(key)
    page_cache.forget_local_copies()
    assert cache.add(page_cache.LOCK_KEY_PREFIX + key, 1)  # another request renders it
    with mock.patch.object(page_cache.time, "sleep", side_effect=lambda s: cache.set(key, entry)):
        response = get(client, "/testbaddar/")
    assert (response["X-Page-Cache"], response.queries) == ("hit", 0)


def test_with_no_copy_a_request_renders_itself_after_waiting_briefly(client, settings, testbed):
    settings.PAGE_CACHE_WAIT_SECONDS = 0.2
    assert cache.add(page_cache.LOCK_KEY_PREFIX + page_key("/testbaddar/"), 1)
    with mock.patch.object(page_cache.time, "sleep") as sleep:
        # The clock moves on by each step, so the wait ends after PAGE_CACHE_WAIT_SECONDS.
        clock = itertools.count(0, 0.1)
        with mock.patch.object(page_cache.time, "monotonic", side_effect=lambda: next(clock)):
            response = client.get("/testbaddar/")
    assert response["X-Page-Cache"] == "miss"
    assert "Flemingsbergs stationsområde" in response.text
    assert sleep.called


@pytest.mark.parametrize("warm_first", [False, True], ids=["cold", "stale"])
def test_concurrent_requests_make_one_render(warm_first):
    """Eight requests at once for a missing or stale page: one renders, the others wait for
    it (cold) or get the stale copy (stale). No stampede."""
    renders = []
    started = threading.Event()

    def slow_view(request):
        renders.append(1)
        started.set()
        time.sleep(0.3)
        return HttpResponse("page " * 400)

    view = page_cache.cache_for_anonymous(slow_view, areas=("testbeds",))
    if warm_first:
        view(RequestFactory().get("/slow/"))
        page_cache.content_changed(areas=["testbeds"])
        renders.clear()
    answers = []

    def visit():
        answers.append(view(RequestFactory().get("/slow/"))["X-Page-Cache"])

    threads = [threading.Thread(target=visit) for _ in range(8)]
    threads[0].start()
    started.wait(5)
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(renders) == 1
    assert sorted(answers) == sorted(["miss"] + ["stale" if warm_first else "hit"] * 7)


def test_entries_of_the_former_layout_are_never_read(client, testbed):
    """After a deploy, Redis still holds pages stored by the former version of the cache (one
    version number, a nonce): they are not read (and so do not pause the cache)."""
    old_key = page_key("/testbaddar/").replace("pages:", "page:", 1)
    cache.set(old_key, {"version": 1, "nonce": None, "content": b"old", "gzip": None}, 60)
    response = client.get("/testbaddar/")
    assert response["X-Page-Cache"] == "miss"
    assert client.get("/testbaddar/")["X-Page-Cache"] == "hit"
