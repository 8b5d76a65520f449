"""Error pages (400, 403, 404, 500 and the CSRF failure page) in the site's look, in both languages.

This module is also the test URLconf: views that raise each error, under i18n_patterns next to
the site's real URLs, so the language comes from the URL prefix as on the real site.
"""

import re

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.template import loader
from django.test import Client
from django.urls import path
from django.utils import translation

from sodertorn import urls as site_urls


def deny(request):
    raise PermissionDenied("staff only")


def suspicious(request):
    raise SuspiciousOperation("tampered input")


def missing(request):
    raise Http404("no such testbed")


def crash(request):
    raise RuntimeError("unexpected failure")


def form(request):
    return HttpResponse("sent")


# The site's own URLs (the header links to them) plus the error views, also language-prefixed.
urlpatterns = i18n_patterns(
    path("fel/403/", deny),
    path("fel/400/", suspicious),
    path("fel/404/", missing),
    path("fel/500/", crash),
    path("fel/formular/", form),
    prefix_default_language=False,
) + list(site_urls.urlpatterns)

SWEDISH = {
    400: "Felaktig begäran",
    403: "Åtkomst nekad",
    404: "Sidan finns inte",
    500: "Något gick fel",
}
ENGLISH = {
    400: "Bad request",
    403: "Access denied",
    404: "Page not found",
    500: "Something went wrong",
}


@pytest.fixture
def error_client(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    client = Client()
    client.raise_request_exception = False
    return client


def assert_site_page(response, status, language, heading):
    assert response.status_code == status
    html = response.text
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html
    assert 'class="skip-link" href="#main-content"' in html
    assert '<main id="main-content"' in html
    assert f"<h1>{heading}</h1>" in html
    assert re.search(r'<link rel="stylesheet" href="/static/css/site(\.\w+)?\.css">', html)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [400, 403, 404])
@pytest.mark.parametrize(
    ("prefix", "language", "texts"), [("", "sv", SWEDISH), ("/en", "en", ENGLISH)]
)
def test_error_page_in_the_sites_look_and_language(error_client, status, prefix, language, texts):
    response = error_client.get(f"{prefix}/fel/{status}/")
    assert_site_page(response, status, language, texts[status])
    # The full site header: main menu and language switch.
    assert 'class="main-nav"' in response.text
    assert 'class="lang-switch"' in response.text
    other = ENGLISH if language == "sv" else SWEDISH
    assert other[status] not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "language", "heading"),
    [("/finns-inte/", "sv", "Sidan finns inte"), ("/en/does-not-exist/", "en", "Page not found")],
)
def test_unknown_address_gives_404_with_a_search_form(error_client, url, language, heading):
    response = error_client.get(url)
    assert_site_page(response, 404, language, heading)
    assert 'role="search"' in response.text
    assert 'name="q"' in response.text
    prefix = "/en" if language == "en" else ""
    assert f'action="{prefix}/sok/"' in response.text  # the site search, not only the testbeds


@pytest.mark.django_db
def test_unknown_testbed_gives_the_404_page(client, settings):
    settings.DEBUG = False
    response = client.get("/en/testbaddar/no-such-testbed/")
    assert_site_page(response, 404, "en", "Page not found")


@pytest.mark.django_db
def test_disallowed_host_gives_the_400_page(settings):
    settings.DEBUG = False
    client = Client(HTTP_HOST="evil.example")
    response = client.get("/testbaddar/")
    assert_site_page(response, 400, "sv", "Felaktig begäran")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "language", "heading"),
    [("", "sv", "Formuläret kunde inte skickas"), ("/en", "en", "The form could not be sent")],
)
def test_csrf_failure_gives_the_sites_403_page(settings, prefix, language, heading):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{prefix}/fel/formular/", {"name": "x"})
    assert_site_page(response, 403, language, heading)
    assert "CSRF" not in response.text


# No database fixture: the 500 page must render without touching the database.
@pytest.mark.parametrize(("prefix", "language"), [("", "sv"), ("/en", "en")])
def test_server_error_page_is_static_and_bilingual(error_client, prefix, language, caplog):
    response = error_client.get(f"{prefix}/fel/500/")
    texts = SWEDISH if language == "sv" else ENGLISH
    assert_site_page(response, 500, language, texts[500])
    # Both languages are shown, the other one marked with its own lang attribute.
    assert "Något gick fel" in response.text and "Something went wrong" in response.text
    other = "en" if language == "sv" else "sv"
    assert f'<div lang="{other}"' in response.text
    assert "unexpected failure" not in response.text  # no details leak to the visitor
    assert any("unexpected failure" in str(r.exc_info) for r in caplog.records if r.exc_info)


def test_server_error_template_needs_no_context():
    assert finders.find("css/site.css")
    with translation.override("sv"):
        html = loader.get_template("500.html").render()
    assert '<html lang="sv">' in html
    assert re.search(r'href="/static/css/site(\.\w+)?\.css"', html)
    assert "{%" not in html and "{{" not in html
