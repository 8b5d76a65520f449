"""Reads of actors for other apps: they go through these functions, never through
collaboration's models (tests/test_architecture.py)."""

from django.db.models import Count

from .models import Actor, CollaborationGroup, Grant


def actors():
    """Every actor, by name (the choices of a form's organisation field)."""
    return Actor.objects.order_by("name")


def group_summary() -> dict | None:
    """The collaboration group with its numbers of seats, meetings and adopted solutions (one
    query), or None before it exists."""
    return (
        CollaborationGroup.objects.annotate(
            seat_count=Count("seats", distinct=True),
            meeting_count=Count("meetings", distinct=True),
            solution_count=Count("system_solutions", distinct=True),
        )
        .values("name", "seat_count", "meeting_count", "solution_count")
        .first()
    )


def grants():
    """Every grant and project record, the programme's own funding first, with what its card
    shows (a constant number of queries)."""
    return Grant.objects.with_relations().order_by("kind", "start_date", "title")


def grant_by_reference(reference: str):
    """The grant or project with the funder's reference number, or None."""
    if not reference:
        return None
    return Grant.objects.select_related("funder").filter(reference=reference).first()
