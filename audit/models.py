from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKED_OUT = "locked_out", _("Locked out")
    GROUPS = "groups", _("Groups changed")
    PERMISSIONS = "permissions", _("Permissions changed")
    STAFF_STATUS = "staff_status", _("Staff or superuser status changed")
    PUBLISH = "publish", _("Published")
    UNPUBLISH = "unpublish", _("Unpublished")
    APPROVE = "approve", _("Contributions approved")
    HIDE = "hide", _("Contributions hidden")
    DELETE = "delete", _("Deleted")
    RESTORE = "restore", _("Restored")
    IMPORT = "import", _("Indicator import")
    ERASE = "erase", _("Personal data erased")


class AuditEntry(models.Model):
    """One thing that happened, kept for the record: never changed, never deleted by the app."""

    Action = Action

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(
        _("user name"),
        max_length=150,
        blank=True,
        help_text=_("Kept when the account is deleted; for failed logins, the name tried."),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("object type"),
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object")]

    def __str__(self):
        who = self.username or "—"
        return f"{self.at:%Y-%m-%d %H:%M} {who}: {self.get_action_display()} {self.object_repr}"
