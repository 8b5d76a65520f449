"""Settings for the Södertörn portal, read from the environment and safe by default.

Production:  DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL (postgres://…),
             DJANGO_DEBUG unset or 0.
Development: `make run` sets DJANGO_DEBUG=1 and uses SQLite under var/.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from sodertorn.env import (
    SQLITE_OPTIONS,
    cache_from_env,
    database_from_url,
    env_bool,
    env_list,
    env_networks,
    media_origins,
    storages_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Without DJANGO_SECRET_KEY (and DEBUG off) the key stays empty: commands that need no key
# (makemigrations, collectstatic) still run, Django refuses any use of the empty key, the WSGI
# entry point refuses to start (sodertorn/wsgi.py) and `check --deploy` reports an error
# (sodertorn/checks.py).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
MISSING_SECRET_KEY = "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for development)."

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Content in Swedish and English (issue 16): before the admin, as modeltranslation asks;
    # its app config also builds the history models once the translated fields exist.
    "sodertorn.apps.ModeltranslationConfig",
    # SimpleAdminConfig: no autodiscovery, so django-leaflet's GDAL-bound admin module is
    # never imported. sodertorn.apps.SodertornConfig imports our own admin modules instead.
    # sodertorn.apps.AdminConfig is SimpleAdminConfig with our admin site (second factor).
    "sodertorn.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # search: SearchVectorField, full-text and trigram (PostgreSQL)
    "axes",  # login throttling (sodertorn/throttle.py)
    "django_otp",  # staff's second factor in the admin (sodertorn/admin_site.py)
    "django_otp.plugins.otp_totp",
    "django_tasks_db",  # the task queue in the database: mail sent by db_worker (sodertorn/mail.py)
    "django_filters",
    "leaflet",
    "testbeds",
    "collaboration",
    "ideagroups",
    "results",
    "indicators",
    "opendata",
    "dialogue",
    "competences",
    "follow",  # following by e-mail without an account, and the feeds (issue 18)
    "about",  # the accessibility statement, personal data, accessibility feedback
    "search",  # after the content apps: its demo hook rebuilds the index once they have loaded
    # Every change recoverable (issue 12): model history with restore, and the audit log.
    "simple_history",
    "audit",
    "sodertorn.apps.SodertornConfig",
]

MIDDLEWARE = [
    # First: load-balancer probes answer before host validation and the https redirect.
    "sodertorn.health.HealthCheckMiddleware",
    # Then: Permissions-Policy on every answer; oversized bodies answer 413 unread;
    # forwarding headers only from trusted proxies (sodertorn/security.py).
    "sodertorn.security.PermissionsPolicyMiddleware",
    "sodertorn.security.RequestSizeLimitMiddleware",
    "sodertorn.security.TrustedProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An answer that does not say how it may be cached is private (sodertorn/cache.py).
    "sodertorn.cache.PrivateByDefaultMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Work past DJANGO_REQUEST_TIMEOUT is ended with a 503 (sodertorn/deadline.py).
    "sodertorn.deadline.RequestDeadlineMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified() (second factor)
    "django.contrib.messages.middleware.MessageMiddleware",
    "sodertorn.security.StaffIdleTimeoutMiddleware",
    # After authentication: history records name the user who made the change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes checks every authenticate() call (the admin login, any LoginView) first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "sodertorn.urls"
WSGI_APPLICATION = "sodertorn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sodertorn.context_processors.site",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    # var/ is created when the database is first connected to (sodertorn/db.py), not here:
    # importing the settings has no side effects.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "var" / "db.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Log-in (sodertorn/accounts/urls.py, under the language prefix); no open sign-up. After it,
# members land on their idea-group pages.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "ideagroups:my_pages"
LOGOUT_REDIRECT_URL = "testbeds:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Swedish first, English available under /en/.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Translated content fields (django-modeltranslation, <app>/translation.py): title_sv and
# title_en beside title; Swedish is the content language and every English field falls back
# to it (sodertorn/content_language.py says which language was shown).
MODELTRANSLATION_DEFAULT_LANGUAGE = "sv"
MODELTRANSLATION_LANGUAGES = ("sv", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("sv",)
# Slugs are one per object, made from the Swedish title whatever the admin's language.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "sv"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = storages_from_env(os.environ, debug=DEBUG)
# WhiteNoise serves collectstatic's output (hashed names cached for a year); in development
# it finds files where they are.
WHITENOISE_USE_FINDERS = DEBUG

# Cache: local memory, or Redis when REDIS_URL is set (redis://host:6379/0). Anonymous pages
# are cached whole for PAGE_CACHE_SECONDS and made stale by a change to content they show
# (sodertorn/cache.py). With local memory each process has its own cache, so an edit reaches
# the other worker processes when their copy expires: a short default there.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {"default": cache_from_env(REDIS_URL)}
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600" if REDIS_URL else "60"))
# With Redis, each process re-reads the content version at most this often (0: every request).
# An edit on another server shows within this plus one render: half a second leaves the other
# half of the promised second (docs/deploy.md) for the render under load.
PAGE_CACHE_LOCAL_SECONDS = float(
    os.environ.get("DJANGO_PAGE_CACHE_LOCAL_SECONDS", "0.5" if REDIS_URL else "0")
)
# A stale page (content changed, or older than PAGE_CACHE_SECONDS) is kept this much longer and
# served while one request renders it afresh; that request holds the page's render lock for at
# most PAGE_CACHE_LOCK_SECONDS. With no copy at all, other requests wait for that one render for
# at most PAGE_CACHE_WAIT_SECONDS, then render themselves.
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_STALE_SECONDS", "600"))
PAGE_CACHE_LOCK_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_LOCK_SECONDS", "10"))
PAGE_CACHE_WAIT_SECONDS = float(os.environ.get("DJANGO_PAGE_CACHE_WAIT_SECONDS", "3"))
# HTTP caching of anonymous pages, for a cache in front (nginx) and browsers:
# "Cache-Control: public, max-age=0, s-maxage=HTTP_S_MAXAGE,
# stale-while-revalidate=HTTP_STALE_SECONDS"
# (browsers revalidate every time, with ETag / Last-Modified, and get 304 when nothing changed).
HTTP_S_MAXAGE = int(os.environ.get("DJANGO_HTTP_S_MAXAGE", "10"))
HTTP_STALE_SECONDS = int(os.environ.get("DJANGO_HTTP_STALE_SECONDS", "30"))

# Login throttling (django-axes, every authenticate() call): five wrong passwords for one
# account from one address lock that combination for a cool-off; a successful login resets
# the count. Attempts live in the database, so every app server sees the same lockouts.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
# Besides that, failures for one username from any number of addresses lock the username
# (a spread-out guessing attack) at a higher limit. django-axes compares every parameter group
# with the one AXES_FAILURE_LIMIT, so sodertorn.throttle.LoginAttemptHandler applies the
# per-username limit to the "username" group.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
LOGIN_USERNAME_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_USERNAME_FAILURE_LIMIT", "10"))
AXES_HANDLER = "sodertorn.throttle.LoginAttemptHandler"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "sodertorn.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "sodertorn.throttle.client_ip"
AXES_USERNAME_CALLABLE = "sodertorn.throttle.login_username"

# Password reset (sodertorn/accounts/password_reset.py): at most this many requests per client
# address and per e-mail address in the window, counted in the database; past it the form
# answers 429.
PASSWORD_RESET_ADDRESS_LIMIT = int(os.environ.get("DJANGO_PASSWORD_RESET_ADDRESS_LIMIT", "10"))
PASSWORD_RESET_EMAIL_LIMIT = int(os.environ.get("DJANGO_PASSWORD_RESET_EMAIL_LIMIT", "3"))
PASSWORD_RESET_WINDOW_MINUTES = int(os.environ.get("DJANGO_PASSWORD_RESET_WINDOW_MINUTES", "60"))

# Proxies (load balancer, CDN): the addresses or networks, IPv4 or IPv6, whose X-Forwarded-For
# and X-Forwarded-Proto are believed (DJANGO_TRUSTED_PROXIES=10.0.0.0/8,2001:db8::/32). None
# by default: then the visitor is the connection's own address and https is what the server
# itself saw. sodertorn.throttle.client_ip walks X-Forwarded-For from the right past these.
TRUSTED_PROXIES = env_networks("DJANGO_TRUSTED_PROXIES")
# Requests from anyone else lose these headers first (sodertorn.security).
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The former switch; it trusted every peer. Still set, it stops start-up (sodertorn/checks.py).
LEGACY_BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")

# History of content changes (django-simple-history, sodertorn/history.py). File fields keep
# only the file name (files are not copied); a revert is a new history record.
SIMPLE_HISTORY_FILEFIELD_TO_CHARFIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = False
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# Benchmark only (bench/run.sh): a trivial view at /bench/ceiling behind the same middleware.
BENCH_CEILING = env_bool("DJANGO_BENCH_CEILING")

# Requests are ended after this many seconds (sodertorn/deadline.py; 0: no limit), below
# gunicorn's worker timeout (30 s). Web processes also give PostgreSQL a statement_timeout of
# DJANGO_DB_STATEMENT_TIMEOUT seconds (sodertorn/wsgi.py sets it to the same limit), which
# ends a query the limit cannot interrupt. Commands (imports, migrations) have no limit.
REQUEST_TIMEOUT = float(os.environ.get("DJANGO_REQUEST_TIMEOUT", "25"))
DB_STATEMENT_TIMEOUT = float(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT") or 0)
if DB_STATEMENT_TIMEOUT > 0 and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (
        f"{_options.get('options', '')} -c statement_timeout={int(DB_STATEMENT_TIMEOUT * 1000)}"
    ).strip()

# Request bodies above this answer 413 before they are read (sodertorn.security). Above
# every public form's own limit (a 10 MB document or image, sodertorn/uploads.py). The admin
# (/admin/) gets more: several attachments in one result, indicator imports of up to 50 MB
# (indicators/forms.py), whose own message then explains the limit.
MAX_REQUEST_BYTES = int(os.environ.get("DJANGO_MAX_REQUEST_BYTES", str(12 * 1024 * 1024)))
MAX_ADMIN_REQUEST_BYTES = int(
    os.environ.get("DJANGO_MAX_ADMIN_REQUEST_BYTES", str(60 * 1024 * 1024))
)

# Uploads: keep request bodies bounded; files above this go to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

# Map tiles: an explicit https address (a protocol-relative one becomes http:// and CSP
# blocks it). The tile host is named in the CSP below.
TILE_HOST = os.environ.get("DJANGO_TILE_HOST", "tile.openstreetmap.org")
TILE_URL = f"https://{TILE_HOST}/{{z}}/{{x}}/{{y}}.png"
TILE_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
LEAFLET_CONFIG = {
    "TILES": [("OpenStreetMap", TILE_URL, {"attribution": TILE_ATTRIBUTION, "maxZoom": 19})],
    "DEFAULT_CENTER": (59.2, 17.9),
    "DEFAULT_ZOOM": 9,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 18,
    "RESET_VIEW": False,
    "ATTRIBUTION_PREFIX": '<a href="https://leafletjs.com">Leaflet</a>',
}

# Content-Security-Policy, enforced, with no nonce: no page has an inline script, <style> or
# style="" attribute (maps and charts start from data attributes read by static scripts,
# tests/test_inline_code.py), so every anonymous page is the same bytes for every visitor and
# can be cached whole, here and in front (sodertorn/cache.py). Leaflet positions its tiles and
# markers through element.style (the CSSOM), which style-src does not govern.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", f"https://{TILE_HOST}", *media_origins(STORAGES)],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    # exactly the two film hosts, loaded only after the visitor presses play (results app)
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Security headers. Production values are the defaults; development (DEBUG) relaxes
# only what plain-http runserver needs.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Browser features the portal never uses, off for it and for anything it embeds (the film
# players ask for none of them). DJANGO_PERMISSIONS_POLICY="" sends no header.
PERMISSIONS_POLICY = os.environ.get(
    "DJANGO_PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()",
)

# Staff use a second factor (TOTP, django-otp) in the admin: on in production, off in
# development (DJANGO_DEBUG=1) so the demo logins of `make run` work. sodertorn/admin_site.py.
STAFF_OTP = env_bool("DJANGO_STAFF_OTP", default=not DEBUG)
OTP_TOTP_ISSUER = "Södertörnsmodellen"

# Staff sessions end after this many minutes without a request (members keep the normal
# session age); 0 turns the idle timeout off (sodertorn.security).
STAFF_IDLE_MINUTES = int(os.environ.get("DJANGO_STAFF_IDLE_MINUTES", "30"))

# E-mail: the console in development, SMTP (settings from the environment) otherwise.
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND_NAME = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else SMTP_BACKEND,
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_NAME}}
if EMAIL_BACKEND_NAME == SMTP_BACKEND:
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
        "username": os.environ.get("DJANGO_EMAIL_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=True),
        # seconds before a silent mail server is given up on (the task worker sends mail)
        "timeout": float(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10")),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "noreply@sodertornsmodellen.se")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The contact point of the open data (the /data/ page, the DCAT catalogue, the OpenAPI info).
OPENDATA_CONTACT_EMAIL = os.environ.get(
    "DJANGO_OPENDATA_CONTACT_EMAIL", "info@sodertornsmodellen.se"
)
# The site's address for links in e-mails (e.g. "https://sodertornsmodellen.se").
SITE_URL = os.environ.get("DJANGO_SITE_URL", "")

# Health check (/healthz, sodertorn/health.py): mail is reported "degraded" when a queued
# mail task has waited this many seconds without being sent (worker down, mail server hung).
HEALTH_MAIL_MAX_AGE = int(os.environ.get("DJANGO_HEALTH_MAIL_MAX_AGE", "900"))

# Citizen dialogue (dialogue/): spam defences of the public contribution form.
DIALOGUE_MIN_SECONDS = float(os.environ.get("DJANGO_DIALOGUE_MIN_SECONDS", "3"))
DIALOGUE_RATE_LIMIT = int(os.environ.get("DJANGO_DIALOGUE_RATE_LIMIT", "5"))  # posts per window
DIALOGUE_RATE_WINDOW = int(os.environ.get("DJANGO_DIALOGUE_RATE_WINDOW", "600"))  # seconds
# Support for one proposal from one client address within 24 hours (once per browser anyway).
DIALOGUE_SUPPORT_PER_ADDRESS_DAY = int(
    os.environ.get("DJANGO_DIALOGUE_SUPPORT_PER_ADDRESS_DAY", "3")
)
# Names and areas of residence given with contributions are blanked this many days after the
# round closes, the text kept (manage.py erase_personal_data, daily from cron; about/).
DIALOGUE_PERSONAL_DATA_DAYS = int(os.environ.get("DJANGO_DIALOGUE_PERSONAL_DATA_DAYS", "90"))
# The name and e-mail address sent with accessibility feedback are blanked this many days
# after it was sent, the message kept (the same command).
FEEDBACK_PERSONAL_DATA_DAYS = int(os.environ.get("DJANGO_FEEDBACK_PERSONAL_DATA_DAYS", "365"))

# Background tasks (django.tasks): mail leaves the request path (sodertorn/mail.py). Tasks are
# stored in the database (django-tasks-db) and run by `manage.py db_worker`; in development
# (DEBUG) they run at once in the request unless DJANGO_TASKS_BACKEND says otherwise.
TASKS_DB_BACKEND = "django_tasks_db.DatabaseBackend"
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_TASKS_BACKEND",
            "django.tasks.backends.immediate.ImmediateBackend" if DEBUG else TASKS_DB_BACKEND,
        ),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
