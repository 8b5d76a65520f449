"""Production serving: static files (WhiteNoise, manifest), media storage, security headers."""

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sodertorn.env import cache_from_env, media_origins, storages_from_env

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def production_env(tmp_path, **extra) -> dict:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "sodertorn.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "sodertorn.example.se",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        **extra,
    }


def run_python(script: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


# Settings logic --------------------------------------------------------------------------------


def test_static_files_are_hashed_and_compressed_in_production_only():
    assert storages_from_env({}, debug=False)["staticfiles"]["BACKEND"] == MANIFEST
    assert storages_from_env({}, debug=True)["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )


def test_media_go_to_the_filesystem_by_default():
    storages = storages_from_env({}, debug=False)
    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert media_origins(storages) == []


def test_media_go_to_s3_compatible_storage_when_a_bucket_is_named():
    storages = storages_from_env(
        {
            "DJANGO_S3_BUCKET": "sodertorn-media",
            "DJANGO_S3_ENDPOINT_URL": "https://s3.example-cloud.se",
            "DJANGO_S3_REGION": "se-sto-1",
            "DJANGO_S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "DJANGO_S3_SECRET_ACCESS_KEY": "hemligt",
            "DJANGO_S3_PREFIX": "media",
        },
        debug=False,
    )
    assert storages["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "sodertorn-media",
            "endpoint_url": "https://s3.example-cloud.se",
            "region_name": "se-sto-1",
            "access_key": "AKIAEXAMPLE",
            "secret_key": "hemligt",
            "location": "media",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,  # private bucket: signed, expiring URLs
        },
    }
    assert storages["staticfiles"]["BACKEND"] == MANIFEST  # static files stay with WhiteNoise
    # The Content-Security-Policy lets pages show images from there.
    assert media_origins(storages) == [
        "https://s3.example-cloud.se",
        "https://sodertorn-media.s3.example-cloud.se",
    ]


def test_a_public_media_domain_gets_plain_urls_and_keys_may_come_from_the_platform():
    storages = storages_from_env(
        {"DJANGO_S3_BUCKET": "media", "DJANGO_S3_CUSTOM_DOMAIN": "media.sodertorn.example.se"},
        debug=False,
    )
    options = storages["default"]["OPTIONS"]
    assert options["querystring_auth"] is False
    assert "access_key" not in options and "endpoint_url" not in options
    assert media_origins(storages) == ["https://media.sodertorn.example.se"]
    aws = storages_from_env(
        {"DJANGO_S3_BUCKET": "media", "DJANGO_S3_REGION": "eu-north-1"}, debug=False
    )
    assert media_origins(aws) == [
        "https://media.s3.amazonaws.com",
        "https://media.s3.eu-north-1.amazonaws.com",
    ]


def test_cache_is_local_memory_or_redis():
    assert cache_from_env("")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    redis = cache_from_env("redis://cache.internal:6379/0")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://cache.internal:6379/0"
    assert redis["OPTIONS"]["socket_timeout"] <= 1


def test_production_settings_as_loaded(tmp_path):
    result = run_python(
        """
        import json, django
        django.setup()
        from django.conf import settings as s
        print(json.dumps({
            "DEBUG": s.DEBUG,
            "MIDDLEWARE": s.MIDDLEWARE,
            "STORAGES": s.STORAGES,
            "CACHES": s.CACHES,
            "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
            "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
            "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
            "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
            "AUTHENTICATION_BACKENDS": s.AUTHENTICATION_BACKENDS,
            "PAGE_CACHE_SECONDS": s.PAGE_CACHE_SECONDS,
            "STAFF_OTP": s.STAFF_OTP,
            "STAFF_IDLE_MINUTES": s.STAFF_IDLE_MINUTES,
            "REQUEST_TIMEOUT": s.REQUEST_TIMEOUT,
            "TRUSTED_PROXIES": s.TRUSTED_PROXIES,
            "PROXY_SSL": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
            "MAX_REQUEST_BYTES": s.MAX_REQUEST_BYTES,
            "PERMISSIONS_POLICY": s.PERMISSIONS_POLICY,
            "LOGIN_USERNAME_FAILURE_LIMIT": s.LOGIN_USERNAME_FAILURE_LIMIT,
            "PRIVATE_STORAGE": s.STORAGES["private"],
        }))
        """,
        production_env(tmp_path, REDIS_URL="redis://cache.internal:6379/0"),
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["DEBUG"] is False
    middleware = loaded["MIDDLEWARE"]
    assert middleware[:6] == [
        "sodertorn.health.HealthCheckMiddleware",
        "sodertorn.security.PermissionsPolicyMiddleware",
        # before anything reads the body or the forwarding headers
        "sodertorn.security.RequestSizeLimitMiddleware",
        "sodertorn.security.TrustedProxyHeadersMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    otp = middleware.index("django_otp.middleware.OTPMiddleware")
    assert middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") < otp
    assert otp < middleware.index("sodertorn.security.StaffIdleTimeoutMiddleware")
    assert middleware[-1] == "axes.middleware.AxesMiddleware"
    assert loaded["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert loaded["STORAGES"]["staticfiles"]["BACKEND"] == MANIFEST
    assert loaded["CACHES"]["default"]["BACKEND"].endswith("RedisCache")
    assert loaded["PAGE_CACHE_SECONDS"] == 600
    # The values the header test below sets are the production defaults.
    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["SECURE_HSTS_SECONDS"] == 31536000
    # issue 12: second factor and idle timeout for staff, no proxy trusted unless named
    assert loaded["STAFF_OTP"] is True
    assert loaded["STAFF_IDLE_MINUTES"] == 30
    assert loaded["REQUEST_TIMEOUT"] == 25  # below gunicorn's 30 s worker timeout
    assert loaded["TRUSTED_PROXIES"] == []
    assert loaded["PROXY_SSL"] is None  # X-Forwarded-Proto is believed from no one
    assert loaded["MAX_REQUEST_BYTES"] == 12 * 1024 * 1024
    assert "camera=()" in loaded["PERMISSIONS_POLICY"]
    assert loaded["LOGIN_USERNAME_FAILURE_LIMIT"] == 10
    assert loaded["PRIVATE_STORAGE"]["OPTIONS"]["file_permissions_mode"] == 0o600


# Response headers with production values ------------------------------------------------------


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.ALLOWED_HOSTS = ["sodertorn.example.se"]
    return settings


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, production):
    response = client.get("/testbaddar/", HTTP_HOST="sodertorn.example.se")
    assert response.status_code == 301
    assert response["Location"] == "https://sodertorn.example.se/testbaddar/"


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client, production):
    response = client.get("/testbaddar/", secure=True, HTTP_HOST="sodertorn.example.se")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self';" in response["Content-Security-Policy"]
    cached = client.get("/testbaddar/", secure=True, HTTP_HOST="sodertorn.example.se")
    assert cached["X-Page-Cache"] == "hit"
    for header in ("Strict-Transport-Security", "Cross-Origin-Opener-Policy", "Referrer-Policy"):
        assert cached[header] == response[header]


@pytest.mark.django_db
def test_cookies_are_secure_and_http_only(client, production, django_user_model):
    django_user_model.objects.create_user("curator", password="rätt-lösenord-123", is_staff=True)
    form = client.get("/admin/login/", secure=True, HTTP_HOST="sodertorn.example.se")
    csrf = form.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    assert csrf["samesite"] == "Lax"
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "curator", "password": "rätt-lösenord-123"},
        secure=True,
        HTTP_HOST="sodertorn.example.se",
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


# collectstatic with production settings ---------------------------------------------------------


def test_collectstatic_with_production_settings_and_whitenoise_serves_hashed_files(tmp_path):
    """The manifest storage rewrites every CSS url() (django-leaflet's images included) and
    fails on a missing file; WhiteNoise then serves the hashed names with a long cache life."""
    result = run_python(
        """
        import django
        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client
        from django.templatetags.static import static

        call_command("collectstatic", "--noinput", verbosity=0)
        for name in ("css/site.css", "js/maps.js", "leaflet/leaflet.css", "leaflet/leaflet.js",
                     "leaflet/draw/leaflet.draw.css"):
            url = static(name)
            assert url != settings.STATIC_URL + name, f"{name} is not hashed: {url}"
            response = Client().get(url, secure=True, HTTP_HOST="sodertorn.example.se")
            assert response.status_code == 200, (url, response.status_code)
            assert "immutable" in response["Cache-Control"], response["Cache-Control"]
            assert "max-age=315360000" in response["Cache-Control"], response["Cache-Control"]
            gzipped = Client().get(url, secure=True, HTTP_HOST="sodertorn.example.se",
                                   HTTP_ACCEPT_ENCODING="gzip")
            assert gzipped["Content-Encoding"] == "gzip", name
            print(name, url)
        leaflet_css = b"".join(Client().get(static("leaflet/leaflet.css"), secure=True,
                               HTTP_HOST="sodertorn.example.se").streaming_content).decode()
        assert "images/layers." in leaflet_css and "images/layers.png" not in leaflet_css
        """,
        production_env(tmp_path, DJANGO_STATIC_ROOT=str(tmp_path / "static")),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    assert "leaflet/leaflet.css" in manifest["paths"]
    assert "css/site.css" in manifest["paths"]


# Issue 12: proxies, second factor ---------------------------------------------------------


def loaded_settings(tmp_path, names, **env):
    result = run_python(
        f"""
        import json, django
        django.setup()
        from django.conf import settings as s
        print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))
        """,
        production_env(tmp_path, **env),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_named_proxies_are_the_only_ones_believed(tmp_path):
    loaded = loaded_settings(
        tmp_path,
        ["TRUSTED_PROXIES", "SECURE_PROXY_SSL_HEADER"],
        DJANGO_TRUSTED_PROXIES="10.0.0.0/8, 2001:db8::/32",
    )
    assert loaded["TRUSTED_PROXIES"] == ["10.0.0.0/8", "2001:db8::/32"]
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_the_old_behind_proxy_switch_alone_fails_the_checks(tmp_path):
    env = production_env(tmp_path, DJANGO_BEHIND_PROXY="1")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "sodertorn.E002" in result.stderr and "DJANGO_TRUSTED_PROXIES" in result.stderr


def test_the_second_factor_is_on_in_production_and_off_for_development(tmp_path):
    assert loaded_settings(tmp_path, ["STAFF_OTP"])["STAFF_OTP"] is True
    assert loaded_settings(tmp_path, ["STAFF_OTP"], DJANGO_DEBUG="1")["STAFF_OTP"] is False
    off = loaded_settings(tmp_path, ["STAFF_OTP"], DJANGO_STAFF_OTP="0")
    assert off["STAFF_OTP"] is False


def test_check_deploy_warns_when_the_second_factor_is_off(tmp_path):
    env = production_env(tmp_path, DJANGO_STAFF_OTP="0")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "sodertorn.W003" in result.stderr + result.stdout


def test_gunicorn_trusts_the_same_proxies_as_django(monkeypatch):
    import runpy

    monkeypatch.delenv("GUNICORN_FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.delenv("DJANGO_TRUSTED_PROXIES", raising=False)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["forwarded_allow_ips"] == "127.0.0.1,::1"
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::/32")
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["forwarded_allow_ips"] == "10.0.0.0/8,2001:db8::/32"
    monkeypatch.setenv("GUNICORN_FORWARDED_ALLOW_IPS", "10.1.2.3")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["forwarded_allow_ips"] == "10.1.2.3"
