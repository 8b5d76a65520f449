"""Writes for the indicators app: importing observations from CSV and Kolada v2 JSON.

One function, :func:`import_observations`, serves the ``import_indicators`` management
command, the admin upload and the benchmark. It reads the whole file first and reports every
bad row with its line (CSV) or record (JSON) and the reason; only a file without errors is
written, in one transaction, with bulk upserts on the (indicator, area, year, gender)
constraint. Rows whose value is already stored are left alone, so importing the same file
twice changes nothing. ``dry_run=True`` validates and counts without writing.

CSV: a header row naming the columns ``indicator``, ``area``, ``year``, ``value`` and,
optionally, ``gender`` (T, K or M; T when left out), ``note`` and ``is_example``; Swedish names
(indikator, område, år, värde, kön, anmärkning) work too. Comma, semicolon or tab separated,
UTF-8 (or UTF-16 with a byte-order mark, as Excel's "Unicode text" saves it); a decimal comma
is accepted ("1,5"; in a comma-separated file it must be quoted, else the line has a cell too
many and is refused). Extra named columns (such as ``area_name`` in the portal's own export) are
ignored, so an exported file can be imported again; a note that the export quoted against
spreadsheet formulas ("'=…") loses that quote again.

Every value or file an import can meet gives a message, never an exception: values too large
for the database, NaN and infinity, values outside the indicator's valid range
(``Indicator.min_value``/``max_value``), JSON nested too deeply, files that are not text.

Kolada: the JSON that ``/v2/data/kpi/{ids}/municipality/{ids}/year/{years}`` answers, saved to
disk: ``{"values": [{"kpi": "N00914", "municipality": "0127", "period": 2016,
"values": [{"gender": "T", "value": 78.1, "count": 1}, ...]}, ...]}`` (also wrapped with
``count``/``next_page``, or a bare list). ``kpi`` matches an indicator's Kolada KPI id (or its
code) and ``municipality`` an area's code. A ``null`` value is skipped and listed with a reason.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils.translation import gettext as _

from audit.services import audited_import
from sodertorn import csvwriter
from sodertorn.cache import areas_of, content_changed

from .models import MAX_YEAR, MIN_YEAR, Area, Gender, Indicator, Observation

BATCH_SIZE = 5000
VALUE_QUANTUM = Decimal("0.0001")  # Observation.value has four decimal places
MAX_ABS_VALUE = Decimal("1e12")  # max_digits=16 with four decimals

FORMAT_CSV = "csv"
FORMAT_KOLADA = "kolada"
FORMATS = (FORMAT_CSV, FORMAT_KOLADA)

COLUMN_ALIASES = {
    "indicator": ("indicator", "indikator", "indicator_code", "kpi"),
    "area": ("area", "område", "omrade", "area_code", "municipality", "kommun"),
    "year": ("year", "år", "ar", "period"),
    "value": ("value", "värde", "varde"),
    "gender": ("gender", "kön", "kon"),
    "note": ("note", "anmärkning", "anmarkning", "kommentar"),
    "is_example": ("is_example", "exempel", "example"),
}
REQUIRED_COLUMNS = ("indicator", "area", "year", "value")
TRUE_WORDS = {"1", "true", "yes", "ja", "sant", "x"}
FALSE_WORDS = {"", "0", "false", "no", "nej", "falskt"}


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header, JSON syntax)."""


class ValueTooLarge(ValueError):
    pass


class ValueNotFinite(ValueError):
    pass


SHOWN_CHARACTERS = 40  # of a bad value, in a message


def shown(raw) -> str:
    """A bad value as a message quotes it: at most SHOWN_CHARACTERS characters."""
    text = str(raw) if isinstance(raw, str | int | float | Decimal) else repr(type(raw).__name__)
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


@dataclass(frozen=True)
class RowProblem:
    """A bad or skipped row: `line` is the CSV line number, or the JSON record number."""

    line: int
    reason: str
    detail: str = ""  # e.g. the gender inside a Kolada record

    @property
    def where(self) -> str:
        if not self.line:
            return "–"  # the file as a whole
        return f"{self.line} ({self.detail})" if self.detail else str(self.line)


@dataclass
class ImportReport:
    format: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def location_label(self) -> str:
        return _("Line") if self.format == FORMAT_CSV else _("Record")

    def summary(self) -> str:
        if self.errors:
            return _(
                "%(errors)d bad row(s) in %(rows)d: nothing was imported. Correct the rows "
                "listed and import the file again."
            ) % {"errors": len(self.errors), "rows": self.rows}
        counts = {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
        }
        if self.dry_run:
            return (
                _(
                    "Dry run, nothing written: %(rows)d rows read; %(created)d would be added, "
                    "%(updated)d changed, %(unchanged)d are already up to date, %(skipped)d "
                    "skipped."
                )
                % counts
            )
        return (
            _(
                "%(rows)d rows read: %(created)d added, %(updated)d changed, %(unchanged)d "
                "already up to date, %(skipped)d skipped."
            )
            % counts
        )


@dataclass(frozen=True)
class RawRow:
    line: int
    indicator: str
    area: str
    year: object
    value: object
    gender: object = Gender.TOTAL
    note: str = ""
    is_example: object = False
    detail: str = ""
    kolada: bool = False


# Reading ------------------------------------------------------------------------------------


def detect_format(name: str, data: bytes) -> str:
    lowered = (name or "").lower()
    if lowered.endswith(".json"):
        return FORMAT_KOLADA
    if lowered.endswith((".csv", ".tsv", ".txt")):
        return FORMAT_CSV
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return FORMAT_KOLADA if head in (b"{", b"[") else FORMAT_CSV


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), or UTF-16 with its byte-order mark."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("The file is not valid UTF-16 text (byte %(position)d).")
                % {"position": exc.start + 1}
            ) from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            if b"\x00" in data[:4096]:
                message = _(
                    "This is not a text file (line %(line)d, byte %(position)d): import a CSV "
                    "or a Kolada JSON file."
                )
            else:
                message = _(
                    "The file is not UTF-8 text (line %(line)d, byte %(position)d): it may be "
                    "Latin-1 or Windows-1252. Save it as “CSV UTF-8” or as UTF-8 JSON and "
                    "try again."
                )
            raise ImportFileError(message % {"line": line, "position": exc.start + 1}) from exc
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportFileError(
            _(
                "This is not a text file (line %(line)d holds a NUL character): import a CSV "
                "or a Kolada JSON file."
            )
            % {"line": line}
        )
    return text


def _column_map(header: list[str]) -> dict[str, int]:
    normalised = [name.strip().lower() for name in header]
    columns = {}
    for column, aliases in COLUMN_ALIASES.items():
        for index, name in enumerate(normalised):
            if name in aliases:
                columns[column] = index
                break
    return columns


def read_csv(text: str) -> Iterator[RawRow]:
    lines = text.splitlines(keepends=True)
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise ImportFileError(_("The file is empty."))
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise ImportFileError(_csv_problem(reader.line_num or 1, exc)) from exc
    columns = _column_map(header)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ImportFileError(
            _(
                "The first line must name the columns indicator, area, year and value "
                "(optionally gender, note, is_example). Missing: %(missing)s."
            )
            % {"missing": ", ".join(missing)}
        )

    def cell(row, name, default=""):
        index = columns.get(name)
        if index is None or index >= len(row):
            return default
        return row[index].strip()

    needed = max(columns[name] for name in REQUIRED_COLUMNS) + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader cannot go on after this: report the line and stop.
            yield RowProblem(reader.line_num, _csv_problem(reader.line_num, exc))
            return
        if not any(part.strip() for part in row):
            continue
        if len(row) > len(header):
            yield RowProblem(
                reader.line_num,
                _(
                    "This line has %(cells)d cells but the first line names %(columns)d "
                    "columns. A decimal comma in a comma-separated file needs quotes "
                    '("1,5"), or save the file separated by semicolons.'
                )
                % {"cells": len(row), "columns": len(header)},
            )
            continue
        if len(row) < needed:
            yield RowProblem(
                reader.line_num,
                _(
                    "This line has %(cells)d cells; the columns indicator, area, year and "
                    "value need %(needed)d."
                )
                % {"cells": len(row), "needed": needed},
            )
            continue
        yield RawRow(
            line=reader.line_num,
            indicator=cell(row, "indicator"),
            area=cell(row, "area"),
            year=cell(row, "year"),
            value=cell(row, "value"),
            gender=cell(row, "gender", Gender.TOTAL) or Gender.TOTAL,
            note=unguard(cell(row, "note")),
            is_example=cell(row, "is_example"),
        )


def unguard(text: str) -> str:
    """A note as it was before the portal's CSV export quoted it against formulas."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(csvwriter.FORMULA_STARTS):
        return text[1:]
    return text


def _csv_problem(line: int, exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return _("A cell is longer than %(limit)d characters (a missing closing quote?).") % {
            "limit": csv.field_size_limit()
        }
    return _("The line cannot be read as CSV: %(message)s.") % {"message": exc}


def read_kolada(text: str) -> Iterator[RawRow | RowProblem]:
    try:
        # Decimals, not floats: 78.1 stays 78.1 and 1e308 is a number that is too large.
        document = json.loads(text, parse_float=Decimal, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            _("The file is not valid JSON: %(message)s (line %(line)d, column %(column)d).")
            % {"message": exc.msg, "line": exc.lineno, "column": exc.colno}
        ) from exc
    except RecursionError as exc:
        raise ImportFileError(_("The JSON is nested too deeply to be a Kolada data file.")) from exc
    if isinstance(document, dict) and isinstance(document.get("values"), list):
        records = document["values"]
    elif isinstance(document, list):
        records = document
    else:
        raise ImportFileError(
            _(
                'This is not a Kolada data file: expected {"values": [...]} as answered by '
                "Kolada's /v2/data/ endpoint."
            )
        )
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            yield RowProblem(number, _("Not a JSON object."))
            continue
        if "ou" in record and "municipality" not in record:
            yield RowProblem(
                number,
                _("Organisational-unit data (ou) cannot be imported; use municipality data."),
            )
            continue
        missing = [key for key in ("kpi", "municipality", "period", "values") if key not in record]
        if missing:
            yield RowProblem(
                number, _("Missing field(s): %(fields)s.") % {"fields": ", ".join(missing)}
            )
            continue
        wrong = [
            key
            for key in ("kpi", "municipality", "period")
            if not isinstance(record[key], str | int | Decimal) or isinstance(record[key], bool)
        ]
        if wrong:
            yield RowProblem(
                number,
                _("Field(s) %(fields)s must be text or a number.") % {"fields": ", ".join(wrong)},
            )
            continue
        values = record["values"]
        if not isinstance(values, list):
            yield RowProblem(number, _("“values” must be a list."))
            continue
        for item in values:
            if not isinstance(item, dict):
                yield RowProblem(number, _("Each entry in “values” must be a JSON object."))
                continue
            gender = item.get("gender", Gender.TOTAL)
            value = item.get("value")
            if not isinstance(gender, str | None):
                yield RowProblem(number, _("“gender” must be T, K or M."))
                continue
            if not isinstance(value, str | int | float | Decimal | None):
                yield RowProblem(number, _("“value” must be a number or null."), str(gender))
                continue
            yield RawRow(
                line=number,
                indicator=str(record["kpi"]).strip(),
                area=str(record["municipality"]).strip(),
                year=record["period"],
                value=value,
                gender=gender if gender is not None else Gender.TOTAL,
                detail=str(gender),
                kolada=True,
            )


def _json_int(text: str):
    """An integer of the JSON; one with more digits than any value may have stays a (too
    large) Decimal instead of hitting Python's limit on converting long integers."""
    return int(text) if len(text) <= 30 else Decimal(text)


# Checking -----------------------------------------------------------------------------------


def parse_value(raw) -> Decimal | None:
    """A Decimal from a number or text (decimal comma and spaces allowed); None when empty."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int | float):
        text = repr(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if not text:
            return None
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        text = text.replace("\u2212", "-")  # a typographic minus sign
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError from exc
    if value.is_nan():
        raise ValueError  # "not a number" is what NaN says of itself
    if value.is_infinite():
        raise ValueNotFinite
    if value and value.adjusted() >= MAX_ABS_VALUE.adjusted():
        raise ValueTooLarge  # before quantize(), which cannot hold 1e30 with four decimals
    value = value.quantize(VALUE_QUANTUM, rounding=ROUND_HALF_EVEN)
    if abs(value) >= MAX_ABS_VALUE:
        raise ValueTooLarge
    return value


def parse_year(raw) -> int:
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit():
        raise ValueError
    return int(text) if len(text) <= 9 else 10**9  # a huge year is out of range all the same


def parse_flag(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError


@dataclass
class Lookups:
    indicators: dict[str, int]
    kpis: dict[str, int]
    areas: dict[str, int]

    municipalities: dict[str, int] = field(default_factory=dict)
    # Indicator id -> the indicator (name, unit and valid range, for the range check).
    objects: dict[int, Indicator] = field(default_factory=dict)
    # Area id -> its parent's id, for indicators with an area scope.
    parents: dict[int, int | None] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lookups:
        from testbeds.models import Municipality

        indicators, kpis, objects = {}, {}, {}
        for indicator in Indicator.objects.select_related("area_scope__municipality").only(
            "pk",
            "code",
            "kolada_kpi",
            "name",
            "unit",
            "min_value",
            "max_value",
            "area_scope__own_name",
            "area_scope__municipality__name",
        ):
            pk, code, kpi = indicator.pk, indicator.code, indicator.kolada_kpi
            objects[pk] = indicator
            indicators[code] = pk
            if kpi:
                kpis[kpi] = pk
        areas = Area.objects.code_map()
        parents = dict(Area.objects.values_list("pk", "parent_id"))
        # Programme municipalities that have no area yet: known codes all the same.
        municipalities = dict(
            Municipality.objects.filter(indicator_area__isnull=True).values_list("code", "pk")
        )
        return cls(
            indicators=indicators,
            kpis=kpis,
            areas=areas,
            municipalities=municipalities,
            objects=objects,
            parents=parents,
        )

    def indicator_object(self, pk: int | None) -> Indicator | None:
        return self.objects.get(pk) if pk is not None else None

    def indicator(self, code: str, *, kolada: bool) -> int | None:
        if kolada:
            return self.kpis.get(code) or self.indicators.get(code)
        return self.indicators.get(code) or self.kpis.get(code)

    def area(self, code: str) -> int | None:
        found = self.areas.get(code)
        if found is None:
            found = self._municipality_area(code)
        return found

    def _municipality_area(self, code: str) -> int | None:
        """A programme municipality without an area yet becomes one (its only source of truth
        stays the municipality)."""
        municipality_id = self.municipalities.pop(code, None)
        if municipality_id is None:
            return None
        area, _created = Area.objects.get_or_create(
            municipality_id=municipality_id, defaults={"kind": Area.Kind.MUNICIPALITY}
        )
        self.areas[code] = area.pk
        return area.pk


@dataclass(frozen=True)
class CleanRow:
    line: int
    indicator_id: int
    area_id: int
    year: int
    gender: str
    value: Decimal
    note: str
    is_example: bool

    @property
    def key(self) -> tuple[int, int, int, str]:
        return (self.indicator_id, self.area_id, self.year, self.gender)


def check_rows(
    rows: Iterable[RawRow | RowProblem], lookups: Lookups, report: ImportReport
) -> list[CleanRow]:
    clean: list[CleanRow] = []
    seen: dict[tuple, RowProblem] = {}
    genders = set(Gender.values)
    for row in rows:
        if isinstance(row, RowProblem):
            report.rows += 1
            report.errors.append(row)
            continue
        report.rows += 1
        reasons = []
        indicator_id = area_id = year = value = None
        if not row.indicator:
            reasons.append(_("No indicator given."))
        else:
            indicator_id = lookups.indicator(row.indicator, kolada=row.kolada)
            if indicator_id is None:
                reasons.append(_("Unknown indicator “%(code)s”.") % {"code": shown(row.indicator)})
        if not row.area:
            reasons.append(_("No area given."))
        else:
            area_id = lookups.area(row.area)
            if area_id is None:
                reasons.append(_("Unknown area “%(code)s”.") % {"code": shown(row.area)})
        try:
            year = parse_year(row.year)
            if not MIN_YEAR <= year <= MAX_YEAR:
                reasons.append(
                    _("The year %(year)s is outside %(min)d–%(max)d.")
                    % {"year": shown(row.year), "min": MIN_YEAR, "max": MAX_YEAR}
                )
        except ValueError:
            reasons.append(
                _("The year “%(year)s” is not a whole number.") % {"year": shown(row.year)}
            )
        gender = str(row.gender).strip().upper()
        if gender not in genders:
            reasons.append(
                _("Unknown gender “%(gender)s”: use T (total), K (women) or M (men).")
                % {"gender": shown(row.gender)}
            )
        try:
            is_example = parse_flag(row.is_example)
        except ValueError:
            is_example = False
            reasons.append(
                _("is_example must be 1 or 0 (yes or no), not “%(flag)s”.")
                % {"flag": shown(row.is_example)}
            )
        try:
            value = parse_value(row.value)
        except ValueTooLarge:
            reasons.append(
                _("The value %(value)s is too large: values lie within ±%(limit)s.")
                % {"value": shown(row.value), "limit": "999 999 999 999,9999"}
            )
        except ValueNotFinite:
            reasons.append(
                _("The value “%(value)s” is infinite: only finite numbers can be stored.")
                % {"value": shown(row.value)}
            )
        except ValueError:
            reasons.append(
                _("The value “%(value)s” is not a number.") % {"value": shown(row.value)}
            )
        else:
            indicator = lookups.indicator_object(indicator_id)
            if value is not None and indicator is not None:
                problem = indicator.range_problem(value)
                if problem:
                    reasons.append(problem)
        indicator = lookups.indicator_object(indicator_id)
        if indicator is not None and area_id is not None:
            problem = indicator.scope_problem(area_id, lookups.parents)
            if problem:
                reasons.append(problem)
        if reasons:
            report.errors.append(RowProblem(row.line, " ".join(reasons), row.detail))
            continue
        if value is None:
            reason = (
                _("No value (null) in the Kolada file.") if row.kolada else _("The value is empty.")
            )
            report.skipped.append(RowProblem(row.line, reason, row.detail))
            continue
        if len(row.note) > Observation._meta.get_field("note").max_length:
            report.errors.append(
                RowProblem(row.line, _("The note is longer than 300 characters."), row.detail)
            )
            continue
        item = CleanRow(
            line=row.line,
            indicator_id=indicator_id,
            area_id=area_id,
            year=year,
            gender=gender,
            value=value,
            note=row.note,
            is_example=is_example,
        )
        first = seen.get(item.key)
        if first is not None:
            report.errors.append(
                RowProblem(
                    row.line,
                    _(
                        "Duplicate row: the same indicator, area, year and gender as %(label)s "
                        "%(where)s."
                    )
                    % {"label": report.location_label.lower(), "where": first.where},
                    row.detail,
                )
            )
            continue
        seen[item.key] = RowProblem(row.line, "", row.detail)
        clean.append(item)
    return clean


# Writing ------------------------------------------------------------------------------------


def _existing(rows: list[CleanRow]) -> dict[tuple, tuple[Decimal, str, bool]]:
    """What is stored for the file's keys: {(indicator, area, year, gender): (value, note, ex)}."""
    if not rows:
        return {}
    indicator_ids = {row.indicator_id for row in rows}
    area_ids = {row.area_id for row in rows}
    queryset = Observation.objects.filter(indicator_id__in=indicator_ids)
    if len(area_ids) <= 500:
        queryset = queryset.filter(area_id__in=area_ids)
    stored = {}
    for indicator_id, area_id, year, gender, value, note, is_example in queryset.values_list(
        "indicator_id", "area_id", "year", "gender", "value", "note", "is_example"
    ).iterator(chunk_size=5000):
        stored[(indicator_id, area_id, year, gender)] = (value, note, is_example)
    return stored


def upsert(rows: list[CleanRow], *, update_note: bool, batch_size: int = BATCH_SIZE) -> None:
    """Insert or update observations on the unique (indicator, area, year, gender) constraint.

    PostgreSQL: COPY into a temporary table, then one INSERT … ON CONFLICT DO UPDATE (several
    times faster than bulk_create for large files). Elsewhere: bulk_create(update_conflicts=True)
    in batches, the same statement built by Django."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        _upsert_postgresql(rows, update_note=update_note)
        return
    update_fields = ["value", "is_example", *(["note"] if update_note else [])]
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        Observation.objects.bulk_create(
            [
                Observation(
                    indicator_id=row.indicator_id,
                    area_id=row.area_id,
                    year=row.year,
                    gender=row.gender,
                    value=row.value,
                    note=row.note,
                    is_example=row.is_example,
                )
                for row in batch
            ],
            update_conflicts=True,
            unique_fields=["indicator", "area", "year", "gender"],
            update_fields=update_fields,
        )


IMPORT_FIELDS = ("indicator", "area", "year", "gender", "value", "note", "is_example")
IMPORT_TABLE = "indicators_import_rows"


def import_table_columns(conn=connection) -> list[tuple[str, str]]:
    """(column, type) of the temporary import table, from Observation's own fields, so a
    change of a field's type (max_length, decimal places, key type) follows automatically."""
    fields = [Observation._meta.get_field(name) for name in IMPORT_FIELDS]
    return [(field.column, field.db_type(conn)) for field in fields]


def import_table_ddl(conn=connection) -> str:
    columns = ", ".join(
        f"{conn.ops.quote_name(column)} {db_type}" for column, db_type in import_table_columns(conn)
    )
    return f"CREATE TEMPORARY TABLE IF NOT EXISTS {IMPORT_TABLE} ({columns}) ON COMMIT DROP"


def _upsert_postgresql(rows: list[CleanRow], *, update_note: bool) -> None:
    table = connection.ops.quote_name(Observation._meta.db_table)
    columns = tuple(column for column, _type in import_table_columns())
    updated = ["value", "is_example", *(["note"] if update_note else [])]
    # The temporary table lives until the end of the transaction (ON COMMIT DROP).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(import_table_ddl())
        cursor.execute("TRUNCATE indicators_import_rows")
        with cursor.cursor.copy(
            f"COPY indicators_import_rows ({', '.join(columns)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(
                    (
                        row.indicator_id,
                        row.area_id,
                        row.year,
                        row.gender,
                        row.value,
                        row.note,
                        row.is_example,
                    )
                )
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {', '.join(columns)} FROM indicators_import_rows "
            "ON CONFLICT (indicator_id, area_id, year, gender) DO UPDATE SET "
            + ", ".join(f"{name} = EXCLUDED.{name}" for name in updated)
        )


@audited_import(Observation)
def import_observations(
    data: bytes | str,
    *,
    name: str = "",
    file_format: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Check a CSV or Kolada JSON file and, when every row is good, write it in one transaction.

    Returns the report; raises nothing for bad content (file-level problems become one error).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    file_format = file_format or detect_format(name, raw)
    if file_format not in FORMATS:
        raise ValueError(f"unknown format {file_format!r}")
    report = ImportReport(format=file_format, dry_run=dry_run)
    try:
        text = decode(raw)
        rows = read_csv(text) if file_format == FORMAT_CSV else read_kolada(text)
        with transaction.atomic():
            # Inside the transaction: a municipality's area created during the lookup is rolled
            # back with everything else when the file has errors or this is a dry run.
            lookups = Lookups.load()
            clean = check_rows(rows, lookups, report)
            if not report.ok:
                transaction.set_rollback(True)
                return report
            has_note_column = file_format == FORMAT_CSV and "note" in _columns_of(text)
            changed = _count_changes(clean, report, notes=has_note_column)
            if dry_run:
                transaction.set_rollback(True)
            else:
                upsert(changed, update_note=has_note_column)
                report.written = True
                if changed:
                    # bulk writes send no model signals
                    content_changed(areas=areas_of(Observation))
    except ImportFileError as exc:
        report.errors.append(RowProblem(1 if file_format == FORMAT_CSV else 0, str(exc)))
    return report


def _columns_of(text: str) -> dict[str, int]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        delimiter = csv.Sniffer().sniff(first, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return _column_map(next(csv.reader([first], delimiter=delimiter), []))


def _count_changes(rows: list[CleanRow], report: ImportReport, *, notes: bool) -> list[CleanRow]:
    """Count created/updated/unchanged rows; return the rows that need writing. With a note
    column the file's notes count (an empty cell clears a note); without, notes stay."""
    stored = _existing(rows)
    changed = []
    for row in rows:
        current = stored.get(row.key)
        if current is None:
            report.created += 1
            changed.append(row)
            continue
        value, note, is_example = current
        note_differs = notes and row.note != note
        if value != row.value or is_example != row.is_example or note_differs:
            report.updated += 1
            changed.append(row)
        else:
            report.unchanged += 1
    return changed
