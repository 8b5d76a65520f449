from django.apps import AppConfig
from django.contrib.admin.apps import SimpleAdminConfig
from django.db.models.signals import post_migrate


class AdminConfig(SimpleAdminConfig):
    """The admin without autodiscovery (see below), on our own site class: the admin asks
    staff for a second factor (sodertorn/admin_site.py)."""

    default_site = "sodertorn.admin_site.StaffAdminSite"


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
        "sodertorn",  # after auth: users and groups for superusers only
        "collaboration",
        "ideagroups",
        "indicators",
        "results",
        "dialogue",
        "competences",
        "django_otp.plugins.otp_totp",  # TOTP devices: superusers set up staff's second factor
        "audit",
    )

    def ready(self):
        from importlib import import_module

        from django.conf import settings
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401 (registers the project's system checks)
        from .cache import register_project_models
        from .db import sqlite_unicode_lower
        from .security import start_staff_clock

        connection_created.connect(sqlite_unicode_lower)
        user_logged_in.connect(start_staff_clock, dispatch_uid="sodertorn-staff-idle-clock")
        # Cached public pages are refreshed whenever a model of our own apps changes.
        register_project_models()

        admin.site.site_header = "Södertörnsmodellen"
        admin.site.site_title = "Södertörnsmodellen"
        for app in self.admin_apps:
            if app in settings.INSTALLED_APPS or app == self.name:
                import_module(f"{app}.admin")

        # The role groups, all at once from the one declaration (sodertorn/roles.py), after
        # every migrate and flush (a flush, as in tests that truncate tables, removes them).
        # post_migrate is sent only for apps with models, once each, after all migrations:
        # the groups are auth's, so on its signal (the handler itself covers every app).
        from django.apps import apps

        from . import roles

        post_migrate.connect(
            roles.ensure_roles_after_migrate,
            sender=apps.get_app_config("auth"),
            dispatch_uid="sodertorn.roles.ensure_roles",
        )
