"""The about app's plug-ins (sodertorn/hooks.py): "About the programme" in the main menu. The
accessibility statement and the personal-data page are linked from every page's footer
(templates/base.html), with the programme page; this module also makes the app a project app
(its models in the page cache, its roles, admin, sitemap and search found)."""

from django.utils.translation import gettext_lazy as _

from sodertorn import hooks


@hooks.register("menu_items")
def menu_items():
    return [hooks.MenuItem(130, _("About the programme"), "about:programme")]
