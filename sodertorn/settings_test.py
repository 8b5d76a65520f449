"""Settings for the test suite: production defaults, minus what plain-http test servers need."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")


def redis_url_for_worker(url: str, worker: str) -> str:
    """`make test` runs the suite in parallel processes (pytest-xdist: gw0, gw1, …). Tests clear
    the cache, which on Redis empties the whole database, so each process gets a database of its
    own: the configured number minus the worker's index (…/15 → 15, 14, …)."""
    from urllib.parse import urlsplit, urlunsplit

    if not url or not worker.startswith("gw"):
        return url
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    number = base - int(worker[2:])
    if number < 0:
        raise RuntimeError(f"REDIS_URL {url}: no Redis database left for xdist worker {worker}")
    return urlunsplit(parts._replace(path=f"/{number}"))


if os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = redis_url_for_worker(
        os.environ["REDIS_URL"], os.environ.get("PYTEST_XDIST_WORKER", "")
    )

from .settings import *  # noqa: E402,F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tasks (queued mail) run at once, after the commit; sodertorn/tests/test_mail_queue.py also
# runs them through the database backend and its worker.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405 (live-server threads must not keep connections)
# Static files as they are (no collectstatic before tests); WhiteNoise finds them in place.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The admin's second factor: off for the suite, tests that check it turn it on.
STAFF_OTP = False
# The request time limit: off, so a slow shared test machine cannot turn a slow request into a
# 503; sodertorn/tests/test_request_deadline.py turns it on.
REQUEST_TIMEOUT = 0
