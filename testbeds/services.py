"""Writes that do more than save one form, shared by the admin, views and commands."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from sodertorn.cache import content_changed

from .models import Testbed


@transaction.atomic
def set_published(testbeds: QuerySet[Testbed], *, published: bool) -> int:
    """Publish or unpublish testbeds; returns how many changed (updated_at is bumped)."""
    changed = testbeds.exclude(published=published).update(
        published=published, updated_at=timezone.now()
    )
    if changed:
        content_changed()  # update() sends no model signals: refresh the cached pages
    return changed
