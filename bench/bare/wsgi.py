"""gunicorn bench.bare.wsgi -c gunicorn.conf.py (DJANGO_SETTINGS_MODULE=bench.bare.settings)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"
application = get_wsgi_application()
