"""Writes that do more than save one form, shared by the admin, views and commands."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Testbed


@transaction.atomic
def set_published(testbeds: QuerySet[Testbed], *, published: bool) -> int:
    """Publish or unpublish testbeds; returns how many changed (updated_at is bumped)."""
    return testbeds.exclude(published=published).update(
        published=published, updated_at=timezone.now()
    )
