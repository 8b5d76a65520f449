from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        # Each project app's `<app>.search` module lists its `sources` (sodertorn/searchable.py);
        # the project apps are those with a hooks module (sodertorn/hooks.py), whatever the
        # order of INSTALLED_APPS.
        from sodertorn import hooks

        from . import registry

        for module in hooks.project_modules("search", exclude=(self.name,)):
            for source in getattr(module, "sources", ()):
                registry.register(source)
