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
