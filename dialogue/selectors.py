"""Reads for the dialogue pages: every public page and export goes through these."""

from django.db.models import Prefetch

from .models import Contribution, DialogueRound, Response


def public_rounds():
    return DialogueRound.objects.published().select_related("testbed")


def public_contributions(round_):
    """The approved contributions of a round, newest first, with their answers."""
    return (
        Contribution.objects.public()
        .filter(round=round_)
        .prefetch_related(Prefetch("responses", queryset=Response.objects.order_by("created_at")))
        .order_by("-created_at", "-id")
    )


def testbed_rounds_prefetch() -> Prefetch:
    """The rounds shown in the testbed page's dialogue section (with public counts)."""
    return Prefetch(
        "dialogue_rounds",
        queryset=DialogueRound.objects.with_counts().order_by("-opens_on", "-id"),
        to_attr="public_dialogue_rounds",
    )
