"""Reading the environment into settings values: the helpers sodertorn/settings.py uses, so
that the settings module holds only values. Nothing here touches the disk or the network."""

import os
from ipaddress import ip_network
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """A comma-separated list of IPv4/IPv6 addresses or networks; a wrong one stops start-up."""
    networks = env_list(name)
    for network in networks:
        try:
            ip_network(network, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {network!r} is no address") from exc
    return networks


# SQLite (development, `make run`, the SQLite test run) with several threads or processes
# writing at once: BEGIN IMMEDIATE takes the write lock at the start of a transaction, so a
# second writer waits (up to `timeout` seconds) instead of failing at once with "database is
# locked" when its read lock cannot be upgraded; WAL lets pages be read while a post is
# written. Found by the fault suite (two app servers on one SQLite file answered posts 500).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL",
}


def database_from_url(url: str) -> dict:
    """Turn DATABASE_URL into a DATABASES entry: postgres(ql):// or sqlite:///path."""
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        # A database host that does not answer fails the connection after this many seconds
        # (the health check answers 503, pages 503) instead of hanging for the OS's TCP
        # timeout of about two minutes. ?connect_timeout= in DATABASE_URL wins.
        options = {
            "connect_timeout": int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5")),
            **dict(parse_qsl(parts.query)),
        }
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    if parts.scheme == "sqlite":
        # sqlite:////abs/path.sqlite3 or sqlite:///relative.sqlite3 (as dj-database-url reads them)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parts.path[1:]) or ":memory:",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    raise ImproperlyConfigured(f"DATABASE_URL: unsupported scheme {parts.scheme!r}")


def cache_from_env(redis_url: str) -> dict:
    """CACHES["default"]: Redis when REDIS_URL is set (shared by every process and server),
    otherwise local memory (one per process)."""
    if redis_url:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "sodertorn"),
            # A Redis that does not answer must not hang requests (the page cache fails open).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sodertorn",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }


def storages_from_env(environ, *, debug: bool) -> dict:
    """STORAGES: static files through WhiteNoise (hashed, compressed copies made by
    collectstatic; plain files in development), media on the filesystem or, when
    DJANGO_S3_BUCKET is set, in S3-compatible object storage through django-storages
    (install the `s3` extra, boto3, on such servers)."""
    staticfiles = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
        if debug
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    media = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    # Files only the app may hand out (work-entry attachments, under private/): readable by
    # the app's own user only, whatever FILE_UPLOAD_PERMISSIONS says for public media.
    private = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    }
    bucket = environ.get("DJANGO_S3_BUCKET", "").strip()
    if bucket:
        options = {
            "bucket_name": bucket,
            "default_acl": None,  # the bucket's own policy decides who may read
            "file_overwrite": False,  # a new upload with a taken name gets a new name
        }
        for option, name in [
            ("endpoint_url", "DJANGO_S3_ENDPOINT_URL"),
            ("region_name", "DJANGO_S3_REGION"),
            ("access_key", "DJANGO_S3_ACCESS_KEY_ID"),
            ("secret_key", "DJANGO_S3_SECRET_ACCESS_KEY"),
            ("custom_domain", "DJANGO_S3_CUSTOM_DOMAIN"),
            ("location", "DJANGO_S3_PREFIX"),
        ]:
            if environ.get(name, "").strip():
                options[option] = environ[name].strip()
        # A public domain (CDN or public bucket) gets plain URLs; a private bucket signed ones.
        options["querystring_auth"] = "custom_domain" not in options
        media = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
        private = media  # the bucket's policy and signed URLs decide (no file modes there)
    return {"default": media, "private": private, "staticfiles": {"BACKEND": staticfiles}}


def media_origins(storages: dict) -> list[str]:
    """Origins media are served from when they are not on this site (for the CSP img-src)."""
    options = storages["default"].get("OPTIONS", {})
    bucket = options.get("bucket_name")
    if not bucket:
        return []
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain']}"]
    if options.get("endpoint_url"):
        parts = urlsplit(options["endpoint_url"])
        # path-style (host/bucket/key) or virtual-hosted style (bucket.host/key)
        return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://{bucket}.{parts.netloc}"]
    region = options.get("region_name")
    hosts = [f"{bucket}.s3.amazonaws.com"]
    if region:
        hosts.append(f"{bucket}.s3.{region}.amazonaws.com")
    return [f"https://{host}" for host in hosts]
