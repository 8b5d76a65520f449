"""Extension point for the testbed page: other apps add sections without editing this app.

An app registers a template partial (and the prefetches it needs, so the page keeps a constant
number of queries) from its AppConfig.ready():

    from testbeds import sections
    sections.register("ideagroups/_testbed_section.html",
                      prefetch=[Prefetch("idea_groups", queryset=IdeaGroup.objects.public())],
                      order=20)

The partial is included with the page's context; `testbed` is the testbed shown.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    template: str
    prefetch: tuple = field(default=())
    order: int = 100


_registry: dict[str, Section] = {}


def register(template: str, *, prefetch=(), order: int = 100) -> Section:
    section = Section(template=template, prefetch=tuple(prefetch), order=order)
    _registry[template] = section
    return section


def unregister(template: str) -> None:
    _registry.pop(template, None)


def registered() -> list[Section]:
    return sorted(_registry.values(), key=lambda s: (s.order, s.template))


def prefetches() -> list:
    return [lookup for section in registered() for lookup in section.prefetch]
