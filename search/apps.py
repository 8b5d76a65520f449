import sys
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def project_app_configs():
    """The project's own apps (not installed packages such as django.contrib.postgres,
    which has a `search` module of its own)."""
    base, packages = Path(settings.BASE_DIR).resolve(), Path(sys.prefix).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and not path.is_relative_to(packages):
            yield config


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        # Each project app's `<app>.search` module registers its content (search/registry.py).
        for config in project_app_configs():
            module_name = f"{config.name}.search"
            if config.name != self.name and find_spec(module_name) is not None:
                import_module(module_name)
