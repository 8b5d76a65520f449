"""Project-level tables: the database-backed rate limit (sodertorn/ratelimit.py) and the
health check's heartbeat (sodertorn/health.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RateLimitEvent(models.Model):
    """One counted request (a password reset, …) of one key in one scope. The key is a keyed
    hash of the address or e-mail, so the table holds no addresses. Rows older than the
    scope's window are deleted as new ones come in."""

    scope = models.CharField(_("scope"), max_length=40)
    key = models.CharField(_("key (keyed hash)"), max_length=64)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    page_cache_exempt = True  # no page shows it: its writes leave the page cache alone

    class Meta:
        verbose_name = _("rate-limit event")
        verbose_name_plural = _("rate-limit events")
        indexes = [models.Index(fields=["scope", "key", "created_at"], name="ratelimit_lookup")]

    def __str__(self):
        return f"{self.scope} {self.key[:12]}"


class Heartbeat(models.Model):
    """One row that ``/healthz`` updates on every probe: proof that the database accepts
    writes (a read-only replica, a full disk or a read-only SQLite file answer ``SELECT 1``
    but refuse this). Not content: it is never shown and changes no cached page."""

    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = "heartbeat"

    def __str__(self):
        return f"heartbeat {self.beat_at:%Y-%m-%d %H:%M:%S}"
