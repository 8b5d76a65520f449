"""Extension point for the testbed page: other apps add sections without editing this app.

An app adds a template partial (and the prefetches it needs, so the page keeps a constant
number of queries) with a ``testbed_sections`` hook in its hooks.py (sodertorn/hooks.py):

    @hooks.register("testbed_sections")
    def testbed_sections():
        return [{"template": "ideagroups/_testbed_section.html",
                 "prefetch": [Prefetch("idea_groups", queryset=IdeaGroup.objects.public())],
                 "order": 20}]

``register()`` adds one directly (tests do).

The partial is included with the page's context; `testbed` is the testbed shown.

The sections are collected once per set of registered hooks (``registered()`` keeps them):
the page asks for them three times per request (prefetches, template, page-cache key) and
a hook builds its prefetch querysets each time it is called. Prefetch querysets are shared
by the requests like a view's class-level ``queryset``: Django clones them before use.
"""

from dataclasses import dataclass, field

from sodertorn import hooks


@dataclass(frozen=True)
class Section:
    template: str
    prefetch: tuple = field(default=())
    order: int = 100


_registry: dict[str, Section] = {}
# The sections of the last set of hooks and registrations (see the module's docstring).
_collected: dict[tuple, tuple[Section, ...]] = {}


def register(template: str, *, prefetch=(), order: int = 100) -> Section:
    section = Section(template=template, prefetch=tuple(prefetch), order=order)
    _registry[template] = section
    _collected.clear()
    return section


def unregister(template: str) -> None:
    _registry.pop(template, None)
    _collected.clear()


def registered() -> list[Section]:
    key = tuple(hooks.get_hooks("testbed_sections"))
    sections = _collected.get(key)
    if sections is None:
        _collected.clear()
        sections = _collected[key] = tuple(_collect())
    return list(sections)


def _collect() -> list[Section]:
    found = {
        spec["template"]: Section(
            template=spec["template"],
            prefetch=tuple(spec.get("prefetch", ())),
            order=spec.get("order", 100),
        )
        for spec in hooks.collect("testbed_sections")
    }
    found.update(_registry)
    return sorted(found.values(), key=lambda s: (s.order, s.template))


def prefetches() -> list:
    return [lookup for section in registered() for lookup in section.prefetch]
