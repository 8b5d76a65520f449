#!/usr/bin/env python
"""Benchmark: import a 100,000-row indicator CSV on PostgreSQL and report rows per second.

    createdb -h 127.0.0.1 -U postgres sodertorn_bench        # once; any scratch database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sodertorn_bench \\
        .venv/bin/python bench/import_indicators.py [--rows 100000] [--keep]

It migrates the database, makes 10 indicators and 500 areas (codes starting "bench-"), writes a
CSV with --rows rows (indicator × area × year, gender T) to a temporary file and imports it three
times through indicators.services.import_observations, the function behind the
``import_indicators`` command and the admin upload:

1. into an empty table (every row inserted),
2. the same file again (nothing changes: the idempotent path),
3. the file with every value changed (every row updated).

Each line reports the wall time, including reading and checking the file, and rows per second.
The benchmark rows are deleted at the end unless --keep is given. On SQLite (no DATABASE_URL)
it runs too, for comparison, but the number that counts is PostgreSQL's.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sodertorn.settings")
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789"
)

INDICATORS = 10
AREAS = 500
PREFIX = "bench-"


def build_csv(rows: int, *, bump: int = 0) -> bytes:
    years_needed = -(-rows // (INDICATORS * AREAS))  # ceiling division
    years = range(2100 - years_needed + 1, 2101)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["indicator", "area", "year", "value", "gender"])
    written = 0
    for indicator in range(INDICATORS):
        for area in range(AREAS):
            for year in years:
                if written == rows:
                    break
                value = (indicator * 7 + area * 3 + year + bump) % 1000 / 10
                writer.writerow([f"{PREFIX}{indicator}", f"{PREFIX}{area}", year, value, "T"])
                written += 1
    return buffer.getvalue().encode("utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark rows")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from indicators.models import Area, Indicator, Observation
    from indicators.services import import_observations

    call_command("migrate", verbosity=0)
    remove_bench_rows()
    Indicator.objects.bulk_create(
        Indicator(code=f"{PREFIX}{i}", name=f"Benchmark {i}", dimension="social")
        for i in range(INDICATORS)
    )
    Area.objects.bulk_create(
        Area(kind="small_area", own_code=f"{PREFIX}{i}", own_name=f"Benchmark {i}")
        for i in range(AREAS)
    )

    print(
        f"Database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"{args.rows:,} rows ({INDICATORS} indicators × {AREAS} areas × years)"
    )
    files = {"first": build_csv(args.rows), "changed": build_csv(args.rows, bump=1)}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.csv"
        path.write_bytes(files["first"])
        print(f"CSV: {path.stat().st_size / 1e6:.1f} MB")
        runs = [
            ("insert (empty table)", files["first"]),
            ("same file again (no change)", files["first"]),
            ("every value changed (update)", files["changed"]),
        ]
        for label, data in runs:
            started = time.perf_counter()
            report = import_observations(data, name="bench.csv")
            seconds = time.perf_counter() - started
            if not report.ok:
                print(report.summary(), report.errors[:5])
                return 1
            print(
                f"{label:32} {seconds:6.2f} s  {report.rows / seconds:9,.0f} rows/s  "
                f"(added {report.created:,}, changed {report.updated:,}, "
                f"unchanged {report.unchanged:,})"
            )
    stored = Observation.objects.filter(indicator__code__startswith=PREFIX).count()
    print(f"Stored benchmark observations: {stored:,}")
    if not args.keep:
        remove_bench_rows()
    return 0


def remove_bench_rows() -> None:
    """Delete the benchmark rows in three statements (QuerySet.delete() would send a signal,
    and bump the page cache, once per row)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM indicators_observation WHERE indicator_id IN "
            "(SELECT id FROM indicators_indicator WHERE code LIKE %s)",
            [PREFIX + "%"],
        )
        cursor.execute("DELETE FROM indicators_indicator WHERE code LIKE %s", [PREFIX + "%"])
        cursor.execute("DELETE FROM indicators_area WHERE own_code LIKE %s", [PREFIX + "%"])


if __name__ == "__main__":
    sys.exit(main())
