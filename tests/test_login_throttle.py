"""Login throttling (django-axes): five wrong passwords lock one account from one address."""

import datetime
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth.views import LoginView
from django.urls import path
from django.utils import timezone

from sodertorn import urls as project_urls
from sodertorn.throttle import client_ip

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.23"

# A member login like the ones later apps add: Django's LoginView under the language prefix.
urlpatterns = [
    *project_urls.urlpatterns,
    *i18n_patterns(
        path("medlem/logga-in/", LoginView.as_view(template_name="admin/login.html")),
        prefix_default_language=False,
    ),
]


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_user(
        "curator", password="rätt-lösenord-123", is_staff=True
    )


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "editor", password="annat-lösenord-456", is_staff=True
    )


def login(client, username, password, address=HOME, url=ADMIN_LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username, times, **kwargs):
    return [login(client, username, "fel", **kwargs).status_code for _ in range(times)]


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, curator):
    assert fail(client, "curator", 4) == [200, 200, 200, 200]  # the form again, with its error
    response = login(client, "curator", "fel")
    assert response.status_code == 429
    text = response.content.decode()
    assert '<html lang="sv">' in text
    assert "För många misslyckade inloggningsförsök" in text
    assert "15 minuter" in text
    assert 'id="main-content"' in text  # the site's own page, not a bare message
    assert response["Retry-After"] == str(15 * 60)
    assert "no-store" in response["Cache-Control"]


def test_the_right_password_is_refused_while_locked(client, curator):
    fail(client, "curator", 5)
    response = login(client, "curator", "rätt-lösenord-123")
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert not logged_in(client)


def test_other_accounts_and_other_addresses_are_not_affected(client, curator, editor):
    fail(client, "curator", 5)
    response = login(client, "editor", "annat-lösenord-456")
    assert response.status_code == 302
    assert logged_in(client)
    client.logout()
    response = login(client, "curator", "rätt-lösenord-123", address=ELSEWHERE)
    assert response.status_code == 302
    assert logged_in(client)


def test_a_successful_login_resets_the_count(client, curator):
    fail(client, "curator", 4)
    assert login(client, "curator", "rätt-lösenord-123").status_code == 302
    client.logout()
    assert fail(client, "curator", 4) == [200, 200, 200, 200]
    assert login(client, "curator", "fel").status_code == 429


def test_the_lock_ends_after_the_cool_off(client, curator):
    fail(client, "curator", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = login(client, "curator", "rätt-lösenord-123")
    assert response.status_code == 302
    assert logged_in(client)


def test_unknown_usernames_are_throttled_too(client):
    assert fail(client, "nobody", 5)[-1] == 429


@pytest.mark.urls("tests.test_login_throttle")
def test_any_login_view_is_covered_and_the_message_is_english_under_en(client, curator):
    url = "/en/medlem/logga-in/"
    assert login(client, "curator", "rätt-lösenord-123", url=url).status_code == 302
    client.logout()
    assert fail(client, "curator", 4, url=url) == [200, 200, 200, 200]
    response = login(client, "curator", "fel", url=url)
    assert response.status_code == 429
    text = response.content.decode()
    assert '<html lang="en">' in text
    assert "Too many failed login attempts" in text
    assert "15 minutes" in text
    # The lock is on the account and address, whichever form is used.
    assert login(client, "curator", "rätt-lösenord-123").status_code == 429


def test_force_login_does_not_go_through_the_throttle(client, curator):
    fail(client, "curator", 5)
    client.force_login(curator)
    assert client.get("/admin/").status_code == 200


def test_curators_see_the_attempts_in_the_admin_and_unlock(client, curator):
    from .factories import CuratorFactory

    fail(client, "curator", 5)
    attempt = AccessAttempt.objects.get(username="curator")
    client.force_login(CuratorFactory())  # group Kurator, not a superuser
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    assert client.get("/admin/axes/accesslog/").status_code == 200
    assert client.get("/admin/axes/accessfailurelog/").status_code == 200
    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    client.logout()
    login(client, "curator", "rätt-lösenord-123")
    assert logged_in(client)


def test_client_address_behind_a_load_balancer(settings):
    request = SimpleNamespace(
        META={"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}
    )
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.2"  # without a proxy the header is not trusted
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # what the load balancer saw, not the spoof
    settings.PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.PROXY_COUNT = 3  # fewer entries than proxies: fall back to the connection
    assert client_ip(request) == "10.0.0.2"
