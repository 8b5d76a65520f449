"""The collaboration app's plug-ins (sodertorn/hooks.py): menu entries and testbed-page
sections."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from sodertorn import hooks


@hooks.register("menu_items")
def menu_items():
    return [
        hooks.MenuItem(80, _("Actors"), "collaboration:actors", ("collaboration:*",)),
        hooks.MenuItem(120, _("Collaboration"), "collaboration:group"),
    ]


@hooks.register("testbed_sections")
def testbed_sections():
    from .models import ContactPerson, Grant

    return [
        {
            "template": "collaboration/_testbed_contacts.html",
            "prefetch": [
                Prefetch(
                    "contacts",
                    queryset=ContactPerson.objects.select_related("actor").order_by(
                        "order", "name"
                    ),
                    to_attr="contact_list",
                )
            ],
            "order": 30,
        },
        {
            "template": "collaboration/_testbed_grants.html",
            "prefetch": [
                Prefetch(
                    "grants",
                    queryset=Grant.objects.select_related("funder", "coordinator").order_by(
                        "start_date"
                    ),
                    to_attr="grant_list",
                )
            ],
            "order": 40,
        },
    ]


@hooks.register("api_resources", order=40)
def api_resources():
    from .api import RESOURCES

    return RESOURCES
