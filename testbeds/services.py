"""Writes that do more than save one form, shared by the admin, views and commands."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from audit.services import record_publishing
from sodertorn.cache import content_changed
from sodertorn.history import record_changes

from .models import Testbed


@transaction.atomic
def set_published(testbeds: QuerySet[Testbed], *, published: bool) -> int:
    """Publish or unpublish testbeds; returns how many changed (updated_at is bumped).
    Each changed testbed gets a history record and an audit entry."""
    ids = list(testbeds.exclude(published=published).values_list("pk", flat=True))
    changed = (
        Testbed.objects.filter(pk__in=ids)
        .exclude(published=published)
        .update(published=published, updated_at=timezone.now())
    )
    if changed:
        content_changed()  # update() sends no model signals: refresh the cached pages
        # A history record and an audit entry per testbed, in a few queries.
        record_publishing(record_changes(Testbed, ids), published=published)
    return changed
