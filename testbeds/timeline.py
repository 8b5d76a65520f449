"""A testbed's timeline: one dated line per thing that happened, joined from every app.

Each app adds its events with a ``testbed_timeline`` hook (sodertorn/hooks.py): a function
``(testbed) -> list[Event]`` that reads what it needs in a bounded number of queries (one or
two per app, whatever the number of events), so the testbed page, its Atom feed
(/testbaddar/<slug>/flode/) and the API's testbed answer cost the same at any size.

Only public things are events: published results, published work of public idea groups,
rounds of a public testbed, the collaboration group's meetings and decisions. A day's events
keep the order the apps give (``order``), so "the testbed started" comes before what
happened the same day.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from sodertorn import hooks
from sodertorn.timeline import NEWEST_FIRST, OLDEST_FIRST, Event, named

__all__ = ["NEWEST_FIRST", "OLDEST_FIRST", "Event", "named", "events", "testbed_events"]


def events(testbed, *, newest_first: bool = False) -> list[Event]:
    """Every app's events for ``testbed``, oldest first (or newest first)."""
    found = [event for hook in hooks.get_hooks("testbed_timeline") for event in hook(testbed)]
    found.sort(key=lambda e: (e.date, e.order, e.label, e.name))
    if newest_first:
        found.reverse()
    return found


def testbed_events(testbed) -> list[Event]:
    """The testbed's own period (no query: it is the testbed's own row)."""
    today = timezone.localdate()
    found = [
        Event(
            testbed.start_date,
            "testbed",
            _("The testbed started") if testbed.start_date <= today else _("The testbed starts"),
            url=testbed.get_absolute_url(),
            order=0,
        )
    ]
    if testbed.end_date:
        ended = testbed.end_date <= today
        found.append(
            Event(
                testbed.end_date,
                "testbed",
                _("The testbed ended") if ended else _("The testbed is planned to end"),
                url=testbed.get_absolute_url(),
                order=99,
            )
        )
    return found
