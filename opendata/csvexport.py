"""CSV files of the list pages, for spreadsheets: UTF-8 with a byte-order mark (Excel in Sweden
reads the file as UTF-8 then), one row per object, and no cell that a spreadsheet would run as a
formula."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from results.filters import ResultFilter
from testbeds.filters import TestbedFilter

from . import resources

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ (or tab, CR) gets a quote first
    (OWASP's advice against CSV formula injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal | datetime.date):
        return str(value)  # numbers and dates are data, not formulas (-17.9 stays a number)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _names(items) -> str:
    return "; ".join(item.name for item in items)


@dataclass(frozen=True)
class Export:
    filename: str
    filterset_class: type
    queryset: Callable[[], QuerySet]
    columns: tuple[tuple[str, Callable], ...]  # (header, value of a row)

    def render(self, rows, links) -> str:
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow([header for header, _value in self.columns])
        for row in rows:
            writer.writerow([safe_cell(value(row, links)) for _header, value in self.columns])
        return buffer.getvalue()


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
