"""Time the site search on a large index (PostgreSQL or SQLite, from DATABASE_URL).

    python bench/search.py [COUNT] [--rounds N] [--keep] [--reuse] [--no-explain]

Loads the demo data, adds COUNT (default 5000) bulk testbeds with invented Swedish text (slugs
"sokbench-"), rebuilds the index, then requests every query of QUERIES through the test
client (the whole page) ROUNDS times (default 21, after two warm-up requests) and prints, per
query, the number of hits shown in the result count, p50 and p95 of the whole page and of the
time spent in SQL (measured around every statement the page runs), the p50 of this process's
CPU time per page (Python: the view, the template, the client side of the driver; less
disturbed by other load on the machine than wall-clock times), and the number of statements.
On PostgreSQL it also prints the search table's live and dead rows before and after the
rebuild, and EXPLAIN (ANALYZE, BUFFERS) of every statement the page runs for the queries of
EXPLAINED.

Removes its rows at the end, unless --keep. --reuse skips loading, seeding and rebuilding
when COUNT seeded testbeds are already there (from an earlier --keep run), for quick repeats.
Timings on a shared machine are noisy: compare queries measured in the same run.
"""

import argparse
import os
import random
import re
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sodertorn.settings_test")

import django  # noqa: E402

django.setup()

from io import StringIO  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from search import index  # noqa: E402
from search.models import SearchDocument  # noqa: E402
from testbeds.models import Municipality, Testbed  # noqa: E402

WORDS = [
    "bostäder",
    "bostad",
    "stationen",
    "grönska",
    "dagvatten",
    "cykelvägar",
    "skolgårdar",
    "medborgardialog",
    "förtätning",
    "solceller",
    "trygghet",
    "kvarter",
    "parker",
    "mobilitet",
    "energi",
    "arbetsplatser",
    "torg",
    "hamn",
    "centrum",
    "kommunen",
    "fastighetsägare",
    "invånare",
    "samverkan",
    "forskare",
    "planering",
    "byggherrar",
]
# (label, query string parameters). Every seeded testbed's body holds ~300 of WORDS, so each
# of them is in nearly every document.
QUERIES = [
    ("common word", {"q": "kommunen"}),
    ("common word, one type", {"q": "kommunen", "type": "testbeds"}),
    ("common word, one type, page 200", {"q": "kommunen", "type": "testbeds", "page": "200"}),
    ("common word, municipality", {"q": "kommunen", "municipality": "huddinge"}),
    ("common word with variants", {"q": "bostäder"}),
    ("two common words", {"q": "dagvatten grönska"}),
    ("ten common words", {"q": " ".join(WORDS[:10])}),
    ("common word or another", {"q": "solceller or energi"}),
    ("common word minus another", {"q": "solceller -energi"}),
    ("phrase", {"q": '"dagvatten grönska"'}),
    ("rare word", {"q": "Flemingsberg"}),
    ("typo", {"q": "Flemingberg"}),
    ("typo of a common word", {"q": "komunen"}),
    ("typo, did you mean", {"q": "Flemmingsberg"}),
    ("beginning of a word", {"q": "Flemings"}),
    ("stop word only", {"q": "och"}),
    ("no hits", {"q": "xyzzy"}),
    ("long query", {"q": " ".join(WORDS) * 3}),
    ("special characters", {"q": "& | ! ( ) : * <-> ' \" % _ \\ 😀"}),
]
# Every statement of these pages is explained on PostgreSQL.
EXPLAINED = ["common word", "common word, one type", "rare word", "typo"]


def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def table_rows() -> str:
    """Live and dead rows of the search table from pg_stat_user_tables (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT n_live_tup, n_dead_tup, last_vacuum, last_analyze FROM pg_stat_user_tables"
            " WHERE relname = %s",
            [SearchDocument._meta.db_table],
        )
        row = cursor.fetchone()
    if row is None:
        return "no statistics"
    live, dead, vacuumed, analysed = row
    return f"{live} live, {dead} dead rows; last vacuum {vacuumed}, last analyse {analysed}"


def seed(count: int) -> None:
    call_command("load_demo", stdout=StringIO())
    rng = random.Random(7)
    municipality = Municipality.objects.first()
    testbeds = Testbed.objects.bulk_create(
        Testbed(
            title=text(rng, 4),
            slug=f"sokbench-{n}",
            question=text(rng, 12),
            summary=text(rng, 30),
            body=text(rng, 300),
            start_date=date(2015, 1, 1),
            published=True,
        )
        for n in range(count)
    )
    Testbed.municipalities.through.objects.bulk_create(
        Testbed.municipalities.through(testbed_id=t.pk, municipality_id=municipality.pk)
        for t in testbeds
    )
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        # What autovacuum does soon after a bulk load (it may be off on a bench machine): the
        # visibility subqueries read the testbeds, and the deleted seed of an earlier run
        # would otherwise stay there as dead rows with the new ones not all-visible.
        with connection.cursor() as cursor:
            for model in (Testbed, Testbed.municipalities.through):
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        time.sleep(1.5)  # a backend reports its row counts at most once a second
        print(f"search table before the rebuild: {table_rows()}")
    started = time.perf_counter()
    counts = index.rebuild()
    print(
        f"{connection.vendor}: rebuild of {sum(counts.values())} documents: "
        f"{time.perf_counter() - started:.1f} s"
    )
    if postgresql:
        time.sleep(1.5)
        print(f"search table after the rebuild: {table_rows()}")


class Statements:
    """Times every statement run through the connection (connection.execute_wrapper)."""

    def __init__(self):
        self.seconds = 0.0
        self.run = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.run.append((sql, params))


def measure(client, params, rounds):
    """Seconds per round (page, SQL, CPU), the last round's statements, the shown count."""
    for _ in range(2):
        client.get("/sok/", params)
    pages, sql, cpu = [], [], []
    for _ in range(rounds):
        statements = Statements()
        with connection.execute_wrapper(statements):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get("/sok/", params)
            pages.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        sql.append(statements.seconds)
        assert response.status_code == 200, response.status_code
    count = re.search(r'id="result-count">(.*?)</p>', response.text, re.S)
    shown = re.sub(r"<[^>]+>|“.*”|\s+", " ", count.group(1)).strip() if count else "no count"
    return pages, sql, cpu, statements.run, shown


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", nargs="?", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--keep", action="store_true", help="leave the seeded rows in place")
    parser.add_argument("--reuse", action="store_true", help="reuse rows left by --keep")
    parser.add_argument("--no-explain", action="store_true")
    args = parser.parse_args()
    seeded = Testbed.objects.filter(slug__startswith="sokbench-")
    if args.reuse and seeded.count() == args.count:
        print(f"{connection.vendor}: reusing {args.count} seeded testbeds")
    else:
        seeded.delete()
        seed(args.count)
    print(f"{SearchDocument.objects.count()} documents; {args.rounds} rounds per query")
    client = Client()
    plans = {}
    print(
        f"{'query':34} {'page p50':>9} {'p95':>7} {'SQL p50':>8} {'p95':>7} {'CPU p50':>8}"
        f" {'stmts':>5}  shown"
    )
    for label, params in QUERIES:
        pages, sql, cpu, run, shown = measure(client, params, args.rounds)
        print(
            f"{label:34} {percentile(pages, 0.5):7.1f}ms {percentile(pages, 0.95):5.1f}ms"
            f" {percentile(sql, 0.5):6.1f}ms {percentile(sql, 0.95):5.1f}ms"
            f" {percentile(cpu, 0.5):6.1f}ms {len(run):5}  {shown}"
        )
        if label in EXPLAINED:
            plans[label] = (params, run)
    if connection.vendor == "postgresql" and not args.no_explain:
        for label, (params, run) in plans.items():
            for number, (sql, params_) in enumerate(run, 1):
                if "search_searchdocument" not in sql:
                    continue
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params_)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                print(f"\nEXPLAIN ANALYZE, {label} {params}, statement {number}:\n{plan}")
    if not args.keep:
        seeded.delete()


if __name__ == "__main__":
    main()
