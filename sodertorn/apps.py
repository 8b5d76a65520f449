from django.apps import AppConfig
from django.contrib.admin.apps import SimpleAdminConfig
from django.db.models.signals import post_migrate
from modeltranslation.apps import ModeltranslationConfig as BaseModeltranslationConfig


class AdminConfig(SimpleAdminConfig):
    """The admin without autodiscovery (see below), on our own site class: the admin asks
    staff for a second factor (sodertorn/admin_site.py)."""

    default_site = "sodertorn.admin_site.StaffAdminSite"


class ModeltranslationConfig(BaseModeltranslationConfig):
    """django-modeltranslation, then the history models: built after the translated fields
    (``title_sv``, ``title_en``) are added, so history records and restores keep both
    languages (sodertorn/history.py)."""

    def ready(self):
        super().ready()
        from . import translated_ordering
        from .history import build_history_models

        translated_ordering.install()
        build_history_models()


class SodertornConfig(AppConfig):
    """The kernel: discovers the project apps' hooks (sodertorn/hooks.py) and registers the
    admin modules explicitly.

    The default admin config autodiscovers every installed app's `admin` module, which
    imports `leaflet.admin` and through it GeoDjango (GDAL). We use SimpleAdminConfig and
    import the admin modules of the installed packages named below, then our own project
    apps' (those with a `hooks` module), found by sodertorn.hooks.
    """

    name = "sodertorn"
    verbose_name = "Södertörnsmodellen"
    # Installed packages whose admin we use; the project apps' admin modules come after them
    # (sodertorn.admin after django.contrib.auth: it re-registers users and groups).
    package_admin_modules = (
        "axes",
        "django.contrib.auth",
        "django_otp.plugins.otp_totp",  # TOTP devices: superusers set up staff's second factor
    )

    def ready(self):
        from importlib import import_module

        from django.conf import settings
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from . import checks, hooks  # noqa: F401 (checks: registers the system checks)
        from .cache import register_project_models
        from .db import ensure_sqlite_directories, sqlite_unicode_lower
        from .security import start_staff_clock

        hooks.autodiscover()
        ensure_sqlite_directories(settings.DATABASES)
        connection_created.connect(sqlite_unicode_lower)
        user_logged_in.connect(start_staff_clock, dispatch_uid="sodertorn-staff-idle-clock")
        # Cached public pages are refreshed whenever a model of our own apps changes.
        register_project_models()

        admin.site.site_header = "Södertörnsmodellen"
        admin.site.site_title = "Södertörnsmodellen"
        for app in self.package_admin_modules:
            if app in settings.INSTALLED_APPS:
                import_module(f"{app}.admin")
        hooks.project_modules("admin")

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
