"""Whole-page cache for anonymous visitors (sodertorn/cache.py), on local memory and on Redis."""

import datetime
import os
import time
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sodertorn import cache as page_cache
from sodertorn.env import cache_from_env
from sodertorn.publishing import set_published
from sodertorn.settings_test import redis_url_for_worker
from testbeds.models import Testbed
from testbeds.tests.factories import (
    MunicipalityFactory,
    TestbedFactory,
    ThemeFactory,
    bulk_testbeds,
)

pytestmark = pytest.mark.django_db

# Without REDIS_URL (a local run) each xdist worker still gets a Redis database of its own, as
# sodertorn/settings_test.py gives them when it is set: tests clear the whole database.
REDIS_URL = os.environ.get("REDIS_URL") or redis_url_for_worker(
    "redis://127.0.0.1:6379/15", os.environ.get("PYTEST_XDIST_WORKER", "")
)


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def use_backend(name, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 1 if name == "redis+local" else 0
    if name.startswith("redis"):
        if not redis_reachable(REDIS_URL):
            message = f"Redis not reachable at {REDIS_URL}"
            if os.environ.get("REQUIRE_REDIS"):
                pytest.fail(f"REQUIRE_REDIS is set but {message}")
            pytest.skip(f"{message}: Redis cache test skipped")
        settings.CACHES = {"default": cache_from_env(REDIS_URL)}
    else:
        settings.CACHES = {"default": cache_from_env("")}
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    page_cache.forget_local_copies()


@pytest.fixture(params=["locmem", "redis", "redis+local"])
def backend(request, settings):
    """Run the test on local memory, on Redis, and on Redis with per-process copies (as
    production with REDIS_URL does)."""
    use_backend(request.param, settings)
    yield request.param
    cache.clear()


@pytest.fixture
def redis_backend(settings):
    use_backend("redis", settings)
    yield "redis"
    cache.clear()


@pytest.fixture
def catalogue():
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    tyreso = MunicipalityFactory(name="Tyresö", slug="tyreso", code="0138")
    mobility = ThemeFactory(name="Mobilitet", slug="mobilitet")
    flemingsberg = TestbedFactory(
        title="Flemingsbergs stationsområde",
        slug="flemingsberg",
        municipalities=[huddinge],
        themes=[mobility],
    )
    hidden = TestbedFactory(title="Opublicerad bädd", slug="hidden", published=False)
    return {
        "huddinge": huddinge,
        "tyreso": tyreso,
        "mobility": mobility,
        "flemingsberg": flemingsberg,
        "hidden": hidden,
    }


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    response.queries = len(queries.captured_queries)
    return response


PAGES = [
    "/",
    "/testbaddar/",
    "/testbaddar/?municipality=huddinge&theme=mobilitet&status=ongoing",
    "/testbaddar/flemingsberg/",
    "/testbaddar.geojson",
    "/testbaddar.geojson?municipality=huddinge",
    "/kommuner/",
    "/kommuner/huddinge/",
    "/en/",
    "/en/testbaddar/flemingsberg/",
]


@pytest.mark.parametrize("url", PAGES)
def test_second_request_is_served_from_the_cache_without_queries(client, backend, catalogue, url):
    first = get(client, url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert first.queries > 0
    second = get(client, url)
    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert second.queries == 0
    assert second["Content-Type"] == first["Content-Type"]
    assert second.content == first.content  # no nonce to re-stamp: the same bytes


def test_a_cached_map_page_is_sent_as_stored_under_the_same_policy(client, backend, catalogue):
    first = client.get("/testbaddar/")
    second = client.get("/testbaddar/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "'nonce-" not in second["Content-Security-Policy"]


def test_geojson_is_cached_by_its_full_query_string_with_its_headers(client, backend, catalogue):
    huddinge = client.get("/testbaddar.geojson?municipality=huddinge")
    tyreso = client.get("/testbaddar.geojson?municipality=tyreso")
    assert len(huddinge.json()["features"]) == 1
    assert tyreso.json()["features"] == []
    again = client.get("/testbaddar.geojson?municipality=tyreso")
    assert again["X-Page-Cache"] == "hit"
    assert again.json()["features"] == []
    assert again["Content-Type"] == "application/geo+json"
    assert again["Access-Control-Allow-Origin"] == "*"
    assert client.get("/testbaddar.geojson?municipality=nowhere").status_code == 400


def test_answers_are_sent_gzipped_to_clients_that_accept_it(client, backend, catalogue):
    import gzip
    import json

    bulk_testbeds(20, catalogue["huddinge"])  # a few kilobytes of GeoJSON
    plain = client.get("/testbaddar.geojson")
    assert len(plain.content) > page_cache.GZIP_MIN_BYTES
    packed = client.get("/testbaddar.geojson", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["X-Page-Cache"] == "hit"
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    refused = client.get("/testbaddar.geojson", HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    assert "Content-Encoding" not in refused
    assert refused.json() == plain.json()
    # Pages with a map too (there is no nonce to re-stamp any more).
    client.get("/testbaddar/")
    page = client.get("/testbaddar/", HTTP_ACCEPT_ENCODING="gzip")
    assert page["X-Page-Cache"] == "hit"
    assert page["Content-Encoding"] == "gzip"
    assert gzip.decompress(page.content) == client.get("/testbaddar/").content


def test_the_render_that_stores_a_page_sends_it_gzipped_as_a_hit_does(client, backend, catalogue):
    """The request that renders and stores a page (a miss) sends the bytes a hit sends: a
    cache in front (nginx, which asks for gzip) then keeps the compressed copy, instead of
    compressing the whole catalogue's GeoJSON again on every request it answers."""
    import gzip

    bulk_testbeds(20, catalogue["huddinge"])
    miss = client.get("/testbaddar.geojson", HTTP_ACCEPT_ENCODING="gzip")
    assert miss["X-Page-Cache"] == "miss"
    assert miss["Content-Encoding"] == "gzip"
    hit = client.get("/testbaddar.geojson", HTTP_ACCEPT_ENCODING="gzip")
    assert hit["X-Page-Cache"] == "hit"
    assert miss.content == hit.content
    assert int(miss["Content-Length"]) == len(miss.content)
    assert gzip.decompress(miss.content) == client.get("/testbaddar.geojson").content
    # a client that takes no gzip is sent the page as it was rendered
    page_cache.bump_content_version()
    plain = client.get("/testbaddar.geojson")
    assert plain["X-Page-Cache"] == "miss" and "Content-Encoding" not in plain


def test_bad_answers_are_not_cached(client, backend, catalogue):
    for _ in range(2):
        assert client.get("/testbaddar/does-not-exist/").status_code == 404
        assert client.get("/testbaddar/hidden/").status_code == 404
        response = client.get("/testbaddar.geojson?year=abc")
        assert response.status_code == 400
        assert response["X-Page-Cache"] == "miss"


# Invalidation ---------------------------------------------------------------------------------


def warm(client, *urls):
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_title_change_shows_on_the_next_request(client, backend, catalogue):
    warm(client, "/", "/testbaddar/", "/testbaddar/flemingsberg/", "/testbaddar.geojson")
    testbed = catalogue["flemingsberg"]
    testbed.title = "Flemingsberg resecentrum"
    testbed.save()
    for url in ("/", "/testbaddar/", "/testbaddar/flemingsberg/", "/testbaddar.geojson"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "Flemingsberg resecentrum" in response.content.decode()
        assert "Flemingsbergs stationsområde" not in response.content.decode()


def test_unpublishing_through_the_service_hides_the_testbed_at_once(client, backend, catalogue):
    warm(client, "/testbaddar/", "/testbaddar/flemingsberg/", "/testbaddar.geojson")
    assert set_published(Testbed.objects.filter(slug="flemingsberg"), published=False) == 1
    assert client.get("/testbaddar/flemingsberg/").status_code == 404
    assert "Flemingsbergs stationsområde" not in client.get("/testbaddar/").text
    assert client.get("/testbaddar.geojson").json()["features"] == []


def test_unpublishing_in_the_admin_hides_the_testbed_at_once(
    client, admin_client, backend, catalogue
):
    warm(client, "/testbaddar/flemingsberg/")
    response = admin_client.post(
        "/admin/testbeds/testbed/",
        {"action": "unpublish", "_selected_action": [catalogue["flemingsberg"].pk]},
    )
    assert response.status_code == 302
    assert not Testbed.objects.get(slug="flemingsberg").published
    assert client.get("/testbaddar/flemingsberg/").status_code == 404


def test_publishing_by_saving_shows_the_testbed(client, backend, catalogue):
    warm(client, "/testbaddar/")
    hidden = catalogue["hidden"]
    hidden.published = True
    hidden.save()
    assert "Opublicerad bädd" in client.get("/testbaddar/").text
    assert client.get("/testbaddar/hidden/").status_code == 200


def test_many_to_many_changes_show_on_the_next_request(client, backend, catalogue):
    testbed, tyreso = catalogue["flemingsberg"], catalogue["tyreso"]
    warm(client, "/kommuner/tyreso/", "/testbaddar.geojson?municipality=tyreso")
    testbed.municipalities.add(tyreso)
    assert "Flemingsbergs stationsområde" in client.get("/kommuner/tyreso/").text
    assert len(client.get("/testbaddar.geojson?municipality=tyreso").json()["features"]) == 1

    warm(client, "/testbaddar/?theme=mobilitet")
    testbed.themes.clear()
    assert "Flemingsbergs stationsområde" not in client.get("/testbaddar/?theme=mobilitet").text

    warm(client, "/kommuner/huddinge/")
    catalogue["huddinge"].testbeds.remove(testbed)  # from the other side of the relation
    assert "Flemingsbergs stationsområde" not in client.get("/kommuner/huddinge/").text


def test_municipality_and_theme_edits_show_on_the_next_request(client, backend, catalogue):
    warm(client, "/testbaddar/", "/kommuner/")
    theme = catalogue["mobility"]
    theme.name = "Hållbart resande"
    theme.save()
    assert "Hållbart resande" in client.get("/testbaddar/").text  # the theme filter's choices
    catalogue["tyreso"].delete()
    assert "Tyresö" not in client.get("/kommuner/").text


def test_deleting_a_testbed_removes_it(client, backend, catalogue):
    warm(client, "/testbaddar/flemingsberg/", "/testbaddar/")
    catalogue["flemingsberg"].delete()
    assert client.get("/testbaddar/flemingsberg/").status_code == 404
    assert "Flemingsbergs stationsområde" not in client.get("/testbaddar/").text


def test_every_model_of_the_project_apps_is_registered_and_packages_are_not():
    registered = page_cache.registered_models()
    assert {"testbeds.testbed", "testbeds.municipality", "testbeds.theme"} <= registered
    assert not {"axes.accessattempt", "sessions.session", "auth.user"} & registered


def test_other_apps_register_their_models_with_one_line(backend):
    page_cache.register_for_invalidation(Group)
    page_cache.register_for_invalidation(Group)  # twice is harmless
    assert "auth.group" in page_cache.registered_models()
    before = page_cache.content_version()
    group = Group.objects.create(name="Idégrupp")
    after_save = page_cache.content_version()
    assert after_save > before
    group.permissions.add(Permission.objects.first())
    after_m2m = page_cache.content_version()
    assert after_m2m > after_save
    group.delete()
    assert page_cache.content_version() > after_m2m


def test_a_lost_version_key_never_brings_back_old_pages(client, backend, catalogue):
    warm(client, "/testbaddar/")
    old_version = page_cache.content_version()
    cache.delete(page_cache.VERSION_KEY)  # evicted, or Redis restarted without its data
    page_cache.forget_local_copies()  # (a process's own copy of it lasts one second)
    assert page_cache.content_version() != old_version
    assert client.get("/testbaddar/")["X-Page-Cache"] == "miss"


# Who gets the cache ---------------------------------------------------------------------------


def test_staff_are_never_served_the_anonymous_cache(client, admin_client, backend, catalogue):
    warm(client, "/testbaddar/", "/testbaddar/flemingsberg/")
    # A write that sends no signal leaves the anonymous copy stale on purpose ...
    Testbed.objects.filter(slug="flemingsberg").update(title="Ändrad titel")
    assert client.get("/testbaddar/flemingsberg/")["X-Page-Cache"] == "hit"
    # ... staff get the page rendered for them, never the anonymous copy.
    staff = admin_client.get("/testbaddar/flemingsberg/")
    assert "X-Page-Cache" not in staff
    assert "Ändrad titel" in staff.text
    assert admin_client.get("/testbaddar/hidden/").status_code == 200  # unpublished, for staff
    # What staff saw is never stored for the public.
    anonymous = client.get("/testbaddar/flemingsberg/")
    assert anonymous["X-Page-Cache"] == "hit"
    assert "Ändrad titel" not in anonymous.text
    assert client.get("/testbaddar/hidden/").status_code == 404


def test_pages_staff_see_first_are_not_stored(client, admin_client, backend, catalogue):
    admin_client.get("/testbaddar/flemingsberg/")
    response = client.get("/testbaddar/flemingsberg/")
    assert response["X-Page-Cache"] == "miss"
    assert "Flemingsbergs stationsområde" in response.text


def test_a_visitor_with_a_session_gets_fresh_pages(client, settings, backend, catalogue):
    warm(client, "/testbaddar/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-real-session"
    assert "X-Page-Cache" not in client.get("/testbaddar/")


def test_english_and_swedish_are_cached_separately(client, backend, catalogue):
    swedish = client.get("/testbaddar/flemingsberg/")
    english = client.get("/en/testbaddar/flemingsberg/")
    assert (swedish["X-Page-Cache"], english["X-Page-Cache"]) == ("miss", "miss")
    swedish, english = (
        client.get("/testbaddar/flemingsberg/"),
        client.get("/en/testbaddar/flemingsberg/"),
    )
    assert (swedish["X-Page-Cache"], english["X-Page-Cache"]) == ("hit", "hit")
    assert '<html lang="sv">' in swedish.text and "Fakta" in swedish.text
    assert '<html lang="en">' in english.text and "Facts" in english.text
    # The browser's language does not pick the cached copy: the address does.
    swedish_again = client.get("/testbaddar/flemingsberg/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="sv">' in swedish_again.text


def test_query_strings_are_cached_separately(client, backend, catalogue):
    TestbedFactory(title="Planerad bädd", status=Testbed.Status.PLANNED)
    warm(client, "/testbaddar/?status=ongoing", "/testbaddar/?status=planned")
    ongoing = client.get("/testbaddar/?status=ongoing").text
    planned = client.get("/testbaddar/?status=planned").text
    assert "Flemingsbergs stationsområde" in ongoing and "Planerad bädd" not in ongoing
    assert "Planerad bädd" in planned and "Flemingsbergs stationsområde" not in planned


def test_head_requests_are_answered_from_the_cache(client, backend, catalogue):
    warm(client, "/testbaddar/")
    response = client.head("/testbaddar/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    assert response.content == b""


def test_pages_still_work_when_the_cache_is_down(client, backend, catalogue):
    down = ConnectionError("down")
    with (
        mock.patch.object(page_cache.cache, "get", side_effect=down),
        mock.patch.object(page_cache.cache, "get_many", side_effect=down),
    ):
        response = client.get("/testbaddar/")
    assert response.status_code == 200
    assert "Flemingsbergs stationsområde" in response.text
    # For a few seconds the process does not even ask (no timeout to wait for each time).
    with mock.patch.object(page_cache.cache, "get_many") as get_many:
        assert "X-Page-Cache" not in client.get("/testbaddar/")
    get_many.assert_not_called()
    with mock.patch.object(page_cache.time, "monotonic", return_value=time.monotonic() + 6):
        assert client.get("/testbaddar/")["X-Page-Cache"] == "miss"  # and then tries again
    with mock.patch.object(page_cache.cache, "set_many", side_effect=ConnectionError("down")):
        catalogue["flemingsberg"].save()  # saving content still works


def test_a_hung_cache_is_waited_for_once_per_pause_not_on_every_content_write(
    client, backend, catalogue
):
    """A Redis that hangs makes each call wait for its timeout. A resident's post changes
    two models (four bumps of the content version): after the first failure the process
    leaves the cache alone for the pause, writes included, and makes the bump up before it
    serves from the cache again, so no page made stale during the outage is served."""
    warm(client, "/testbaddar/")
    before = page_cache.content_version()
    hung = TimeoutError("hung")
    with mock.patch.object(page_cache.cache, "set_many", side_effect=hung) as set_many:
        for _ in range(4):
            catalogue["flemingsberg"].save()
    assert set_many.call_count == 1  # waited for once, then paused
    catalogue["flemingsberg"].title = "Nytt namn under avbrottet"
    catalogue["flemingsberg"].save()  # while paused: not even tried
    with mock.patch.object(page_cache.time, "monotonic", return_value=time.monotonic() + 6):
        response = client.get("/testbaddar/")
    assert page_cache.content_version() > before  # the missed bump was made up for first
    assert response["X-Page-Cache"] == "miss"
    assert "Nytt namn under avbrottet" in response.text


def test_a_page_cache_time_of_zero_turns_the_cache_off(client, settings, backend, catalogue):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/testbaddar/")
    assert "X-Page-Cache" not in client.get("/testbaddar/")


# Redis: one cache shared by every process ------------------------------------------------------


def test_redis_invalidation_reaches_every_process(client, redis_backend, catalogue):
    from django.core.cache.backends.redis import RedisCache

    # Another app server: its own connection to the same Redis.
    other = RedisCache(REDIS_URL, {"KEY_PREFIX": cache.key_prefix})
    warm(client, "/testbaddar/")
    key = page_cache.AREA_KEY + "testbeds"
    before = other.get(key)
    assert before == page_cache.content_version(["testbeds"])[1]
    catalogue["flemingsberg"].end_date = datetime.date(2019, 12, 31)
    catalogue["flemingsberg"].save()
    assert other.get(key) > before
    # Pages expire on their own (kept stale a while longer); the version keys do not.
    redis = cache._cache.get_client()
    prefix = cache.make_key("")
    page_keys = redis.keys(f"{prefix}{page_cache.PAGE_KEY_PREFIX}:*")
    assert page_keys
    assert all(0 < redis.ttl(key) <= 600 + 600 for key in page_keys)
    assert redis.ttl(cache.make_key(page_cache.VERSION_KEY)) == -1
    assert redis.ttl(cache.make_key(key)) == -1


def test_local_copies_save_the_round_trip_and_expire_after_their_second(
    client, settings, catalogue
):
    from django.core.cache.backends.redis import RedisCache

    use_backend("redis+local", settings)
    other = RedisCache(REDIS_URL, {"KEY_PREFIX": cache.key_prefix})  # another server
    warm(client, "/testbaddar/flemingsberg/")
    down = ConnectionError("not asked")
    with (
        mock.patch.object(page_cache.cache, "get", side_effect=down),
        mock.patch.object(page_cache.cache, "get_many", side_effect=down),
    ):
        assert client.get("/testbaddar/flemingsberg/")["X-Page-Cache"] == "hit"
    # An edit on another server: seen here once this process's second is over.
    Testbed.objects.filter(slug="flemingsberg").update(title="Ändrad på en annan server")
    other.incr(page_cache.VERSION_KEY)
    assert client.get("/testbaddar/flemingsberg/")["X-Page-Cache"] == "hit"
    later = time.monotonic() + 1.5
    with mock.patch.object(page_cache.time, "monotonic", return_value=later):
        response = client.get("/testbaddar/flemingsberg/")
    assert response["X-Page-Cache"] == "miss"
    assert "Ändrad på en annan server" in response.text
    # An edit in this process is seen at once.
    catalogue["flemingsberg"].refresh_from_db()
    catalogue["flemingsberg"].title = "Ändrad här"
    catalogue["flemingsberg"].save()
    with mock.patch.object(page_cache.time, "monotonic", return_value=later):
        assert "Ändrad här" in client.get("/testbaddar/flemingsberg/").text
