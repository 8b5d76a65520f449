"""The indicators app's plug-ins (sodertorn/hooks.py): menu entries and the testbed-page
section (indicators/sections.py), the key indicators of the fact sheets (indicators/factsheet.py)
and the open-data resources (indicators/api.py)."""

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

    return [
        # The districts and small areas the testbed lies in (computed, indicators/selectors.py).
        {"template": "indicators/_testbed_areas.html", "order": 5},
        {"template": TEMPLATE, "prefetch": testbed_prefetches(), "order": 50},
    ]


@hooks.register("api_resources", order=50)
def api_resources():
    from .api import RESOURCES

    return RESOURCES


@hooks.register("base_map_areas", order=50)
def base_map_areas():
    from sodertorn.geo.basemap import Source

    from .basemap import base_map_areas

    return [Source(group="comparison", areas=("indicators.area",), load=base_map_areas)]


def _testbed_factsheet(testbed):
    from .factsheet import testbed_context

    return testbed_context(testbed)


def _municipality_factsheet(municipality):
    from .factsheet import municipality_context

    return municipality_context(municipality)


@hooks.register("testbed_factsheet")
def testbed_factsheet():
    from .factsheet import TEMPLATE

    return [{"template": TEMPLATE, "context": _testbed_factsheet, "order": 20}]


@hooks.register("municipality_factsheet")
def municipality_factsheet():
    from .factsheet import TEMPLATE

    return [{"template": TEMPLATE, "context": _municipality_factsheet, "order": 20}]
