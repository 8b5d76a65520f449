"""Discover the portal's public pages from the URLconf and the demo data.

Quality checks (status codes, accessibility, CSP, keyboard, fuzzing) run on every page this module
finds, so a page added later is covered without editing the checks:

* ``discover_patterns()`` walks the resolver of ``settings.ROOT_URLCONF`` (no database needed) and
  returns every public URL pattern: admin/, i18n/ and the other ``SKIPPED_PREFIXES`` are left out,
  and so are staff-only views (login/permission decorators and mixins), views that do not
  answer GET and permanent redirects (``RedirectView``: an old or guessed address of a page
  that is checked under its own name). Patterns inside ``i18n_patterns`` are pages in every
  language of ``settings.LANGUAGES``; they are HTML unless their route ends in a data suffix
  (``.geojson``…), the view is a syndication feed, or the name is listed in ``NON_HTML``.
  Patterns outside ``i18n_patterns`` are language-neutral endpoints and must not be HTML (a
  test checks it).
* ``PublicPattern.fill()`` (needs the demo data) gives the URL kwargs of a pattern: a view with a
  ``model`` or ``get_queryset`` (DetailView…) is asked for its queryset as an anonymous visitor
  would see it, narrowed to ``.published()`` where the queryset has it, and the first object's
  field values fill the kwargs. A view that cannot be introspected gets an entry in
  ``KWARGS_REGISTRY``. A public pattern whose kwargs cannot be filled raises
  ``UnfilledPatternError`` naming it: new pages are never silently skipped. Public patterns the
  demo data cannot show at all (downloads of uploaded files) are listed with a reason in
  ``NOT_PAGES``: the fuzz test still requests them.
* ``public_pages()`` returns ``[(name, path), …]`` for Swedish and the /en/ variants.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.test import RequestFactory, override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern, RoutePattern
from django.utils import translation
from django.views.generic import RedirectView

# Top-level prefixes that are not public pages (admin, the POST-only language switch view,
# uploaded files and static files served in development).
SKIPPED_PREFIXES = ("admin/", "i18n/", "media/", "static/")

# Explicitly excluded patterns, url name -> reason (for what the rules below cannot see).
SKIPPED_NAMES: dict[str, str] = {}

# Public patterns that are not pages the demo data can show: still fuzzed (with random path
# segments), but not checked for 200, accessibility or CSP. url name -> reason.
NOT_PAGES: dict[str, str] = {
    "attachments:download": "download of an uploaded file, not a page",
    "results:attachment": "download of an uploaded file, not a page",
    # Following by e-mail: a confirmation or unsubscribe link holds a random token that only
    # its mail carries (follow/tests cover the pages).
    "follow:confirm": "a confirmation link from a mail, with its random token",
    "follow:unsubscribe": "an unsubscribe link from a mail, with its random token",
}

# Public patterns that answer something other than HTML although their route does not say so.
NON_HTML: set[str] = set()
NON_HTML_SUFFIX = re.compile(r"\.(geojson|json|xml|rss|atom|csv|txt|ics|pdf|kml|gpx)/?$")

# url name -> callable returning the kwargs for a page whose view cannot be introspected, e.g.
#     "ideagroups:member": lambda: {"slug": IdeaGroup.objects.public().first().slug, ...}
# The callable runs inside a test with the demo data loaded (import models inside the lambda).
KWARGS_REGISTRY: dict[str, Callable[[], dict]] = {
    # A set-password link (Django's PasswordResetConfirmView): with a made-up user id and token
    # the page says the link is not valid, which is what a visitor with an old link sees.
    "accounts:password_reset_confirm": lambda: {"uidb64": "MQ", "token": "ogiltig-lank"},
    # The open demo round, so the page checks see the contribution form and support buttons.
    "dialogue:round": lambda: {"slug": _open_round().slug},
    # A testbed's timeline feed: the first published testbed (the feed takes a slug, its view
    # has no queryset to take one from).
    "testbeds:timeline_feed": lambda: {"slug": _first_testbed().slug},
    # A testbed's effect page: the demo testbed with an invented change after its start (a
    # testbed in no small area has none; indicators/demo_small_areas.py).
    "indicators:testbed_effect": lambda: {"slug": _effect_testbed()},
    # A resident's receipt (dialogue/receipts.py): the first answered demo contribution's.
    "dialogue:receipt": lambda: {"token": _receipt_token()},
    # Following by e-mail: the form for the first published testbed, the feed of the first
    # municipality (the views take a kind and a key, not a queryset).
    "follow:subscribe": lambda: {"kind": "testbad", "key": _first_testbed().slug},
    "follow:feed": lambda: {"kind": "kommun", "key": _first_municipality().slug},
    # A section of the sitemap index (sodertorn/urls.py): the testbeds, the largest.
    "sitemap_section": lambda: {"section": "testbeds"},
}


def _first_testbed():
    from testbeds.models import Testbed

    return Testbed.objects.published().order_by("pk").first()


def _receipt_token() -> str:
    from dialogue import receipts
    from dialogue.models import Contribution

    return receipts.token(Contribution.objects.public().filter(responses__isnull=False).first())


def _effect_testbed() -> str:
    from indicators.demo_small_areas import EFFECT_TESTBED

    return EFFECT_TESTBED


def _first_municipality():
    from testbeds.models import Municipality

    return Municipality.objects.order_by("pk").first()


def _open_round():
    from dialogue.models import DialogueRound

    return DialogueRound.objects.published().open().order_by("pk").first()


class UnfilledPatternError(AssertionError):
    """Public URL patterns whose kwargs the demo data could not fill."""


@dataclass(frozen=True)
class PublicPattern:
    name: str  # namespaced url name, e.g. "testbeds:detail"
    route: str  # route text without the language prefix, e.g. "testbaddar/<slug:slug>/"
    kwarg_names: tuple[str, ...]
    converters: dict = field(compare=False, hash=False, repr=False)
    callback: Callable = field(compare=False, hash=False, repr=False)
    localized: bool = True  # inside i18n_patterns: one page per language
    html: bool = True
    page: bool = True  # False for NOT_PAGES: fuzzed only

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None)

    def languages(self) -> list[str]:
        if not self.localized:
            return [settings.LANGUAGE_CODE]
        return [code for code, _name in settings.LANGUAGES]

    def reverse(self, kwargs: dict | None = None, language: str | None = None) -> str:
        with translation.override(language or settings.LANGUAGE_CODE):
            return reverse(self.name, kwargs=kwargs or None)

    def fill(self) -> dict:
        """URL kwargs from the demo data; raises UnfilledPatternError when that is impossible."""
        if not self.kwarg_names:
            return {}
        if self.name in KWARGS_REGISTRY:
            kwargs = KWARGS_REGISTRY[self.name]()
        else:
            kwargs = self._kwargs_from_queryset()
        missing = set(self.kwarg_names) - set(kwargs or {})
        if missing:
            raise UnfilledPatternError(
                f"{self.name} ({self.route}): no value for {sorted(missing)}; "
                "add the page to KWARGS_REGISTRY in tests/public_pages.py"
            )
        return kwargs

    def _kwargs_from_queryset(self) -> dict:
        view_class = self.view_class
        where = f"{self.name} ({self.route})"
        if view_class is None or not (
            getattr(view_class, "model", None) or hasattr(view_class, "get_queryset")
        ):
            raise UnfilledPatternError(
                f"{where}: the view has no model or get_queryset to take an object from; "
                "add the page to KWARGS_REGISTRY in tests/public_pages.py"
            )
        view = view_class(**getattr(self.callback, "view_initkwargs", {}))
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        view.setup(request)
        try:
            queryset = view.get_queryset()
        except Exception as exc:  # a queryset that needs the URL kwargs, missing model…
            raise UnfilledPatternError(
                f"{where}: {view_class.__name__}.get_queryset() failed without URL kwargs "
                f"({exc!r}); add the page to KWARGS_REGISTRY in tests/public_pages.py"
            ) from exc
        if callable(getattr(queryset, "published", None)):
            queryset = queryset.published()
        obj = queryset.first()
        if obj is None:
            raise UnfilledPatternError(
                f"{where}: {view_class.__name__}'s queryset ({queryset.model.__name__}) has no "
                "public object in the demo data; add one to fixtures/"
            )
        kwargs = {}
        for name in self.kwarg_names:
            value = _kwarg_value(view, obj, name, self.converters.get(name))
            if value is None:
                raise UnfilledPatternError(
                    f"{where}: cannot fill <{name}> from a {type(obj).__name__}; "
                    "add the page to KWARGS_REGISTRY in tests/public_pages.py"
                )
            kwargs[name] = value
        return kwargs

    def placeholder_kwargs(self) -> dict[str, str]:
        """One sentinel per kwarg that its converter accepts, to substitute after reverse()."""
        sentinels = {}
        for index, name in enumerate(self.kwarg_names):
            converter = self.converters.get(name)
            regex = getattr(converter, "regex", r"[^/]+")
            for candidate in (
                f"zqxfuzz{index}slot",
                f"7770{index}019",
                f"00000000-0000-4000-8000-{index:012d}",
            ):
                if re.fullmatch(regex, candidate):
                    sentinels[name] = candidate
                    break
            else:
                raise UnfilledPatternError(f"{self.name}: no placeholder fits <{name}>")
        return sentinels


def _kwarg_value(view, obj, name: str, converter):
    if name == getattr(view, "pk_url_kwarg", None):
        return obj.pk
    if name == getattr(view, "slug_url_kwarg", None):
        return getattr(obj, view.get_slug_field())
    value = getattr(obj, name, None)
    if isinstance(value, models.Model):
        slug = getattr(value, "slug", None)
        is_int = converter is not None and type(converter).__name__ == "IntConverter"
        return value.pk if is_int or slug is None else slug
    return value


def _is_restricted(callback) -> bool:
    """Staff-only or login-only views: decorated with user_passes_test & co, or access mixins."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None and issubclass(view_class, AccessMixin):
        return True
    return bool(getattr(callback, "login_required", False) or hasattr(callback, "login_url"))


def _is_redirect(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    return view_class is not None and issubclass(view_class, RedirectView)


def _answers_get(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return True
    return "get" in view_class.http_method_names and hasattr(view_class, "get")


def _route_text(pattern) -> str:
    if isinstance(pattern, LocalePrefixPattern):
        return ""
    return str(pattern)


def _converters(pattern) -> dict:
    if isinstance(pattern, RoutePattern):
        return dict(pattern.converters)
    return dict.fromkeys(pattern.regex.groupindex)


def _walk(patterns, route="", namespace="", converters=None, localized=False):
    converters = converters or {}
    for entry in patterns:
        text = route + _route_text(entry.pattern)
        found = {**converters, **_converters(entry.pattern)}
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(
                entry.url_patterns,
                text,
                ns,
                found,
                localized or isinstance(entry.pattern, LocalePrefixPattern),
            )
        else:
            yield entry, text, namespace, found, localized


def discover_patterns(urlconf=None) -> list[PublicPattern]:
    """Every public URL pattern, in URLconf order. Raises for unnamed public patterns."""
    found, unnamed = [], []
    for entry, route, namespace, converters, localized in _walk(get_resolver(urlconf).url_patterns):
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if (
            _is_restricted(entry.callback)
            or not _answers_get(entry.callback)
            or _is_redirect(entry.callback)
        ):
            continue
        if not entry.name:
            unnamed.append(route)
            continue
        name = namespace + entry.name
        if name in SKIPPED_NAMES:
            continue
        html = (
            localized
            and name not in NON_HTML
            and not NON_HTML_SUFFIX.search(route)
            and not isinstance(entry.callback, Feed)
        )
        found.append(
            PublicPattern(
                name=name,
                route=route,
                kwarg_names=tuple(converters),
                converters=converters,
                callback=entry.callback,
                localized=localized,
                html=html,
                page=name not in NOT_PAGES,
            )
        )
    if unnamed:
        raise UnfilledPatternError(
            f"public URL patterns without a name cannot be reversed or checked: {unnamed}"
        )
    return found


def filled_patterns(urlconf=None) -> list[tuple[PublicPattern, dict]]:
    """(pattern, kwargs) for every public pattern; one error names all that cannot be filled."""
    result, problems = [], []
    for pattern in discover_patterns(urlconf):
        if not pattern.page:
            continue
        try:
            result.append((pattern, pattern.fill()))
        except UnfilledPatternError as exc:
            problems.append(str(exc))
    if problems:
        raise UnfilledPatternError("\n".join(problems))
    return result


def public_pages(*, html: bool | None = True, urlconf=None) -> list[tuple[str, str]]:
    """[(name, path)] for every public page in every language (html=None: HTML and non-HTML)."""
    pages = []
    for pattern, kwargs in filled_patterns(urlconf):
        if html is not None and pattern.html != html:
            continue
        for language in pattern.languages():
            pages.append((pattern.name, pattern.reverse(kwargs, language)))
    return pages


def page_language(path: str) -> str:
    """The language a discovered path is in (from its URL prefix)."""
    for code, _name in settings.LANGUAGES:
        if path.startswith(f"/{code}/"):
            return code
    return settings.LANGUAGE_CODE


def load_demo_data() -> str:
    """The demo data every page check runs against (``manage.py load_demo``); returns what the
    command printed."""
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@dataclass(frozen=True)
class DemoDatabase:
    """The demo data loaded once for the session into a PostgreSQL database of its own."""

    name: str
    media_root: object  # the folder of the demo files
    output: str  # what load_demo printed


@contextmanager
def using_database(name: str):
    """Point the default connection at another database on the same server for a while.

    The content types are cached per connection alias, not per database: a flush re-creates
    them with new ids in one database and not in the other, so the cache is cleared on each
    switch."""
    from django.contrib.contenttypes.models import ContentType

    conn = connections[DEFAULT_DB_ALIAS]
    previous = conn.settings_dict["NAME"]
    conn.close()
    conn.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()
    try:
        yield
    finally:
        conn.close()
        conn.settings_dict["NAME"] = previous
        ContentType.objects.clear_cache()


def demo_template_database(django_db_blocker, media_root):
    """On PostgreSQL, once per session (and xdist worker): a copy of the empty test database
    (CREATE DATABASE ... TEMPLATE, as Django clones test databases) with the demo data loaded
    and committed; dropped at the end. Modules that read the demo data switch to it and roll
    back what they change (``demo_data_for_module``), instead of loading it each. Gives None
    (each module then loads the demo data itself) when the copy cannot be made, e.g. while
    another connection still uses the test database."""
    test_name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    demo_name = f"{test_name}_demo"
    with django_db_blocker.unblock():
        try:
            copy_database(test_name, demo_name)
        except DatabaseError:
            output = None
        else:
            with using_database(demo_name), override_settings(MEDIA_ROOT=media_root):
                output = load_demo_data()
    if output is None:
        yield None
        return
    try:
        yield DemoDatabase(demo_name, media_root, output)
    finally:
        with django_db_blocker.unblock():
            drop_database(demo_name)


def copy_database(template: str, name: str) -> None:
    """CREATE DATABASE name TEMPLATE template (PostgreSQL; no connection may use the template)."""
    conn = connections[DEFAULT_DB_ALIAS]
    quote = conn.ops.quote_name
    conn.close()
    with conn._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")


def drop_database(name: str) -> None:
    conn = connections[DEFAULT_DB_ALIAS]
    conn.close()
    with conn._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {conn.ops.quote_name(name)} WITH (FORCE)")


@contextmanager
def demo_data_for_module(django_db_blocker, media_root, database: DemoDatabase | None = None):
    """Load the demo data once for a test module, inside a transaction rolled back at the end;
    gives what load_demo printed.

    For a module-scoped fixture of tests that use the (non-transactional) ``db`` fixture: each
    test's own transaction is a savepoint inside this one, as with TestCase.setUpTestData, so
    the demo data is loaded once instead of once per test and nothing outlives the module.
    The demo files (logos, images) go to ``media_root``: the module's tests must use the same
    MEDIA_ROOT (override the ``_media_root`` fixture of conftest.py, see
    tests/test_public_pages.py).

    With ``database`` (PostgreSQL: the session's ``demo_template_database``) the module works in
    that database, inside a transaction rolled back at the end, and nothing is loaded.
    """
    if database is not None:
        with using_database(database.name):
            with django_db_blocker.unblock():
                outer = transaction.atomic()
                outer.__enter__()
            try:
                yield database.output
            finally:
                with django_db_blocker.unblock():
                    transaction.set_rollback(True)
                    outer.__exit__(None, None, None)
        return
    with override_settings(MEDIA_ROOT=media_root), django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            output = load_demo_data()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield output
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# For browser checks: true once every map on the page has loaded its data (maps.js sets
# data-loaded on each .map element when its GeoJSON has arrived or failed).
MAPS_LOADED_JS = (
    "() => Array.from(document.querySelectorAll('.map')).every(m => m.dataset.loaded === 'true')"
)


def wait_until_ready(page) -> None:
    """Wait for the page's maps and fonts, so checks see the finished page."""
    page.wait_for_function(MAPS_LOADED_JS)
    page.evaluate("() => document.fonts.ready.then(() => true)")


def demo_fixtures():
    """Fixtures for a test module whose tests read the demo data, loaded once per module (on
    PostgreSQL once per session and worker, conftest.py's ``demo_database``).

    Use at module level:  ``demo_media, _media_root, demo_db, demo = demo_fixtures()``
    and request ``demo`` in a test (it gives database access, like ``db``, and is what
    load_demo printed).
    """

    @pytest.fixture(scope="module", name="demo_media")
    def demo_media(tmp_path_factory, demo_database):
        if demo_database is not None:
            return demo_database.media_root
        return tmp_path_factory.mktemp("demo-media")

    @pytest.fixture(autouse=True, name="_media_root")
    def media_root(settings, demo_media):
        """Overrides conftest.py's per-test folder: the demo files stay for the module."""
        settings.MEDIA_ROOT = demo_media

    @pytest.fixture(scope="module", name="demo_db")
    def demo_db(django_db_setup, django_db_blocker, demo_media, demo_database):
        with demo_data_for_module(django_db_blocker, demo_media, demo_database) as output:
            yield output

    @pytest.fixture(name="demo")
    def demo(demo_db, db):
        """The demo data (loaded once for the module); each test's changes are rolled back."""
        return demo_db

    return demo_media, media_root, demo_db, demo


def report(failures: dict[str, list[str]]) -> str:
    """A readable failure message: one block per page."""
    return "\n".join(
        f"{page}:\n" + "\n".join(f"  - {problem}" for problem in problems)
        for page, problems in failures.items()
    )


def page_params(urlconf=None) -> list:
    """pytest params (pattern, language) for every public HTML page, known without a database:
    a check parametrised with them runs once per page and language, and xdist workers share the
    pages. ``pattern.fill()`` (demo data needed) gives the kwargs inside the test."""
    return [
        pytest.param(pattern, language, id=f"{pattern.name}-{language}")
        for pattern in discover_patterns(urlconf)
        if pattern.page and pattern.html
        for language in pattern.languages()
    ]


def load_demo_site(django_db_blocker, media_root, database: DemoDatabase | None = None):
    """Load the demo data *committed* for a browser test module, then flush it at the end.
    With ``database`` (PostgreSQL: the session's demo database) the module gets a fresh copy of
    it instead (CREATE DATABASE ... TEMPLATE), dropped at the end; its files are in
    ``database.media_root``.

    For a module-scoped fixture of live-server tests that only read the demo data: they do not
    use ``transactional_db`` (which flushes after every test), so the demo data is loaded once
    for the module instead of once per test. The flush at the end leaves the database as a
    transactional test leaves it (post_migrate data re-created). The demo files go to
    ``media_root``.
    """
    if database is not None:
        name = f"{database.name}_site"
        with django_db_blocker.unblock():
            copy_database(database.name, name)
        try:
            with using_database(name):
                yield
        finally:
            with django_db_blocker.unblock():
                drop_database(name)
        return
    with override_settings(MEDIA_ROOT=media_root), django_db_blocker.unblock():
        load_demo_data()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
