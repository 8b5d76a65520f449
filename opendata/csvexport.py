"""CSV files of the list pages, for spreadsheets: one row per object, written by the portal's
one CSV writer (sodertorn.csvwriter: UTF-8 with a byte-order mark, no cell that a spreadsheet
would run as a formula).

An export filters the rows of its API resource (resources.py), with the resource's queryset and
filters. Its columns are not the resource's fields: a spreadsheet row is flat (a testbed's
latitude and longitude rather than its GeoJSON, a result's testbed as slug and title, names
joined with "; "), so the columns are declared here, once, for the CSV alone.

Language, by decision: the file follows the page it is downloaded from (/testbaddar/export.csv
Swedish, /en/testbaddar/export.csv English): its text (read with that language active, so a
translated field gives its English text or its Swedish fallback), the labels of choices
(``status_label``, ``kind_label``) and the links to the HTML pages. The header row and the
choice codes (``status``, ``kind``) are the same in both languages: they are the file's stable
column keys, which scripts, the tests and the data page rely on; the labels sit beside them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sodertorn import csvwriter

from . import resources


def _names(items) -> str:
    return "; ".join(item.name for item in items)


@dataclass(frozen=True)
class Export:
    filename: str
    resource: str  # the API resource whose rows and filters it exports
    columns: tuple[tuple[str, Callable], ...]  # (header, value of a row)

    def filterset(self, data, request):
        return resources.by_name(self.resource).filterset(data, request)

    def render(self, rows, links) -> str:
        return csvwriter.render(
            [header for header, _value in self.columns],
            ([value(row, links) for _header, value in self.columns] for row in rows),
        )


TESTBEDS = Export(
    "testbaddar.csv",
    "testbeds",
    (
        ("id", lambda t, links: t.pk),
        ("slug", lambda t, links: t.slug),
        ("title", lambda t, links: t.title),
        ("status", lambda t, links: t.status),
        ("status_label", lambda t, links: t.get_status_display()),
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
)

RESULTS = Export(
    "resultat.csv",
    "results",
    (
        ("id", lambda r, links: r.pk),
        ("slug", lambda r, links: r.slug),
        ("title", lambda r, links: r.title),
        ("kind", lambda r, links: r.kind),
        ("kind_label", lambda r, links: r.get_kind_display()),
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
