"""The collaboration app's plug-ins (sodertorn/hooks.py): menu entries, the sections of the
testbed, municipality and area pages, the testbed fact sheet's contacts and grants, and the
late link of the demo grants to their areas."""

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
                        "start_date", "title"
                    ),
                    to_attr="grant_list",
                )
            ],
            "order": 40,
        },
    ]


def _municipality_grants(municipality):
    from .models import Grant

    return {
        "concerning_grants": Grant.objects.for_municipality(municipality)
        .select_related("funder", "coordinator")
        .order_by("start_date", "title")
    }


def _area_grants(area):
    from .models import Grant

    return {
        "concerning_grants": Grant.objects.for_area(area)
        .select_related("funder", "coordinator")
        .order_by("start_date", "title")
    }


@hooks.register("municipality_sections")
def municipality_sections():
    return [
        {
            "template": "collaboration/_concerning_grants.html",
            "context": _municipality_grants,
            "order": 40,
        }
    ]


@hooks.register("area_sections")
def area_sections():
    return [
        {"template": "collaboration/_concerning_grants.html", "context": _area_grants, "order": 40}
    ]


@hooks.register("demo_finished")
def link_demo_grant_areas(*, database):
    from .demo import link_grant_areas

    link_grant_areas(database)


@hooks.register("api_resources", order=40)
def api_resources():
    from .api import RESOURCES

    return RESOURCES


@hooks.register("testbed_timeline")
def testbed_timeline(testbed):
    from .timeline import testbed_events

    return testbed_events(testbed)


# The fact sheet's bounded lists (one printed page): the first ones, the rest counted.
FACTSHEET_CONTACTS = 3
FACTSHEET_GRANTS = 6


def _bounded(queryset, limit: int) -> tuple[list, int]:
    """The first ``limit`` rows and how many more there are (a count only when the list is
    full): two queries at most, whatever the number of rows."""
    rows = list(queryset[:limit])
    more = queryset.count() - limit if len(rows) == limit else 0
    return rows, more


def _testbed_factsheet_contacts(testbed):
    from .models import ContactPerson

    contacts, more = _bounded(
        ContactPerson.objects.filter(testbed=testbed)
        .select_related("actor")
        .order_by("order", "name"),
        FACTSHEET_CONTACTS,
    )
    return {"factsheet_contacts": contacts, "factsheet_contacts_more": more}


def _testbed_factsheet_grants(testbed):
    from .models import Grant

    grants, more = _bounded(
        Grant.objects.filter(testbeds=testbed)
        .select_related("funder")
        .order_by("start_date", "title", "id"),
        FACTSHEET_GRANTS,
    )
    return {"factsheet_grants": grants, "factsheet_grants_more": more}


@hooks.register("testbed_factsheet")
def testbed_factsheet():
    return [
        {
            "template": "collaboration/_factsheet_grants.html",
            "context": _testbed_factsheet_grants,
            "order": 30,
        },
        {
            "template": "collaboration/_factsheet_contacts.html",
            "context": _testbed_factsheet_contacts,
            "order": 50,
        },
    ]
