"""The portal's one CSV writer: every CSV file a visitor can download is written here.

* UTF-8 with a byte-order mark first, so Excel in Sweden reads the file as UTF-8.
* No cell a spreadsheet would run as a formula (OWASP, "CSV injection"): a text cell that
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single quote
  first. Numbers and dates (``int``, ``float``, ``Decimal``, ``date``) are data, not formulas,
  and are written as they are, so ``-17.9`` stays a number. Text that merely looks like a
  number (a resident's "-2") is still text and is guarded.
* ``None`` is an empty cell, booleans are ``1``/``0``.

Use :func:`render` for a whole file as text, :func:`lines` for a streamed file and
:func:`response` for an HTTP response with the right headers. The module is ``csvwriter`` so
that it does not shadow the standard library's ``csv`` inside the package.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_cell(value) -> str:
    """One cell's text: formula triggers at the start of text are quoted (see module doc)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value, "f")  # never "1E+1"
    if isinstance(value, int | float | datetime.date):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable) -> list[str]:
    return [safe_cell(value) for value in values]


class _Echo:
    """A file-like object whose write() gives back what it was given (for streaming)."""

    def write(self, value):
        return value


def lines(header: Sequence[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The file line by line: the BOM and the header first, then one line per row."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row(row))


def render(header: Sequence[str], rows: Iterable[Iterable]) -> str:
    """The whole file as one text."""
    return "".join(lines(header, rows))


def response(
    header: Sequence[str],
    rows: Iterable[Iterable],
    *,
    filename: str,
    stream: bool = False,
    open_data: bool = False,
) -> HttpResponse | StreamingHttpResponse:
    """A download of the file. ``stream`` sends it as it is written (large files);
    ``open_data`` lets any web page read it (``Access-Control-Allow-Origin: *``)."""
    if stream:
        result = StreamingHttpResponse(lines(header, rows), content_type=CONTENT_TYPE)
    else:
        result = HttpResponse(render(header, rows), content_type=CONTENT_TYPE)
    result["Content-Disposition"] = f'attachment; filename="{filename}"'
    if open_data:
        result["Access-Control-Allow-Origin"] = "*"
    return result
