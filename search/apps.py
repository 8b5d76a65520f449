from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        # Each project app's `<app>.search` module registers its content (search/registry.py).
        # The project apps are those with a hooks module (sodertorn/hooks.py); the kernel's
        # `hooks` discovery does not depend on the order of INSTALLED_APPS.
        from sodertorn import hooks

        hooks.project_modules("search", exclude=(self.name,))
