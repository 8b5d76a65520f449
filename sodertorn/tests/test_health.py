"""GET /healthz for load balancers: 200 while the database can be written, 503 when it cannot;
a degraded cache or mail queue is reported in the body."""

from unittest import mock

import pytest
from django.db import OperationalError, connection

from sodertorn import health
from sodertorn.models import Heartbeat

pytestmark = [pytest.mark.each_database, pytest.mark.django_db]

HEALTHY = {"status": "ok", "database": "ok", "cache": "ok", "mail": "ok"}


def test_healthy_answers_200_with_a_tiny_json_body(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == HEALTHY
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert "Content-Security-Policy" not in response  # JSON only, no page, no nonce
    assert client.get("/healthz/").status_code == 200
    assert client.head("/healthz").status_code == 200


def test_a_database_that_does_not_answer_gives_503(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("server closed")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "unavailable"
    assert response["Cache-Control"] == "no-store"
    assert client.get("/healthz").status_code == 200  # and healthy again once it answers


def test_a_cache_outage_is_reported_but_does_not_fail_the_check(client):
    with mock.patch.object(health.cache, "get", side_effect=ConnectionError("redis down")):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {**HEALTHY, "status": "degraded", "cache": "degraded"}


def test_a_redis_that_refuses_connections_is_degraded_not_unavailable(client, settings):
    """A real Redis client pointed at a closed port (nothing listens on port 1)."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with mock.patch.object(health, "cache", caches.create_connection("default")):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["cache"] == "degraded"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_a_database_that_answers_select_but_refuses_writes_gives_503(client):
    """A read-only database (a replica after fail-over, a read-only SQLite file, a full disk)
    still answers SELECT 1: the check writes, so the load balancer stops sending posts there."""
    client.get("/healthz")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # reading still works …
    _set_read_only(True)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        response = client.get("/healthz")
    finally:
        _set_read_only(False)
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert response.json()["status"] == "unavailable"
    assert client.get("/healthz").status_code == 200  # writable again: healthy again


def _set_read_only(on: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET default_transaction_read_only = {'on' if on else 'off'}")
        else:
            cursor.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")


def test_each_probe_writes_the_heartbeat_and_recreates_a_missing_row(client):
    Heartbeat.objects.all().delete()
    assert client.get("/healthz").status_code == 200
    first = Heartbeat.objects.get().beat_at
    assert client.get("/healthz").status_code == 200
    assert Heartbeat.objects.get().beat_at > first


def test_probes_do_not_make_cached_pages_stale(client):
    from sodertorn.cache import content_version

    Heartbeat.objects.all().delete()
    before = content_version()
    client.get("/healthz")  # creates the row
    client.get("/healthz")  # updates it
    assert content_version() == before


def test_probes_by_address_over_plain_http_are_answered(client, settings):
    """Load balancers probe each server by its address, over http, behind TLS termination."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["sodertorn.example.se"]
    response = client.get("/healthz", HTTP_HOST="10.0.3.17:8000")
    assert response.status_code == 200
    assert client.get("/testbaddar/", HTTP_HOST="10.0.3.17:8000").status_code == 400


def test_health_is_never_cached_and_has_no_language_prefix(client):
    for _ in range(2):
        response = client.get("/healthz")
        assert "X-Page-Cache" not in response
    assert client.get("/en/healthz").status_code == 404


def test_only_reading_methods_are_answered(client):
    assert client.post("/healthz").status_code == 404


# Mail: reported from the task queue in the database ------------------------------------------


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HEALTH_MAIL_MAX_AGE = 600
    return settings


def _queue_mail(django_capture_on_commit_callbacks):
    from sodertorn.mail import queue_mail

    with django_capture_on_commit_callbacks(execute=True):
        queue_mail("Väntar", "Text", ["a@example.com"])


def test_mail_waiting_briefly_is_ok(client, db_tasks, django_capture_on_commit_callbacks):
    _queue_mail(django_capture_on_commit_callbacks)
    assert client.get("/healthz").json() == HEALTHY


def test_mail_waiting_longer_than_the_limit_is_degraded_not_unavailable(
    client, db_tasks, django_capture_on_commit_callbacks
):
    """No worker runs, or it is stuck: residents' posts are fine, mail is not."""
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    _queue_mail(django_capture_on_commit_callbacks)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=11))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {**HEALTHY, "status": "degraded", "mail": "degraded"}


def test_a_send_that_failed_within_the_hour_is_degraded(
    client, db_tasks, django_capture_on_commit_callbacks
):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    _queue_mail(django_capture_on_commit_callbacks)
    DBTaskResult.objects.update(status="FAILED", finished_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["mail"] == "degraded"


def test_a_database_host_that_never_answers_gives_503_within_the_connect_timeout():
    """A PostgreSQL host that accepts the connection and says nothing (hung, or a black hole
    behind a firewall): the probe answers 503 after DJANGO_DB_CONNECT_TIMEOUT, not after the
    operating system's TCP timeout of minutes."""
    import os
    import subprocess
    import sys
    import time

    from tests import faultkit

    silent = faultkit.HangingSMTP().start()  # any silent TCP server will do
    script = (
        "import time, django; django.setup(); from sodertorn.health import health_response;"
        "t = time.monotonic(); r = health_response();"
        "print(r.status_code, round(time.monotonic() - t, 1))"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "sodertorn.settings",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{silent.port}/nothing",
        "DJANGO_DB_CONNECT_TIMEOUT": "1",
        "DJANGO_LOG_LEVEL": "CRITICAL",
    }
    try:
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=faultkit.ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        silent.stop()
    assert result.returncode == 0, result.stderr
    status, seconds = result.stdout.split()
    assert status == "503"
    assert float(seconds) < 5
    assert silent.accepted >= 1 and time.monotonic() - started < 60
