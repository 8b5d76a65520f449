from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit log: logins, lockouts, permission changes, publishing, moderation, deletes
    and imports (audit/signals.py connects the signals, the kernel's sodertorn/signals.py among
    them; apps' services call audit.services)."""

    name = "audit"
    verbose_name = _("Audit log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.connect()
