"""The dialogue's lines on a testbed's timeline (testbeds/timeline.py): each round opened and,
once closed, closed with what was said and answered. One query for all of them."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sodertorn.timeline import Event, named

from .models import Contribution, DialogueRound

LIMIT = 50  # rounds; a testbed has a handful


def testbed_events(testbed) -> list[Event]:
    today = timezone.localdate()
    approved = Q(contributions__status=Contribution.Status.APPROVED)
    rounds = (
        DialogueRound.objects.filter(testbed=testbed)
        .annotate(
            public_total=Count("contributions", filter=approved, distinct=True),
            answered_total=Count(
                "contributions",
                filter=approved & Q(contributions__responses__isnull=False),
                distinct=True,
            ),
        )
        .only("title", "slug", "stage", "opens_on", "closes_on")
        .order_by("-opens_on")[:LIMIT]
    )
    found = []
    for round_ in rounds:
        stage = round_.get_stage_display()
        opened = round_.opens_on <= today
        found.append(
            Event(
                round_.opens_on,
                "dialogue",
                (_("%(stage)s opened") if opened else _("%(stage)s opens")) % {"stage": stage},
                **named(round_),
                order=20,
            )
        )
        if round_.closes_on < today:
            said = ngettext(
                "%(count)d contribution published",
                "%(count)d contributions published",
                round_.public_total,
            ) % {"count": round_.public_total}
            answered = ngettext(
                "%(count)d answered", "%(count)d answered", round_.answered_total
            ) % {"count": round_.answered_total}
            found.append(
                Event(
                    round_.closes_on,
                    "dialogue",
                    _("%(stage)s closed") % {"stage": stage},
                    **named(round_),
                    detail=f"{said}, {answered}",
                    order=80,
                )
            )
    return found
