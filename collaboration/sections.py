"""Extension points for the actor page and the collaboration page.

Other apps add to these pages without this app importing them (the arrows point down to
collaboration). From an AppConfig.ready():

    from collaboration import sections
    sections.register_actor_section("ideagroups/_actor_section.html", context=groups_of, order=20)
    sections.register_actor_testbeds(testbeds_q)          # Q on Testbed: testbeds an actor works on
    sections.register_solution_part("ideagroups/_solution_part.html", prefetch=[Prefetch(...)])

An actor section's ``context(actor)`` returns extra context for the whole page; its template is
included with the page's context. A solution part is included inside each system solution's
card on the collaboration page (``solution`` is the solution shown); its prefetches are added to
the solutions' query, so the page keeps a constant number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable | None = None
    prefetch: tuple = field(default=())
    order: int = 100


_actor_sections: dict[str, Section] = {}
_solution_parts: dict[str, Section] = {}
_actor_testbeds: list[Callable] = []


def register_actor_section(template: str, *, context=None, order: int = 100) -> Section:
    section = Section(template=template, context=context, order=order)
    _actor_sections[template] = section
    return section


def register_solution_part(template: str, *, prefetch=(), order: int = 100) -> Section:
    section = Section(template=template, prefetch=tuple(prefetch), order=order)
    _solution_parts[template] = section
    return section


def register_actor_testbeds(q_for_actor: Callable) -> None:
    """``q_for_actor(actor)`` -> a Q on Testbed selecting testbeds the actor works on."""
    if q_for_actor not in _actor_testbeds:
        _actor_testbeds.append(q_for_actor)


def actor_sections() -> list[Section]:
    return sorted(_actor_sections.values(), key=lambda s: (s.order, s.template))


def solution_parts() -> list[Section]:
    return sorted(_solution_parts.values(), key=lambda s: (s.order, s.template))


def actor_context(actor) -> dict:
    context = {}
    for section in actor_sections():
        if section.context is not None:
            context.update(section.context(actor))
    return context


def actor_testbeds_q(actor) -> Q:
    """The registered links (an empty Q matches nothing here: callers OR it in)."""
    combined = Q(pk__in=[])
    for q_for_actor in _actor_testbeds:
        combined |= q_for_actor(actor)
    return combined


def solution_prefetches() -> list:
    return [lookup for part in solution_parts() for lookup in part.prefetch]
