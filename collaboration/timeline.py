"""The collaboration group's lines on a testbed's timeline (testbeds/timeline.py): meetings
that discussed it, solutions adopted for it and grants it received; one query each (none for
the grants where the testbed comes with them prefetched)."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from sodertorn.timeline import Event, named

from .models import Grant, Meeting, SystemSolution

LIMIT = 50


def testbed_events(testbed) -> list[Event]:
    meetings = (
        Meeting.objects.filter(testbeds_discussed=testbed)
        .only("title", "date")
        .order_by("-date", "-pk")[:LIMIT]
    )
    solutions = (
        SystemSolution.objects.filter(testbeds=testbed, adopted_on__isnull=False)
        .only("title", "slug", "adopted_on")
        .order_by("-adopted_on")[:LIMIT]
    )
    # The testbed page has its grants already (the grants section's prefetch,
    # collaboration/hooks.py, oldest first): no second query for the same rows.
    grants = getattr(testbed, "grant_list", None)
    if grants is not None:
        grants = sorted(grants, key=lambda grant: grant.start_date, reverse=True)[:LIMIT]
    else:
        grants = (
            Grant.objects.filter(testbeds=testbed)
            .select_related("funder")
            .only(
                "title",
                "slug",
                "reference",
                "amount_sek",
                "start_date",
                "date_precision",
                "funder__name",
            )
            .order_by("-start_date")[:LIMIT]
        )
    found = [
        Event(
            meeting.date,
            "collaboration",
            _("Discussed by the collaboration group"),
            **named(meeting),
            order=60,
        )
        for meeting in meetings
    ]
    found += [
        Event(
            solution.adopted_on,
            "collaboration",
            _("The collaboration group adopted a system solution"),
            **named(solution),
            order=61,
        )
        for solution in solutions
    ]
    found += [
        Event(
            grant.start_date,
            "grant",
            _("Grant %(reference)s began") % {"reference": grant.reference}
            if grant.reference
            else _("A grant began"),
            **{**named(grant), "url": f"{testbed.get_absolute_url()}#finansiering"},
            detail=_("%(funder)s, %(amount)s SEK")
            % {"funder": grant.funder.name, "amount": intcomma(grant.amount_sek)},
            order=5,
            precision=grant.date_precision,
        )
        for grant in grants
    ]
    return found
