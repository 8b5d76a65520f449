"""The testbeds app's plug-ins (sodertorn/hooks.py): its main-menu entries and its open-data
resource (api.py)."""

from django.utils.translation import gettext_lazy as _

from sodertorn import hooks


@hooks.register("menu_items")
def menu_items():
    return [
        hooks.MenuItem(10, _("Home"), "testbeds:home"),
        hooks.MenuItem(20, _("Testbeds"), "testbeds:list", ("testbeds:list", "testbeds:detail")),
        hooks.MenuItem(
            50,
            _("Municipalities"),
            "testbeds:municipalities",
            ("testbeds:municipalities", "testbeds:municipality"),
        ),
    ]


@hooks.register("api_resources", order=10)
def api_resources():
    from .api import RESOURCES

    return RESOURCES


@hooks.register("testbed_timeline", order=10)
def testbed_timeline(testbed):
    from .timeline import testbed_events

    return testbed_events(testbed)


@hooks.register("base_map_areas", order=10)
def base_map_areas():
    from sodertorn.geo.basemap import Source

    from .basemap import base_map_areas

    return [Source(group="programme", areas=("testbeds.municipality",), load=base_map_areas)]
