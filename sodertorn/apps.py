from django.apps import AppConfig


class SodertornConfig(AppConfig):
    """Project-level app: registers our admin modules explicitly.

    The default admin config autodiscovers every installed app's `admin` module, which
    imports `leaflet.admin` and through it GeoDjango (GDAL). We use SimpleAdminConfig and
    import only our own apps' admin modules here.
    """

    name = "sodertorn"
    verbose_name = "Södertörnsmodellen"
    admin_apps = (
        "testbeds",
        "axes",
        "django.contrib.auth",
        "collaboration",
        "ideagroups",
        "indicators",
        "results",
        "dialogue",
        "competences",
        "audit",
    )

    def ready(self):
        from importlib import import_module

        from django.conf import settings
        from django.contrib import admin
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401 (registers the project's system checks)
        from .cache import register_project_models
        from .db import sqlite_unicode_lower

        connection_created.connect(sqlite_unicode_lower)
        # Cached public pages are refreshed whenever a model of our own apps changes.
        register_project_models()

        admin.site.site_header = "Södertörnsmodellen"
        admin.site.site_title = "Södertörnsmodellen"
        for app in self.admin_apps:
            if app in settings.INSTALLED_APPS:
                import_module(f"{app}.admin")
