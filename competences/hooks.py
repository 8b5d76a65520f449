"""The competences app's plug-ins (sodertorn/hooks.py): its menu entry and its sections of
the testbed and actor pages."""

from django.utils.translation import gettext_lazy as _

from sodertorn import hooks


@hooks.register("menu_items")
def menu_items():
    return [hooks.MenuItem(110, _("Competences"), "competences:index")]


@hooks.register("actor_sections")
def actor_sections():
    # after the idea groups' section (20); the template reads the actor's suggestions itself
    return [{"template": "competences/_actor_section.html", "order": 50}]


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
