"""Login throttling (django-axes): five wrong passwords lock one account from one address, ten
from any addresses lock the account; X-Forwarded-For counts only from trusted proxies."""

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


def login(client, username, password, address=HOME, url=ADMIN_LOGIN, **extra):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


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


@pytest.mark.urls("sodertorn.tests.test_login_throttle")
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
    from sodertorn.tests.factories import CuratorFactory

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


def meta_request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return SimpleNamespace(META=meta)


def test_forwarded_for_is_ignored_unless_the_connection_is_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(meta_request("10.0.0.2", "6.6.6.6, 203.0.113.7")) == "10.0.0.2"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # A visitor talking to the app port directly cannot pretend to be someone else.
    assert client_ip(meta_request("198.51.100.9", "6.6.6.6")) == "198.51.100.9"


def test_forwarded_for_is_walked_from_the_right_past_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10", "2001:db8::/32"]
    # load balancer only: the address it saw; the spoofed left-hand entry is not believed
    assert client_ip(meta_request("10.0.0.2", "6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    # CDN (192.0.2.10) in front of the load balancer: skipped as well
    assert client_ip(meta_request("10.0.0.2", "6.6.6.6, 203.0.113.7, 192.0.2.10")) == (
        "203.0.113.7"
    )
    # IPv6 proxies and visitors, IPv4-mapped connection addresses, ports
    assert client_ip(meta_request("2001:db8::1", "2001:db8::5, 2a00:1450::1")) == "2a00:1450::1"
    assert client_ip(meta_request("::ffff:10.0.0.2", "203.0.113.7:5123")) == "203.0.113.7"
    assert client_ip(meta_request("10.0.0.2", "[2a00:1450::1]:443")) == "2a00:1450::1"
    # nothing forwarded, or only proxies, or garbage: the last trusted hop
    assert client_ip(meta_request("10.0.0.2")) == "10.0.0.2"
    assert client_ip(meta_request("10.0.0.2", "10.0.0.7")) == "10.0.0.7"
    assert client_ip(meta_request("10.0.0.2", "x, <script>")) == "10.0.0.2"


def test_invented_forwarded_addresses_from_an_untrusted_peer_count_as_one_address(
    client, curator, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for n in range(5):
        login(client, "curator", "fel", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}")
    response = login(client, "curator", "rätt-lösenord-123", HTTP_X_FORWARDED_FOR="6.6.6.99")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HOME}


def test_a_trusted_proxy_passes_the_visitors_address_on(client, curator, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    fail(client, "curator", 5, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    # another visitor behind the same load balancer is not locked out
    response = login(
        client, "curator", "rätt-lösenord-123", "10.0.0.2", HTTP_X_FORWARDED_FOR=ELSEWHERE
    )
    assert response.status_code == 302


def test_wrong_passwords_from_many_addresses_lock_the_username(client, curator):
    addresses = [f"198.51.100.{n}" for n in range(1, 13)]
    statuses = [login(client, "curator", "fel", address=a).status_code for a in addresses]
    assert statuses[:9] == [200] * 9  # each address alone stays below its limit of five
    assert statuses[-1] == 429
    response = login(client, "curator", "rätt-lösenord-123", address="192.0.2.77")
    assert response.status_code == 429
    assert not logged_in(client)
    assert "from one or more addresses" in response.content.decode() or (
        "från en eller flera adresser" in response.content.decode()
    )
    # other accounts are not affected
    assert AccessAttempt.objects.filter(username="editor").count() == 0


def test_the_username_limit_is_its_own_setting(client, curator, settings):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 3
    for n in range(3):
        login(client, "curator", "fel", address=f"198.51.100.{n}")
    assert login(client, "curator", "rätt-lösenord-123", address=ELSEWHERE).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert login(client, "curator", "rätt-lösenord-123", address=ELSEWHERE).status_code == 302


@pytest.mark.parametrize("url", [ADMIN_LOGIN, "/konto/logga-in/"])
def test_an_overlong_username_is_a_failed_login_not_a_server_error(client, url):
    """django-axes keeps usernames in varchar(255): PostgreSQL refused a longer one (500)."""
    statuses = [login(client, "x" * 600, "fel", url=url).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get().username == "x" * 255
