"""One way to plug in: a small hooks registry, in the spirit of Wagtail's ``hooks.register``.

A project app is an installed app with a ``hooks`` module (``<app>/hooks.py``); that is the
only test of "ours" in the project (``project_apps()``). At start-up
(``SodertornConfig.ready()``) every project app's ``hooks`` module is imported (Django's
``autodiscover_modules``), and it registers functions under hook names::

    from sodertorn import hooks

    @hooks.register("menu_items")
    def menu():
        return [hooks.MenuItem(order=30, label=_("Results"), url_name="results:list")]

The kernel and the apps then ask for them with ``hooks.get_hooks(name)``. Hook names:

``menu_items``
    ``() -> list[MenuItem]``: entries of the main menu (templates/base.html, through the
    ``{% main_menu %}`` tag of ``sodertorn/templatetags/menu.py``).
``testbed_sections``
    ``() -> list[dict]``: sections of the testbed page (``testbeds.sections``), keyword
    arguments of ``testbeds.sections.Section`` (``template``, ``prefetch``, ``order``).
``testbed_timeline``
    ``(testbed) -> list[sodertorn.timeline.Event]``: the app's dated lines on the testbed's
    timeline (its page, its Atom feed and the API), read in a bounded number of queries.
``actor_sections``
    ``() -> list[dict]``: sections of the actor page (``collaboration.sections``):
    ``template``, ``order`` and an optional ``context(actor) -> dict`` for the page.
``actor_testbeds``
    ``(actor) -> Q``: on Testbed, the testbeds the actor works on through this app (the actor
    page lists them with its own).
``solution_parts``
    ``() -> list[dict]``: parts of each system solution's card on the collaboration page
    (``collaboration.sections``): ``template``, ``prefetch``, ``order``.
``municipality_sections``, ``area_sections``
    ``() -> list[dict]``: sections of the municipality page (``testbeds``) and of the area
    page (``indicators``): ``template``, ``order`` and an optional ``context(obj) -> dict``
    for the page (``page_sections(name, obj)`` collects them).
``testbed_factsheet``, ``municipality_factsheet``
    ``() -> list[dict]``: parts of the one-page printable fact sheets of a testbed and of a
    municipality (``testbeds.views``): ``template``, ``order`` and an optional
    ``context(obj) -> dict`` (``page_sections``). A part lists a bounded number of rows (one
    A4 page) with a count of the rest, in a fixed number of queries.
``contribution_posted``
    ``(*, contribution, email, receipt_url, request) -> str | None``: a resident who posted
    in a dialogue round asked to be told at ``email`` when the municipality answers; the
    hook keeps the address (the contribution never does) and returns a sentence for the
    resident, or None. The dialogue form offers the e-mail field only when a hook listens;
    an exception costs the notice, never the stored contribution.
``demo_finished``
    ``(*, database) -> None``: called by ``load_demo`` after every app's demo data, for links
    to rows of apps whose demo runs later (a grant's areas).
``api_resources``
    ``() -> list[apischema.Resource]``: the app's open-data API resources, declared in its
    ``api.py`` (sodertorn/apischema.py); served, described in OpenAPI and exported as CSV by
    ``opendata``. The hook's ``order`` is the order of the API's resources.

Besides named hooks, a project app's conventional modules are found through the same list of
project apps (``project_modules(name)``): ``admin`` (admin registration), ``sitemaps``
(``sitemaps = {...}``), ``search`` (``sources = [...]``, sodertorn/searchable.py), ``demo``
(``load()`` for load_demo; with ``AFTER_CONTENT = True`` it runs after the demo's English
texts), ``roles`` (``GRANTS``, the app's permissions, read by
sodertorn/roles.py); and every model of a project app is registered for page-cache
invalidation (``sodertorn/cache.py``).
A new app adds ``hooks.py`` and touches neither templates/base.html, sodertorn/apps.py nor a
sibling.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import AppConfig, apps
from django.utils.module_loading import autodiscover_modules

_hooks: dict[str, list[tuple[int, Callable]]] = defaultdict(list)


def register(name: str, fn: Callable | None = None, *, order: int = 0):
    """Register ``fn`` under the hook ``name``; usable as ``@register("name")``."""

    def decorator(func: Callable) -> Callable:
        if all(registered is not func for _, registered in _hooks[name]):
            _hooks[name].append((order, func))
        return func

    return decorator(fn) if fn is not None else decorator


def get_hooks(name: str) -> list[Callable]:
    """The functions registered under ``name``, by order (then registration order)."""
    return [fn for _, fn in sorted(_hooks[name], key=lambda pair: pair[0])]


def page_sections(name: str, obj) -> dict:
    """The sections the ``name`` hooks add to the page of ``obj``: ``{"page_sections":
    [template, ...]}`` in their order, merged with what each ``context(obj)`` returns."""
    specs = sorted(collect(name), key=lambda spec: (spec.get("order", 100), spec["template"]))
    context = {"page_sections": [spec["template"] for spec in specs]}
    for spec in specs:
        if spec.get("context") is not None:
            context.update(spec["context"](obj))
    return context


def collect(name: str) -> list:
    """Call every ``name`` hook and chain the lists they return."""
    return [item for fn in get_hooks(name) for item in fn()]


def _has_module(config: AppConfig, module: str) -> bool:
    try:
        return find_spec(f"{config.name}.{module}") is not None
    except ModuleNotFoundError:
        return False


@cache
def _project_app_names() -> tuple[str, ...]:
    return tuple(c.name for c in apps.get_app_configs() if _has_module(c, "hooks"))


def project_apps() -> list[AppConfig]:
    """The project's own apps, in INSTALLED_APPS order: those with a ``hooks`` module."""
    names = set(_project_app_names())
    return [config for config in apps.get_app_configs() if config.name in names]


def is_project_app(config: AppConfig) -> bool:
    return config.name in _project_app_names()


def project_modules(module: str, *, exclude: tuple[str, ...] = ()) -> list[ModuleType]:
    """``<app>.<module>`` of every project app that has one, in INSTALLED_APPS order."""
    return [
        import_module(f"{config.name}.{module}")
        for config in project_apps()
        if config.name not in exclude and _has_module(config, module)
    ]


def autodiscover() -> None:
    """Import every project app's ``hooks`` module (once; Django caches the imports)."""
    autodiscover_modules("hooks")


@dataclass(frozen=True)
class MenuItem:
    """One main-menu entry: ``label`` links to ``url_name``. ``match`` holds the pages under
    which the entry is the current one, as ``"namespace:url_name"`` or ``"namespace:*"``
    (default: ``url_name`` alone). URL names, not path prefixes: the paths are translated."""

    order: int
    label: str
    url_name: str
    match: tuple[str, ...] = ()

    @property
    def patterns(self) -> tuple[str, ...]:
        return self.match or (self.url_name,)


def menu_items() -> list[MenuItem]:
    """Every ``menu_items`` hook's entries, by order."""
    return sorted(collect("menu_items"), key=lambda item: item.order)


def current_menu_item(items: list[MenuItem], view: str) -> MenuItem | None:
    """The one rule for ``aria-current``: the entry naming this view (``namespace:name``)
    exactly, otherwise the one naming its whole namespace (``namespace:*``)."""
    namespace = view.rpartition(":")[0]
    for pattern in (view, f"{namespace}:*"):
        for item in items:
            if pattern in item.patterns:
                return item
    return None
