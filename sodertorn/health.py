"""Health check for load balancers and orchestrators: GET /healthz.

Answered by the first middleware, before host validation (probes use the server's own
address as Host), the https redirect (probes speak plain http to the app server), sessions,
CSP and the page cache.

* **database** — 200 when the database accepts a *write*: every probe updates the one row of
  ``sodertorn.Heartbeat`` in a transaction and commits. ``SELECT 1`` is not enough: a
  read-only replica after a fail-over, a full disk or a read-only SQLite file still answer
  it, yet no resident's post could be stored. 503 when the write fails.
* **cache** — "ok" or "degraded" (Redis unreachable). Pages are still served and posts still
  stored without it (the page cache fails open; rate limits live in the database), so it
  does not fail the check.
* **mail** — "ok" or "degraded": mail waiting in the task queue for longer than
  ``HEALTH_MAIL_MAX_AGE`` without being sent (the worker is down, or stuck), or a send that
  failed within the last hour (the mail server refused or did not answer in time; see
  ``sodertorn.mail.mail_queue_status``). Mail is sent by ``manage.py db_worker``, never in a
  request, so it does not fail the check either.

``status`` is "ok", "degraded" (the database is fine, something else is not) or
"unavailable" (503).
"""

import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

HEALTH_PATHS = frozenset({"/healthz", "/healthz/"})
HEARTBEAT_PK = 1
CACHE_KEY = "healthz"


def database_ok() -> bool:
    """Can the database be written? One UPDATE (or INSERT of the missing row), committed."""
    from .models import Heartbeat

    now = timezone.now()
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # A probe must answer quickly, whatever holds locks.
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                    cursor.execute("SET LOCAL statement_timeout = '5s'")
            # update(), bulk_create(): no model signals, so no page-cache invalidation.
            if not Heartbeat.objects.filter(pk=HEARTBEAT_PK).update(beat_at=now):
                Heartbeat.objects.bulk_create(
                    [Heartbeat(pk=HEARTBEAT_PK, beat_at=now)], ignore_conflicts=True
                )
    except DatabaseError:
        logger.exception("Health check: the database cannot be written")
        return False
    return True


def cache_ok() -> bool:
    """Does the cache answer a write and a read?"""
    try:
        cache.set(CACHE_KEY, 1, timeout=60)
        cache.get(CACHE_KEY)
    except Exception:
        logger.warning("Health check: the cache does not answer", exc_info=True)
        return False
    return True


def mail_ok() -> bool:
    """Is queued mail being sent? Degraded when a mail has waited in the queue longer than
    HEALTH_MAIL_MAX_AGE (no worker runs, or it is stuck on a silent mail server), or when a
    send failed within the last hour (failed sends are not retried: someone should look)."""
    from .mail import mail_queue_status

    try:
        status = mail_queue_status()
    except DatabaseError:
        logger.exception("Health check: the mail queue cannot be read")
        return False
    if status is None:  # no queue (tasks run at once, in development): nothing can pile up
        return True
    return (
        status["oldest_waiting_seconds"] <= settings.HEALTH_MAIL_MAX_AGE
        and not status["failed_last_hour"]
    )


def health_response() -> HttpResponse:
    database = database_ok()
    cache_state = "ok" if cache_ok() else "degraded"
    mail_state = ("ok" if mail_ok() else "degraded") if database else "degraded"
    if not database:
        status = "unavailable"
    elif cache_state == mail_state == "ok":
        status = "ok"
    else:
        status = "degraded"
    body = {
        "status": status,
        "database": "ok" if database else "unavailable",
        "cache": cache_state,
        "mail": mail_state,
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
