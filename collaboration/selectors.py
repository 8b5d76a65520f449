"""Reads of actors for other apps: they go through these functions, never through
collaboration's models (tests/test_architecture.py)."""

from .models import Actor


def actors():
    """Every actor, by name (the choices of a form's organisation field)."""
    return Actor.objects.order_by("name")
