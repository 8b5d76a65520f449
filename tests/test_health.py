"""GET /healthz for load balancers: 200 while the database answers, 503 when it does not."""

from unittest import mock

import pytest
from django.db import OperationalError, connection

from sodertorn import health

pytestmark = pytest.mark.django_db


def test_healthy_answers_200_with_a_tiny_json_body(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
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
    assert response.json() == {"status": "ok", "database": "ok", "cache": "unavailable"}


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
