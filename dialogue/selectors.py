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


def summary_groups(round_) -> list[tuple]:
    """What was said in a closed round, grouped as its summary (the samrådsredogörelse) and
    its CSV show it: ``[(kind, contributions), ...]``, the proposals first, most supported
    first, then the comments in the order they came in; approved contributions only, each
    with its answers (two queries a group, whatever the count)."""
    public = public_contributions(round_)
    return [
        (
            Contribution.Kind.PROPOSAL,
            public.filter(kind=Contribution.Kind.PROPOSAL).order_by(
                "-support_count", "created_at", "id"
            ),
        ),
        (
            Contribution.Kind.COMMENT,
            public.filter(kind=Contribution.Kind.COMMENT).order_by("created_at", "id"),
        ),
    ]


def testbed_rounds_prefetch() -> Prefetch:
    """The rounds shown in the testbed page's dialogue section (with public counts)."""
    return Prefetch(
        "dialogue_rounds",
        queryset=DialogueRound.objects.with_counts().order_by("-opens_on", "-id"),
        to_attr="public_dialogue_rounds",
    )
