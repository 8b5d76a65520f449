import sys
from functools import cache

from django.contrib.staticfiles import finders
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults
from django.views.decorators.http import require_safe

from .geo.basemap import base_map_json


@cache
def _favicon() -> bytes:
    with open(finders.find("favicon.ico"), "rb") as file:
        return file.read()


@require_safe
def favicon(request):
    """/favicon.ico (static/favicon.ico): browsers ask for it whatever a page links, e.g. for
    the JSON and CSV answers or a bookmark; the pages link the SVG icon beside it. Served
    through the page cache (sodertorn/urls.py), so it is revalidated like every public answer."""
    return HttpResponse(_favicon(), content_type="image/x-icon")


@require_safe
def base_map(request):
    """/kommungranser.geojson: the boundaries every map draws under its tiles
    (sodertorn/geo/basemap.py), built once per content version and kept in the cache. Served
    through the page cache (sodertorn/urls.py): an ETag from the same versions, gzip, 304."""
    return HttpResponse(base_map_json(), content_type="application/geo+json")


def bench_ceiling(request):
    """The benchmark's ceiling: the cheapest answer the same server and middleware can give.

    Routed only when DJANGO_BENCH_CEILING=1 (bench/run.sh sets it)."""
    return HttpResponse(b"ok", content_type="text/plain")


def bench_sleep(request):
    """Benchmark/test hook (DJANGO_BENCH_CEILING=1 only): busy for ?seconds=N in Python, or
    in PostgreSQL with ?db=1 (pg_sleep), to show the request time limit ending it."""
    import time

    from django.db import connection

    try:
        seconds = min(max(float(request.GET.get("seconds", "1")), 0), 120)
    except ValueError:
        return HttpResponse(b"seconds: a number", status=400, content_type="text/plain")
    if request.GET.get("db"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(%s)", [seconds])
    else:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            time.sleep(0.05)
    return HttpResponse(b"done", content_type="text/plain")


# The database is briefly unreachable (restarting, failing over, out of connections): the
# exceptions the database driver raises for a lost or refused connection.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def server_error(request):
    """handler500: 503 "temporarily unavailable" with Retry-After when the request failed
    because the database could not be reached (a restart, a fail-over), so browsers, load
    balancers and crawlers try again instead of treating the page as broken; Django's own 500
    page for everything else. Rendered without the database, like the 500 page."""
    exc = sys.exc_info()[1]
    if not isinstance(exc, DATABASE_UNAVAILABLE):
        return defaults.server_error(request)
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
