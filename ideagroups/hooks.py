"""The idea-groups app's plug-ins (sodertorn/hooks.py): its menu entry and testbed-page
section."""

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
