"""The results' lines on a testbed's timeline (testbeds/timeline.py): its published results,
and the films that explain them on the result's date (a film has no date of its own); one
query each (none for the results where the testbed comes with them prefetched)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from sodertorn.timeline import Event, named

from .models import Film, Result

LIMIT = 50


def testbed_events(testbed) -> list[Event]:
    # The testbed page has its published results already (the results section's prefetch,
    # results/hooks.py): no second query for the same rows.
    results = getattr(testbed, "published_results", None)
    if results is None:
        results = (
            Result.objects.published()
            .filter(testbed=testbed)
            .only("title", "slug", "kind", "date", "testbed")
            .order_by("-date", "-pk")
        )
    results = results[:LIMIT]
    films = (
        Film.objects.published()
        .filter(Q(testbed=testbed) | Q(result__testbed=testbed), result__isnull=False)
        .select_related("result")
        .only("title", "slug", "result__date")
        .order_by("-result__date", "-pk")[:LIMIT]
    )
    found = [
        Event(
            result.date,
            "result",
            _("Result published: %(kind)s") % {"kind": result.get_kind_display()},
            **named(result),
            order=70,
        )
        for result in results
    ]
    found += [Event(film.result.date, "film", _("Film"), **named(film), order=71) for film in films]
    return found
