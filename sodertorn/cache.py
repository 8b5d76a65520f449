"""Whole-page caching for anonymous visitors, invalidated when content changes.

Design (see docs/deploy.md, "Caching"):

* **Whole responses, nonce re-stamped.** Public pages are rendered once per content version,
  language and full URL, and stored whole. Pages with a map carry the per-response CSP nonce
  of the inline start-up script that ``{% leaflet_map %}`` writes, so a stored page cannot be
  sent as it is: the nonce would no longer match the fresh ``Content-Security-Policy``
  header. The entry therefore keeps the nonce it was rendered with, and a cache hit replaces
  that value with this response's own fresh nonce (which the CSP middleware then puts in the
  header). The old nonce was random and generated during rendering, after every piece of
  stored content was written, so no content can contain it: replacing it is the same as
  rendering the page again with the new nonce. Fragment caching would still render base.html,
  the language links and the map tags on every request, several times the cost of a hit.
* **Content version.** A version number kept in the cache itself; every entry records the
  version it was rendered under, and the lookup fetches both in one round trip. Saving,
  deleting or changing the many-to-many relations of a registered model bumps the version,
  so the next request renders afresh and overwrites the stale entry; entries also expire
  after ``PAGE_CACHE_SECONDS``.
  Registered are all models of the project's own apps (those with a ``hooks`` module,
  ``sodertorn.hooks.project_apps()`` — done at start-up by ``SodertornConfig.ready()``, so a
  new app is covered without a line), and any
  other model with one line in its app's ``AppConfig.ready()``::

      from sodertorn.cache import register_for_invalidation
      register_for_invalidation(SomePackageModel)

  Writes that bypass model signals (``QuerySet.update()``, ``bulk_create()``) call
  ``content_changed()`` themselves (``sodertorn.publishing.set_published`` does).
* **Anonymous only.** A request with a session cookie or a messages cookie, or from a
  logged-in user, is neither served from nor stored in the cache: staff see unpublished
  items, and messages must show. Only 200 answers to GET without cookies being set are stored.
* **Local copies.** With Redis, each process also keeps recently served entries and, for
  ``PAGE_CACHE_LOCAL_SECONDS`` (1 s), the version it last read, so most hits make no round
  trip at all. An edit shows at once in the process that made it and within that second on
  every other process and server.
* **Compressed once.** Answers without a nonce (GeoJSON, pages without a map) are stored
  gzipped and sent so to clients that accept gzip; they hold nothing secret (BREACH).
* **Fail open.** If the cache backend (Redis) does not answer (within its one-second
  timeout), pages are rendered as if nothing were cached, the failure is logged, and the
  process leaves the cache alone for five seconds before trying again.

The backend is ``CACHES["default"]``: local memory by default (per process: with several
worker processes an edit shows in the other processes only when their entries expire, after
``PAGE_CACHE_SECONDS``), Redis when ``REDIS_URL`` is set (shared by every process and server).
"""

import functools
import gzip
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
PAGE_KEY_PREFIX = "page"
CACHE_HEADER = "X-Page-Cache"
GZIP_MIN_BYTES = 1024
LOCAL_MAX_BYTES = 32 * 1024 * 1024
_registered: set[str] = set()


class _LocalCopies:
    """Per-process copies of recently served entries, and of the content version for
    PAGE_CACHE_LOCAL_SECONDS: with Redis most hits then need no round trip at all. A change
    made in this process is seen at once; one made on another server within that time."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self.lock:
            self.entries: OrderedDict[tuple[str, int], dict] = OrderedDict()
            self.size = 0
            self.version: int | None = None
            self.version_read_at = 0.0

    def known_version(self, now: float, ttl: float) -> int | None:
        if self.version is not None and now - self.version_read_at < ttl:
            return self.version
        return None

    def remember_version(self, version: int, now: float) -> None:
        self.version, self.version_read_at = version, now

    def forget_version(self) -> None:
        self.version = None

    def get(self, key: str, version: int) -> dict | None:
        with self.lock:
            entry = self.entries.get((key, version))
            if entry is not None:
                self.entries.move_to_end((key, version))
            return entry

    def put(self, key: str, version: int, entry: dict) -> None:
        size = len(entry["content"] or b"") + len(entry["gzip"] or b"")
        if size > self.max_bytes // 4:
            return
        with self.lock:
            old = self.entries.pop((key, version), None)
            if old is not None:
                self.size -= len(old["content"] or b"") + len(old["gzip"] or b"")
            self.entries[(key, version)] = entry
            self.size += size
            while self.size > self.max_bytes:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped["content"] or b"") + len(dropped["gzip"] or b"")


_local = _LocalCopies(LOCAL_MAX_BYTES)


class _Breaker:
    """After a cache failure, leave the cache alone for a few seconds in this process: while
    Redis is down, each request would otherwise wait for its timeout first."""

    pause = 5.0

    def __init__(self):
        self.open_until = 0.0
        # A content-version bump that failed or was skipped while paused: made up for before
        # this process next serves from the cache (else it could serve pages made stale).
        self.missed_bump = False

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, message: str) -> None:
        logger.exception("%s (page cache paused for %g s)", message, self.pause)
        self.open_until = time.monotonic() + self.pause

    def reset(self) -> None:
        self.open_until = 0.0
        self.missed_bump = False


_breaker = _Breaker()


def forget_local_copies() -> None:
    """Drop this process's copies and any pause after a failure (tests call it with
    cache.clear())."""
    _local.clear()
    _breaker.reset()


# Content version ------------------------------------------------------------------------------


def content_version() -> int:
    """The current content version (created on first use; never expires)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # A clock value, not 1: if the key is ever lost (eviction, a Redis restart), old
        # entries written under a small number are not read again by mistake.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version() -> None:
    """Make every cached page stale (the next request renders it afresh).

    While the cache is paused after a failure, the bump is not tried (a Redis that hangs
    would make every write wait for its timeout: a resident's post changes two models, four
    bumps); it is made up for before this process serves from the cache again."""
    _local.forget_version()
    if _breaker.is_open():
        _breaker.missed_bump = True
        return
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # the key is missing: start a new one
            cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:
        _breaker.trip("Could not bump the page-cache content version")
        _breaker.missed_bump = True
    else:
        _breaker.missed_bump = False


def content_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Public content changed: cached pages are stale. Model signals call this for registered
    models; call it yourself after writes that send none (``update()``, ``bulk_create()``)."""
    bump_content_version()
    # Bump again after the commit: a request that rendered the old rows while the transaction
    # was open may have stored them under the version bumped above.
    if connections[using].in_atomic_block:
        transaction.on_commit(bump_content_version, using=using)


def _on_model_signal(sender, using=DEFAULT_DB_ALIAS, action=None, **kwargs):
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: act once, after the change
    content_changed(using)


def register_for_invalidation(*models) -> None:
    """Bump the content version whenever one of these models (or its many-to-many
    relations) is saved, deleted or changed. Safe to call more than once."""
    for model in models:
        label = model._meta.label_lower
        if label in _registered:
            continue
        _registered.add(label)
        post_save.connect(_on_model_signal, sender=model, dispatch_uid=f"page-cache:save:{label}")
        post_delete.connect(
            _on_model_signal, sender=model, dispatch_uid=f"page-cache:delete:{label}"
        )
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _on_model_signal,
                sender=through,
                dispatch_uid=f"page-cache:m2m:{through._meta.label_lower}",
            )


# Project apps whose models never show on public pages (a login must not refresh them).
NOT_PUBLIC_APPS = {"audit"}


def register_project_models() -> None:
    """Register every model of the project's own apps (testbeds and the apps beside it), so
    that a new app's content on public pages (a section on the testbed page, say) is
    refreshed without anyone having to remember. Installed packages are left out: one whose
    content shows on public pages is registered with ``register_for_invalidation``."""
    from simple_history.models import HistoricalChanges

    from . import hooks

    for app_config in hooks.project_apps():
        if app_config.label in NOT_PUBLIC_APPS:
            continue
        # Bookkeeping tables no page shows (rate limits) opt out: page_cache_exempt = True.
        # History records (sodertorn/history.py) are written beside a change that already
        # bumps the version; they are never shown on public pages.
        register_for_invalidation(
            *(
                m
                for m in app_config.get_models()
                if not getattr(m, "page_cache_exempt", False)
                and not issubclass(m, HistoricalChanges)
            )
        )


def registered_models() -> set[str]:
    return set(_registered)


# Page cache -----------------------------------------------------------------------------------


def _cache_may_serve(request) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _page_key(request, extra: str) -> str:
    url = f"{request.get_host()}{request.get_full_path()}#{extra}"
    digest = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    return f"{PAGE_KEY_PREFIX}:{get_language()}:{digest}"


def _lookup(key: str) -> tuple[int, dict | None]:
    """The content version and the entry stored for this key if it is of that version:
    from this process's copies when the version was read less than PAGE_CACHE_LOCAL_SECONDS
    ago, otherwise in one round trip to the cache."""
    ttl = settings.PAGE_CACHE_LOCAL_SECONDS
    now = time.monotonic()
    version = _local.known_version(now, ttl) if ttl > 0 else None
    if version is not None:
        entry = _local.get(key, version)
        if entry is None:
            entry = cache.get(key)
            entry = entry if entry is not None and entry["version"] == version else None
    else:
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            version, entry = content_version(), None
        else:
            entry = found.get(key)
            entry = entry if entry is not None and entry["version"] == version else None
        if ttl > 0:
            _local.remember_version(version, now)
    if entry is not None and ttl > 0:
        _local.put(key, version, entry)
    return version, entry


def _storable(request, response) -> bool:
    session = getattr(request, "session", None)
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _store(request, response, key: str, version: int) -> None:
    if not _storable(request, response):
        return
    nonce = getattr(request, "_csp_nonce", None)
    entry = {
        # The version read before rendering: if content changed meanwhile, this entry is
        # already stale and is never served.
        "version": version,
        "status": response.status_code,
        "headers": list(response.items()),
        "content": response.content,
        # The nonce this page was rendered with, if it used one (LazyNonce is falsy until read).
        "nonce": str(nonce) if nonce else None,
        "gzip": None,
    }
    # Answers without a nonce (GeoJSON, pages without a map) are also kept gzipped, compressed
    # once here instead of on every request. They hold no secret (nothing per visitor), so
    # compression reveals nothing (BREACH). Pages with a nonce are re-stamped, so stay plain.
    if (
        entry["nonce"] is None
        and len(entry["content"]) >= GZIP_MIN_BYTES
        and not response.has_header("Content-Encoding")
    ):
        compressed = gzip.compress(entry["content"], compresslevel=6, mtime=0)
        if len(compressed) < len(entry["content"]):
            # Only the compressed copy is kept (less to fetch from the cache on every hit);
            # the rare client that takes no gzip gets it unpacked.
            entry["gzip"], entry["content"] = compressed, None
            patch_vary_headers(response, ("Accept-Encoding",))
    if settings.PAGE_CACHE_LOCAL_SECONDS > 0:
        _local.put(key, version, entry)
    try:
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    except Exception:
        _breaker.trip("Could not store a page in the cache")


def _accepts_gzip(request) -> bool:
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = coding.partition(";")
        if name.strip().lower() == "gzip":
            return params.replace(" ", "").lower() not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}
    return False


def _from_entry(request, entry) -> HttpResponse | None:
    content, encoding = entry["content"], None
    if entry["nonce"]:
        fresh = getattr(request, "_csp_nonce", None)
        if fresh is None:  # no CSP middleware to send a matching header: render instead
            return None
        content = content.replace(entry["nonce"].encode(), str(fresh).encode())
    elif entry["gzip"] is not None:
        if _accepts_gzip(request):
            content, encoding = entry["gzip"], "gzip"
        else:
            content = gzip.decompress(entry["gzip"])
    response = HttpResponse(content, status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    if entry["gzip"] is not None:
        patch_vary_headers(response, ("Accept-Encoding",))
    if encoding:
        response["Content-Encoding"] = encoding
    return response


def cache_for_anonymous(view: Callable | None = None, *, vary: Callable | None = None):
    """Serve anonymous GET requests for this view from the page cache.

    ``vary(request) -> str`` adds to the key whatever else the page depends on that is not in
    the URL, the language or the content version.
    """

    def decorator(view_func):
        @functools.wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not _cache_may_serve(request) or _breaker.is_open():
                return view_func(request, *args, **kwargs)
            if _breaker.missed_bump:
                bump_content_version()  # before anything is served from the cache again
                if _breaker.is_open():
                    return view_func(request, *args, **kwargs)
            try:
                key = _page_key(request, vary(request) if vary else "")
                version, entry = _lookup(key)
            except Exception:
                _breaker.trip("Page cache unavailable; rendering without it")
                return view_func(request, *args, **kwargs)
            if entry is not None:
                response = _from_entry(request, entry)
                if response is not None:
                    response[CACHE_HEADER] = "hit"
                    patch_vary_headers(response, ("Cookie",))
                    return response

            response = view_func(request, *args, **kwargs)
            response[CACHE_HEADER] = "miss"
            patch_vary_headers(response, ("Cookie",))
            if callable(getattr(response, "render", None)) and not response.is_rendered:
                response.add_post_render_callback(lambda r: _store(request, r, key, version))
            else:
                _store(request, response, key, version)
            return response

        return wrapper

    return decorator(view) if view is not None else decorator
