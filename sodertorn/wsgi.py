"""WSGI entry point (used by production servers)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sodertorn.settings")
# Web requests only: PostgreSQL cancels a query running past the request's time limit
# (sodertorn/deadline.py). Management commands load settings without this and have none.
os.environ.setdefault(
    "DJANGO_DB_STATEMENT_TIMEOUT", os.environ.get("DJANGO_REQUEST_TIMEOUT") or "25"
)

application = get_wsgi_application()

from django.conf import settings  # noqa: E402 (configured by get_wsgi_application)

from .checks import secret_key_missing  # noqa: E402

if secret_key_missing():  # refuse to serve at start-up rather than fail on the first request
    raise ImproperlyConfigured(settings.MISSING_SECRET_KEY)
