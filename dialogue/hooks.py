"""The citizen-dialogue app's plug-ins (sodertorn/hooks.py): its menu entry and testbed-page
section."""

from django.utils.translation import gettext_lazy as _

from sodertorn import hooks


@hooks.register("menu_items")
def menu_items():
    return [hooks.MenuItem(100, _("Citizen dialogue"), "dialogue:list", ("dialogue:*",))]


@hooks.register("testbed_sections")
def testbed_sections():
    from .selectors import testbed_rounds_prefetch

    return [
        {
            "template": "dialogue/_testbed_section.html",
            "prefetch": [testbed_rounds_prefetch()],
            "order": 25,
        }
    ]


@hooks.register("testbed_timeline")
def testbed_timeline(testbed):
    from .timeline import testbed_events

    return testbed_events(testbed)
