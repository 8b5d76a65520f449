"""CSV files of the list pages, for spreadsheets: one row per object, written by the portal's
one CSV writer (sodertorn.csvwriter: UTF-8 with a byte-order mark, no cell that a spreadsheet
would run as a formula)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from results.filters import ResultFilter
from sodertorn import csvwriter
from testbeds.filters import TestbedFilter

from . import resources


def _names(items) -> str:
    return "; ".join(item.name for item in items)


@dataclass(frozen=True)
class Export:
    filename: str
    filterset_class: type
    queryset: Callable[[], QuerySet]
    columns: tuple[tuple[str, Callable], ...]  # (header, value of a row)
    # (data, request=) -> the filterset, when the owning app has one (the catalogue's selector)
    filter_rows: Callable | None = None

    def filterset(self, data, request):
        return resources.make_filterset(self, data, request)

    def render(self, rows, links) -> str:
        return csvwriter.render(
            [header for header, _value in self.columns],
            ([value(row, links) for _header, value in self.columns] for row in rows),
        )


TESTBEDS = Export(
    "testbaddar.csv",
    TestbedFilter,
    resources.testbeds,
    (
        ("id", lambda t, links: t.pk),
        ("slug", lambda t, links: t.slug),
        ("title", lambda t, links: t.title),
        ("status", lambda t, links: t.status),
        ("start_date", lambda t, links: t.start_date),
        ("end_date", lambda t, links: t.end_date),
        ("municipalities", lambda t, links: _names(t.municipalities.all())),
        ("themes", lambda t, links: _names(t.themes.all())),
        ("place_name", lambda t, links: t.place_name),
        ("latitude", lambda t, links: t.latitude),
        ("longitude", lambda t, links: t.longitude),
        ("question", lambda t, links: t.question),
        ("summary", lambda t, links: t.summary),
        ("is_demo", lambda t, links: t.is_demo),
        ("url", lambda t, links: links.html(t)),
    ),
    filter_rows=resources.testbed_catalogue,
)

RESULTS = Export(
    "resultat.csv",
    ResultFilter,
    resources.results,
    (
        ("id", lambda r, links: r.pk),
        ("slug", lambda r, links: r.slug),
        ("title", lambda r, links: r.title),
        ("kind", lambda r, links: r.kind),
        ("date", lambda r, links: r.date),
        ("testbed", lambda r, links: r.testbed.slug),
        ("testbed_title", lambda r, links: r.testbed.title),
        (
            "idea_group",
            lambda r, links: r.idea_group.name if r.idea_group and r.idea_group.published else "",
        ),
        ("municipalities", lambda r, links: _names(r.testbed.municipalities.all())),
        ("themes", lambda r, links: _names(r.testbed.themes.all())),
        ("summary", lambda r, links: r.summary),
        ("is_demo", lambda r, links: r.is_demo),
        ("url", lambda r, links: links.html(r)),
    ),
)
