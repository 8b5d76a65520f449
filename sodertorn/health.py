"""Health check for load balancers and orchestrators: GET /healthz.

Answered by the first middleware, before host validation (probes use the server's own
address as Host), the https redirect (probes speak plain http to the app server), sessions,
CSP and the page cache. 200 when the database answers ``SELECT 1``, 503 when it does not. The
cache is reported too, but a cache outage does not fail the check: pages are still served
(the page cache fails open).
"""

import json
import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse

logger = logging.getLogger(__name__)

HEALTH_PATHS = frozenset({"/healthz", "/healthz/"})


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return False


def cache_ok() -> bool:
    try:
        cache.get("healthz")
    except Exception:
        logger.warning("Health check: the cache does not answer", exc_info=True)
        return False
    return True


def health_response() -> HttpResponse:
    database = database_ok()
    body = {
        "status": "ok" if database else "unavailable",
        "database": "ok" if database else "unavailable",
        "cache": "ok" if cache_ok() else "unavailable",
    }
    response = HttpResponse(
        json.dumps(body), content_type="application/json", status=200 if database else 503
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in HEALTH_PATHS and request.method in ("GET", "HEAD"):
            return health_response()
        return self.get_response(request)
