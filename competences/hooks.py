"""The competences app's plug-ins (sodertorn/hooks.py): its menu entry and testbed-page
section."""

from django.utils.translation import gettext_lazy as _

from sodertorn import hooks


@hooks.register("menu_items")
def menu_items():
    return [hooks.MenuItem(110, _("Competences"), "competences:index")]


@hooks.register("testbed_sections")
def testbed_sections():
    from .selectors import testbed_needs_prefetch

    return [
        {
            "template": "competences/_testbed_section.html",
            "prefetch": [testbed_needs_prefetch()],
            "order": 25,
        }
    ]
