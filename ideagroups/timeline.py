"""The idea groups' lines on a testbed's timeline (testbeds/timeline.py): the published work
of the public groups working on it, newest LIMIT of them, in one query."""

from django.utils.translation import gettext as _

from sodertorn.timeline import Event, named

from .models import WorkEntry

LIMIT = 50


def testbed_events(testbed) -> list[Event]:
    entries = (
        WorkEntry.objects.published()
        .filter(group__testbeds=testbed)
        .select_related("group")
        .only("title", "kind", "date", "group__name", "group__slug")
        .distinct()
        .order_by("-date", "-pk")[:LIMIT]
    )
    return [
        Event(
            entry.date,
            "ideagroup",
            _("%(kind)s from %(group)s")
            % {"kind": entry.get_kind_display(), "group": entry.group.name},
            **named(entry),
            order=40,
        )
        for entry in entries
    ]
