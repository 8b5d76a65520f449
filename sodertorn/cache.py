"""Whole-page caching for anonymous visitors, by content version, with standard HTTP caching.

Design (see docs/deploy.md, "Caching"):

* **Whole responses, the same bytes for everyone.** Public pages are rendered once per content
  version, language and full URL, and stored whole. No page has inline code, so the CSP names
  no nonce, and an anonymous page holds no CSRF token (a page that used one is never stored):
  a stored page is sent as it is, and a cache in front (nginx) may keep it too.
* **Versions per area of content.** A version is a clock value kept in the cache itself (one
  key per area, never expiring). Saving, deleting or changing the many-to-many relations of a
  registered model sets the versions of its app (``"testbeds"``), of the model itself
  (``"testbeds.municipality"``) and of ``"*"``. A page declares the areas it shows,
  ``cache_for_anonymous(view, areas=("indicators", "testbeds.municipality"))``; a page that
  declares none depends on ``"*"``, i.e. on every change (the safe default: the home page and
  the testbed page show other apps' sections). Every page also depends on the global version,
  which ``content_changed()`` without areas sets (writes that bypass model signals).
  Registered are all models of the project's own apps (those with a ``hooks`` module,
  ``sodertorn.hooks.project_apps()``, done at start-up by ``SodertornConfig.ready()``, so a
  new app is covered without a line), and any other model with one line in its app's
  ``AppConfig.ready()``::

      from sodertorn.cache import register_for_invalidation
      register_for_invalidation(SomePackageModel)

  Writes that bypass model signals (``QuerySet.update()``, ``bulk_create()``) call
  ``content_changed()`` themselves (``sodertorn.publishing.set_published`` does, for the
  queryset's model).
* **HTTP caching.** Anonymous answers carry ``ETag`` (weak, made from the page's key and its
  versions: no body is hashed), ``Last-Modified`` (the newest of those versions) and
  ``Cache-Control: public, max-age=0, s-maxage=HTTP_S_MAXAGE,
  stale-while-revalidate=HTTP_STALE_SECONDS``: a shared cache keeps the page for s-maxage, a
  browser revalidates every time. ``If-None-Match`` / ``If-Modified-Since`` are answered 304
  from the versions alone, before the view runs and without a database query. Everything else
  the decorated views answer (logged-in users, sessions, messages, errors, cookies) says
  ``Cache-Control: private, no-cache``. ``Vary: Cookie, Accept-Encoding`` (and
  ``Accept-Language`` from LocaleMiddleware).
* **Stale while one renders.** A stored page outlives its versions and its
  ``PAGE_CACHE_SECONDS`` by ``PAGE_CACHE_STALE_SECONDS``. When it is stale (content changed, or
  older than ``PAGE_CACHE_SECONDS``), the request that takes the page's render lock
  (``cache.add``, ``PAGE_CACHE_LOCK_SECONDS``) renders it afresh; every other request is
  answered the stale copy meanwhile (``X-Page-Cache: stale``, ``s-maxage=0`` so no cache in
  front keeps it). With no copy at all, the others wait up to ``PAGE_CACHE_WAIT_SECONDS`` for
  the one render, then render themselves. No stampede after an edit or an expiry.
* **Anonymous only.** A request with a session cookie or a messages cookie, or from a
  logged-in user, is neither served from nor stored in the cache: staff see unpublished
  items, and messages must show. Only 200 answers to GET without cookies being set are stored.
* **Local copies.** With Redis, each process also keeps recently served entries and, for
  ``PAGE_CACHE_LOCAL_SECONDS`` (0.5 s), the versions it last read, so most hits make no round
  trip at all. An edit shows at once in the process that made it, and within that half second
  plus one render on every other process and server (within a second).
* **Compressed once.** Pages are stored gzipped and sent so to clients that accept gzip; they
  hold nothing secret (no CSRF token, nothing per visitor), so compression reveals nothing
  (BREACH).
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
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"  # the global version: every page depends on it
AREA_KEY = "content-version:"  # + an area: an app label, a model label, or EVERYTHING
EVERYTHING = "*"
# "pages", not the former "page": entries stored by the former version of this module (a
# different layout) are never read, they expire.
PAGE_KEY_PREFIX = "pages"
LOCK_KEY_PREFIX = "page-lock:"
CACHE_HEADER = "X-Page-Cache"
GZIP_MIN_BYTES = 1024
# A ceiling per worker: the largest entry, the whole GeoJSON, is about 1.4 MB (less gzipped).
LOCAL_MAX_BYTES = 8 * 1024 * 1024
WAIT_STEP = 0.05
_registered: set[str] = set()


class _LocalCopies:
    """Per-process copies of recently served entries, and of the versions read less than
    PAGE_CACHE_LOCAL_SECONDS ago: with Redis most hits then need no round trip at all. A change
    made in this process is seen at once; one made on another server within that time."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self.lock:
            self.entries: OrderedDict[str, dict] = OrderedDict()
            self.size = 0
            self.versions: dict[str, tuple[int, float]] = {}

    def known_versions(self, keys: Iterable[str], now: float, ttl: float) -> dict | None:
        found = {}
        for key in keys:
            value, read_at = self.versions.get(key, (None, 0.0))
            if value is None or now - read_at >= ttl:
                return None
            found[key] = value
        return found

    def remember_versions(self, versions: dict, now: float) -> None:
        self.versions.update((key, (value, now)) for key, value in versions.items())

    def forget_versions(self) -> None:
        self.versions = {}

    def get(self, key: str) -> dict | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict) -> None:
        size = _size(entry)
        if size > self.max_bytes // 4:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= _size(old)
            self.entries[key] = entry
            self.size += size
            while self.size > self.max_bytes:
                _, dropped = self.entries.popitem(last=False)
                self.size -= _size(dropped)


def _size(entry: dict) -> int:
    return len(entry["content"] or b"") + len(entry["gzip"] or b"")


_local = _LocalCopies(LOCAL_MAX_BYTES)


class _Breaker:
    """After a cache failure, leave the cache alone for a few seconds in this process: while
    Redis is down, each request would otherwise wait for its timeout first."""

    pause = 5.0

    def __init__(self):
        self.open_until = 0.0
        # A version bump that failed or was skipped while paused: made up for (globally)
        # before this process next serves from the cache (else it could serve stale pages).
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


# Content versions -----------------------------------------------------------------------------


def dependencies(areas: Iterable[str] | None) -> tuple[str, ...]:
    """The version keys of a page that shows these areas (None: unknown, i.e. everything)."""
    names = sorted(set(areas)) if areas is not None else [EVERYTHING]
    return (VERSION_KEY, *(AREA_KEY + name for name in names))


def _read_versions(keys: Iterable[str], found: dict) -> dict:
    """The versions of these keys from ``found`` (one get_many), creating missing ones."""
    versions = {key: found.get(key) for key in keys}
    for key in [key for key, value in versions.items() if value is None]:
        # A clock value, not 1: if a key is ever lost (eviction, a Redis restart), entries
        # stored under an old value are not read again by mistake.
        cache.add(key, time.time_ns(), timeout=None)
        versions[key] = cache.get(key)
    return versions


def content_version(areas: Iterable[str] | None = None) -> tuple[int, ...]:
    """The versions a page of these areas depends on (None: every area)."""
    keys = dependencies(areas)
    versions = _read_versions(keys, cache.get_many(keys))
    return tuple(versions[key] for key in keys)


def bump_content_version(areas: Iterable[str] | None = None) -> None:
    """Make the cached pages of these areas stale (None: every page).

    While the cache is paused after a failure, the bump is not tried (a Redis that hangs
    would make every write wait for its timeout: a resident's post changes two models, four
    bumps); it is made up for, for every page, before this process serves from the cache."""
    _local.forget_versions()
    if _breaker.is_open():
        _breaker.missed_bump = True
        return
    everything = [VERSION_KEY]
    keys = everything if areas is None else [AREA_KEY + name for name in {*areas, EVERYTHING}]
    try:
        now = time.time_ns()
        cache.set_many(dict.fromkeys(keys, now), timeout=None)
    except Exception:
        _breaker.trip("Could not bump the page-cache content version")
        _breaker.missed_bump = True
    else:
        if areas is None:
            _breaker.missed_bump = False


def content_changed(using: str = DEFAULT_DB_ALIAS, areas: Iterable[str] | None = None) -> None:
    """Public content changed: cached pages of these areas (app or model labels; None: every
    page) are stale. Model signals call this for registered models; call it yourself after
    writes that send none (``update()``, ``bulk_create()``)."""
    areas = None if areas is None else tuple(areas)
    bump_content_version(areas)
    # Bump again after the commit: a request that rendered the old rows while the transaction
    # was open may have stored them under the version bumped above.
    if connections[using].in_atomic_block:
        transaction.on_commit(lambda: bump_content_version(areas), using=using)


def areas_of(*models) -> set[str]:
    """The areas a change to these models touches: each one's app label and model label."""
    return {name for m in models for name in (m._meta.app_label, m._meta.label_lower)}


def _on_model_signal(sender, using=DEFAULT_DB_ALIAS, action=None, **kwargs):
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: act once, after the change
    models = [sender]
    if action is not None:  # both sides of a many-to-many relation
        models += [type(kwargs["instance"]), kwargs["model"]]
    content_changed(using, areas=areas_of(*models))


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


def _lookup(key: str, deps: tuple[str, ...]) -> tuple[tuple[int, ...], dict | None]:
    """The page's current versions and the entry stored for it (of any version): from this
    process's copies when the versions were read less than PAGE_CACHE_LOCAL_SECONDS ago,
    otherwise in one round trip to the cache."""
    ttl = settings.PAGE_CACHE_LOCAL_SECONDS
    now = time.monotonic()
    versions = _local.known_versions(deps, now, ttl) if ttl > 0 else None
    if versions is not None:
        current = tuple(versions[k] for k in deps)
        entry = _local.get(key)
        if entry is None or entry["versions"] != current:
            entry = cache.get(key)
    else:
        found = cache.get_many([*deps, key])
        versions = _read_versions(deps, found)
        current = tuple(versions[k] for k in deps)
        entry = found.get(key)
        if ttl > 0:
            _local.remember_versions(versions, now)
    if entry is not None and ttl > 0 and entry["versions"] == current:
        _local.put(key, entry)
    return current, entry


def _etag(key: str, versions: tuple[int, ...]) -> str:
    digest = hashlib.md5(f"{key}|{versions}".encode(), usedforsecurity=False).hexdigest()
    return f'W/"{digest[:24]}"'


def _last_modified(versions: tuple[int, ...]) -> int:
    return max(versions) // 1_000_000_000  # versions are time.time_ns() values


def _not_modified(request, etag: str, last_modified: int) -> bool:
    """If-None-Match (weak comparison) or, without it, If-Modified-Since (RFC 9110, 13.2.2)."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        tags = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
        return etag.removeprefix("W/") in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified <= since


def _public(response, etag: str, last_modified: int, *, stale: bool = False) -> None:
    """The headers of an anonymous answer any cache may keep (a stale one: none keeps it)."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={0 if stale else settings.HTTP_S_MAXAGE}, "
        f"stale-while-revalidate={settings.HTTP_STALE_SECONDS}"
    )
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))


def _private(response):
    """Answers for one visitor (logged in, a session, messages) or not stored (errors, cookies):
    never kept by a shared cache."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def _storable(request, response) -> bool:
    session = getattr(request, "session", None)
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page used a CSRF token
        and not (session is not None and session.modified)
        and not response.has_header("Cache-Control")  # the view said how to cache it
    )


def _entry(response, versions: tuple[int, ...], etag: str) -> dict:
    entry = {
        # The versions read before rendering: if content changed meanwhile, this entry is
        # already stale (served only while another request renders it afresh).
        "versions": versions,
        "etag": etag,
        "stored_at": time.time(),
        "status": response.status_code,
        "headers": list(response.items()),
        "content": response.content,
        "gzip": None,
    }
    # Kept gzipped, compressed once here instead of on every request. Pages stored here hold
    # no secret (nothing per visitor: no CSRF token, no nonce), so compression reveals
    # nothing (BREACH).
    if len(entry["content"]) >= GZIP_MIN_BYTES and not response.has_header("Content-Encoding"):
        compressed = gzip.compress(entry["content"], compresslevel=6, mtime=0)
        if len(compressed) < len(entry["content"]):
            # Only the compressed copy is kept (less to fetch from the cache on every hit);
            # the rare client that takes no gzip gets it unpacked.
            entry["gzip"], entry["content"] = compressed, None
    return entry


def _store(key: str, entry: dict) -> None:
    if settings.PAGE_CACHE_LOCAL_SECONDS > 0:
        _local.put(key, entry)
    try:
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS + settings.PAGE_CACHE_STALE_SECONDS)
    except Exception:
        _breaker.trip("Could not store a page in the cache")


def _accepts_gzip(request) -> bool:
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = coding.partition(";")
        if name.strip().lower() == "gzip":
            return params.replace(" ", "").lower() not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}
    return False


def _from_entry(request, entry, state: str) -> HttpResponse:
    content, encoding = entry["content"], None
    if entry["gzip"] is not None:
        if _accepts_gzip(request):
            content, encoding = entry["gzip"], "gzip"
        else:
            content = gzip.decompress(entry["gzip"])
    response = HttpResponse(content, status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    if encoding:
        response["Content-Encoding"] = encoding
    _public(response, entry["etag"], _last_modified(entry["versions"]), stale=state == "stale")
    response[CACHE_HEADER] = state
    return response


def _fresh(entry, versions) -> bool:
    return (
        entry["versions"] == versions
        and time.time() - entry["stored_at"] < settings.PAGE_CACHE_SECONDS
    )


def _take_lock(key: str) -> bool:
    """The page's render lock: one request renders a missing or stale page, the others serve
    the stale copy or wait. It expires on its own should that request die."""
    return cache.add(LOCK_KEY_PREFIX + key, 1, timeout=settings.PAGE_CACHE_LOCK_SECONDS)


def _wait_for_entry(key: str) -> dict | None:
    """Another request renders the missing page: wait for it, at most PAGE_CACHE_WAIT_SECONDS."""
    deadline = time.monotonic() + settings.PAGE_CACHE_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        entry = cache.get(key)
        if entry is not None:
            return entry
        if cache.get(LOCK_KEY_PREFIX + key) is None:  # it gave up (an error, not storable)
            return None
    return None


def cache_for_anonymous(
    view: Callable | None = None,
    *,
    vary: Callable | None = None,
    areas: Iterable[str] | None = None,
):
    """Serve anonymous GET requests for this view from the page cache.

    ``areas``: the areas of content the page shows (app labels such as ``"testbeds"``, model
    labels such as ``"testbeds.municipality"``); a change elsewhere leaves it fresh. None (the
    default): the page may show anything, every change makes it stale.
    ``vary(request) -> str`` adds to the key whatever else the page depends on that is not in
    the URL, the language or the content versions.
    """
    deps = dependencies(areas)

    def decorator(view_func):
        def render(request, args, kwargs):
            response = view_func(request, *args, **kwargs)
            if callable(getattr(response, "render", None)) and not response.is_rendered:
                response.render()
            return response

        def uncached(request, args, kwargs):
            return _private(render(request, args, kwargs))

        def render_and_store(request, args, kwargs, key, versions, etag, locked):
            try:
                response = render(request, args, kwargs)
                response[CACHE_HEADER] = "miss"
                if not _storable(request, response):
                    return _private(response)
                entry = _entry(response, versions, etag)
                _store(key, entry)
                if entry["gzip"] is not None and _accepts_gzip(request):
                    # The bytes a hit sends: a cache in front (nginx asks for gzip) keeps the
                    # compressed copy instead of compressing it again for every answer.
                    response.content = entry["gzip"]
                    response["Content-Encoding"] = "gzip"
                _public(response, etag, _last_modified(versions))
                return response
            finally:
                if locked:
                    try:
                        cache.delete(LOCK_KEY_PREFIX + key)
                    except Exception:
                        _breaker.trip("Could not release a page's render lock")

        @functools.wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not _cache_may_serve(request) or _breaker.is_open():
                return uncached(request, args, kwargs)
            if _breaker.missed_bump:
                bump_content_version()  # before anything is served from the cache again
                if _breaker.is_open():
                    return uncached(request, args, kwargs)
            try:
                key = _page_key(request, vary(request) if vary else "")
                versions, entry = _lookup(key, deps)
                etag = _etag(key, versions)
                if _not_modified(request, etag, _last_modified(versions)):
                    response = HttpResponseNotModified()
                    _public(response, etag, _last_modified(versions))
                    response[CACHE_HEADER] = "not-modified"
                    return response
                if entry is not None and _fresh(entry, versions):
                    return _from_entry(request, entry, "hit")
                locked = _take_lock(key)
                if not locked and entry is None:
                    entry = _wait_for_entry(key)
            except Exception:
                _breaker.trip("Page cache unavailable; rendering without it")
                return uncached(request, args, kwargs)
            if not locked and entry is not None:
                # Another request renders it afresh: this one gets the copy there is.
                return _from_entry(request, entry, "hit" if _fresh(entry, versions) else "stale")
            return render_and_store(request, args, kwargs, key, versions, etag, locked)

        return wrapper

    return decorator(view) if view is not None else decorator


class PrivateByDefaultMiddleware:
    """Every answer says whether a shared cache may keep it: one that says nothing (a view
    outside the page cache: a form, search, the API) gets ``Cache-Control: private, no-cache``.
    A cache in front then never stores it, and never makes concurrent requests for it wait in
    line for a copy that will not come (nginx's proxy_cache_lock). After WhiteNoise, whose
    static files say ``public, immutable`` themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        return response
