"""Bare Django for `make bench`: no apps, no middleware, no database, one trivial view.

The reference the portal's own trivial view (/bench/ceiling, behind all its middleware) and its
cached pages are measured against; served by gunicorn with the portal's gunicorn.conf.py.
"""

SECRET_KEY = "bench-bare-django-not-a-secret"  # noqa: S105 (serves "ok" on loopback only)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.bare.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True
USE_I18N = False
