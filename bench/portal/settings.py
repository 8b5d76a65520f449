"""The portal's production settings for `make bench`, with one more URL: /bench/cards.

Everything is sodertorn.settings (read from the same environment); only ROOT_URLCONF differs,
so the bench can serve bench/render.py's 24-card reference template through the portal's own
gunicorn and middleware without a line in the portal's code.
"""

from sodertorn.settings import *  # noqa: F403

ROOT_URLCONF = "bench.portal.urls"
