"""The indicators app's plug-ins (sodertorn/hooks.py): menu entries and the testbed-page
section (indicators/sections.py) and the open-data resources (indicators/api.py)."""

from django.utils.translation import gettext_lazy as _

from sodertorn import hooks


@hooks.register("menu_items")
def menu_items():
    return [
        hooks.MenuItem(60, _("Indicators"), "indicators:indicator_list", ("indicators:*",)),
        hooks.MenuItem(70, _("Analysis"), "indicators:analysis"),
    ]


@hooks.register("testbed_sections")
def testbed_sections():
    from .sections import TEMPLATE, testbed_prefetches

    return [{"template": TEMPLATE, "prefetch": testbed_prefetches(), "order": 50}]


@hooks.register("api_resources", order=50)
def api_resources():
    from .api import RESOURCES

    return RESOURCES
