"""History of content changes (django-simple-history), model side.

Models declare ``history = History(...)``: every save, delete and many-to-many change of them
writes a history record with the user (HistoryRequestMiddleware), the time and the whole row,
so the admin shows field-level differences and restores any version, including deleted
objects (sodertorn/history_admin.py). Files keep their name only (the file is not copied).

``update()`` and other bulk writes send no signals: call ``record_changes`` after them.
Indicator observations have no per-row history; each import is in the audit log instead.
"""

from simple_history.models import HistoricalRecords


class History(HistoricalRecords):
    """HistoricalRecords that can also be reached from the model (``record_changes``)."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if self.cls is sender:
            sender._meta.history_records = self


def is_tracked(model) -> bool:
    return getattr(model._meta, "history_records", None) is not None


def record_changes(model, pks, *, history_type: str = "~", user=None) -> int:
    """Write a history record for each of these rows as they are now (after an ``update()``);
    returns how many were written."""
    if not is_tracked(model) or not pks:
        return 0
    records = model._meta.history_records
    count = 0
    for instance in model._default_manager.filter(pk__in=list(pks)):
        if user is not None and getattr(user, "pk", None):
            instance._history_user = user
        records.create_historical_record(instance, history_type)
        count += 1
    return count
