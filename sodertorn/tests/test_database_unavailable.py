"""A request that fails because the database cannot be reached (a restart, a fail-over)
answers 503 "temporarily unavailable" with Retry-After, not 500; other errors stay 500.

This module is also the test URLconf: the site's URLs plus views that raise."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import path

from sodertorn import urls as site_urls
from sodertorn.urls import handler500  # noqa: F401 (this URLconf uses the site's handler)


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def connection_closed(request):
    raise InterfaceError("connection already closed")


def crash(request):
    raise RuntimeError("unexpected failure")


urlpatterns = [
    path("fel/db/", database_gone),
    path("fel/stangd/", connection_closed),
    path("fel/krasch/", crash),
    *site_urls.urlpatterns,
]


@pytest.fixture
def error_client(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", ["/fel/db/", "/fel/stangd/"])
def test_an_unreachable_database_answers_503_with_retry_after(error_client, url):
    response = error_client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert "503" in html
    assert '<html lang="sv">' in html and '<div lang="en"' in html
    assert "server closed the connection" not in html  # no details leak


def test_other_errors_stay_500(error_client):
    response = error_client.get("/fel/krasch/")
    assert response.status_code == 500
    assert "Retry-After" not in response
