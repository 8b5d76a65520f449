"""Feedback on the site's accessibility: the feedback function the accessibility statement must
offer (lagen om tillgänglighet till digital offentlig service, 2018:1937). Stored here and
mailed to the curators (about.services.send_feedback)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 4000


class Feedback(models.Model):
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    page = models.CharField(
        _("page"), max_length=500, blank=True, help_text=_("The address the feedback is about.")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    # The nonce of the form's signed time stamp (sodertorn/formguard.py): unique, so one form
    # stamp sends one message. A random string, no personal data.
    stamp = models.CharField(_("form stamp"), max_length=64, unique=True, editable=False)
    handled = models.BooleanField(_("handled"), default=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
        editable=False,
    )
    note = models.TextField(
        _("curator's note"), blank=True, help_text=_("What was done; never shown publicly.")
    )

    page_cache_exempt = True  # no public page shows it

    class Meta:
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        text = " ".join(self.message.split())
        return text if len(text) <= 60 else f"{text[:59]}…"
