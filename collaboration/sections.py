"""The actor page's and the collaboration page's sections, collected from the kernel's hooks
(sodertorn/hooks.py), so apps above collaboration add to these pages without this app
importing them. In an app's hooks.py:

    @hooks.register("actor_sections")
    def actor_sections():
        return [{"template": "ideagroups/_actor_section.html", "context": groups_of, "order": 20}]

    @hooks.register("actor_testbeds")
    def actor_testbeds(actor):
        return Q(idea_groups__memberships__actor=actor)   # Q on Testbed: testbeds it works on

    @hooks.register("solution_parts")
    def solution_parts():
        return [{"template": "ideagroups/_solution_part.html", "prefetch": [Prefetch(...)]}]

An actor section's ``context(actor)`` (optional) returns extra context for the whole page; its
template is included with the page's context. A solution part is included inside each system
solution's card on the collaboration page (``solution`` is the solution shown); its prefetches
are added to the solutions' query, so the page keeps a constant number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from sodertorn import hooks


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable | None = None
    prefetch: tuple = field(default=())
    order: int = 100


def _sections(hook_name: str) -> list[Section]:
    found = {
        spec["template"]: Section(
            template=spec["template"],
            context=spec.get("context"),
            prefetch=tuple(spec.get("prefetch", ())),
            order=spec.get("order", 100),
        )
        for spec in hooks.collect(hook_name)
    }
    return sorted(found.values(), key=lambda s: (s.order, s.template))


def actor_sections() -> list[Section]:
    return _sections("actor_sections")


def solution_parts() -> list[Section]:
    return _sections("solution_parts")


def actor_context(actor) -> dict:
    context = {}
    for section in actor_sections():
        if section.context is not None:
            context.update(section.context(actor))
    return context


def actor_testbeds_q(actor) -> Q:
    """The ``actor_testbeds`` hooks' links, ORed (an empty Q matches nothing here: callers OR
    it in)."""
    combined = Q(pk__in=[])
    for q_for_actor in hooks.get_hooks("actor_testbeds"):
        combined |= q_for_actor(actor)
    return combined


def solution_prefetches() -> list:
    return [lookup for part in solution_parts() for lookup in part.prefetch]
