"""Feedback on the site's accessibility: the feedback function the accessibility statement must
offer (lagen om tillgänglighet till digital offentlig service, 2018:1937). Stored here and
mailed to the curators (about.services.send_feedback)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
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


class PageKey(models.TextChoices):
    PROGRAMME = "programme", _("About the programme")


class Page(models.Model):
    """One of the site's own text pages (about the programme), kept as a row so that the site
    search can find it: a search document belongs to a row (search/registry.py). The text
    itself is the page's template, one per language (about.views.document_template); the
    search indexes the Swedish one (about/search.py). A row per page, made by migration 0002;
    after a change to the template, ``manage.py rebuild_search_index`` (or ``load_demo``)
    re-reads it."""

    key = models.CharField(_("page"), max_length=40, choices=PageKey, unique=True)

    class Meta:
        verbose_name = _("text page")
        verbose_name_plural = _("text pages")
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(key__in=PageKey.values), name="page_key_valid"
            )
        ]

    def __str__(self):
        return str(PageKey(self.key).label)

    def get_absolute_url(self):
        return reverse(f"about:{self.key}")
