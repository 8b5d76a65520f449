"""A resident's private receipt: a link that shows their contribution's status and nothing else.

The link carries the contribution's id signed with the site's key (``django.core.signing``,
its own salt; the same link every time), so nothing is stored that could tie a person to a
contribution, and no one can guess another contribution's link. The page shows what the
resident wrote, where it stands (waiting for moderation, published, answered, not published)
and the municipality's answer, never the name, the area or a hiding reason: whoever holds the
link learns no one's identity.
"""

from django.core import signing
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Contribution, Response

SALT = "dialogue.receipt"


class Status:
    """What the receipt says: a key for the page's class and a sentence."""

    WAITING = "waiting"
    PUBLISHED = "published"
    ANSWERED = "answered"
    NOT_PUBLISHED = "not-published"

    LABELS = {
        WAITING: _("Waiting for moderation"),
        PUBLISHED: _("Published, waiting for the municipality's answer"),
        ANSWERED: _("Answered by the municipality"),
        NOT_PUBLISHED: _("Not published"),
    }


def token(contribution: Contribution) -> str:
    return signing.Signer(salt=SALT).sign_object(contribution.pk, compress=True)


def url(contribution: Contribution) -> str:
    return reverse("dialogue:receipt", kwargs={"token": token(contribution)})


def contribution_for(value: str) -> Contribution | None:
    """The contribution a receipt token names, or None (a forged, mistyped or erased one)."""
    try:
        pk = signing.Signer(salt=SALT).unsign_object(value)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return (
        Contribution.objects.filter(pk=pk)
        .select_related("round", "round__testbed")
        .prefetch_related(Prefetch("responses", queryset=Response.objects.order_by("created_at")))
        .first()
    )


def status(contribution: Contribution) -> str:
    if contribution.status == Contribution.Status.PENDING:
        return Status.WAITING
    if (
        contribution.status == Contribution.Status.HIDDEN
        or not contribution.round.testbed.published
    ):
        return Status.NOT_PUBLISHED
    if contribution.responses.all():
        return Status.ANSWERED
    return Status.PUBLISHED
