from django.db import models


class Heartbeat(models.Model):
    """One row that ``/healthz`` updates on every probe: proof that the database accepts
    writes (a read-only replica, a full disk or a read-only SQLite file answer ``SELECT 1``
    but refuse this). Not content: it is never shown and changes no cached page."""

    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = "heartbeat"

    def __str__(self):
        return f"heartbeat {self.beat_at:%Y-%m-%d %H:%M:%S}"
