"""The results app's plug-ins (sodertorn/hooks.py): menu entries, testbed-page sections and
the open-data resources (api.py)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from sodertorn import hooks


@hooks.register("menu_items")
def menu_items():
    return [
        hooks.MenuItem(30, _("Results"), "results:list", ("results:*",)),
        hooks.MenuItem(40, _("Films"), "films:list", ("films:*",)),
    ]


@hooks.register("testbed_sections")
def testbed_sections():
    from .models import Film, GalleryImage, Result

    return [
        {
            "template": "results/_testbed_gallery.html",
            "prefetch": [Prefetch("images", queryset=GalleryImage.objects.order_by("order", "id"))],
            "order": 10,
        },
        {
            "template": "results/_testbed_results.html",
            "prefetch": [
                Prefetch(
                    "results",
                    queryset=Result.objects.published().order_by("-date"),
                    to_attr="published_results",
                )
            ],
            "order": 30,
        },
        {
            "template": "results/_testbed_films.html",
            "prefetch": [Prefetch("films", queryset=Film.objects.published())],
            "order": 40,
        },
    ]


@hooks.register("api_resources", order=20)
def api_resources():
    from .api import RESOURCES

    return RESOURCES


@hooks.register("testbed_timeline")
def testbed_timeline(testbed):
    from .timeline import testbed_events

    return testbed_events(testbed)
