"""The idea-groups app's plug-ins (sodertorn/hooks.py): its menu entry, its sections of the
actor, collaboration and testbed pages and its part of the testbed's fact sheet."""

from django.utils.translation import gettext_lazy as _

from sodertorn import hooks


@hooks.register("menu_items")
def menu_items():
    return [
        hooks.MenuItem(
            90,
            _("Idea groups"),
            "ideagroups:list",
            ("ideagroups:list", "ideagroups:detail", "ideagroups:entry"),
        )
    ]


# The actor page and the collaboration page (collaboration/sections.py) show idea groups
# through these hooks, so collaboration (the lower app) never imports this one.
@hooks.register("actor_sections")
def actor_sections():
    from .selectors import actor_section_context

    return [
        {
            "template": "ideagroups/_actor_section.html",
            "context": actor_section_context,
            "order": 20,
        }
    ]


@hooks.register("actor_testbeds")
def actor_testbeds(actor):
    from .selectors import actor_testbeds_q

    return actor_testbeds_q(actor)


@hooks.register("solution_parts")
def solution_parts():
    from .selectors import solution_idea_groups_prefetch

    return [
        {
            "template": "ideagroups/_solution_part.html",
            "prefetch": [solution_idea_groups_prefetch()],
        }
    ]


@hooks.register("testbed_sections")
def testbed_sections():
    from .selectors import testbed_idea_groups_prefetch

    return [
        {
            "template": "ideagroups/_testbed_section.html",
            "prefetch": [testbed_idea_groups_prefetch()],
            "order": 20,
        }
    ]


@hooks.register("api_resources", order=30)
def api_resources():
    from .api import RESOURCES

    return RESOURCES


@hooks.register("testbed_timeline")
def testbed_timeline(testbed):
    from .timeline import testbed_events

    return testbed_events(testbed)


FACTSHEET_IDEA_GROUPS = 6


def _testbed_factsheet(testbed):
    """The testbed's public idea groups: the first FACTSHEET_IDEA_GROUPS, the rest counted."""
    from .models import IdeaGroup

    groups = IdeaGroup.objects.public().filter(testbeds=testbed).order_by("name", "id")
    shown = list(groups.only("id", "name", "slug", "focus", "is_demo")[:FACTSHEET_IDEA_GROUPS])
    more = groups.count() - len(shown) if len(shown) == FACTSHEET_IDEA_GROUPS else 0
    return {"factsheet_idea_groups": shown, "factsheet_idea_groups_more": more}


@hooks.register("testbed_factsheet")
def testbed_factsheet():
    return [{"template": "ideagroups/_factsheet.html", "context": _testbed_factsheet, "order": 40}]
