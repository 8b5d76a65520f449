"""Time the site search on a large index (PostgreSQL or SQLite, from DATABASE_URL).

    python bench/search.py 5000

Loads the demo data, adds COUNT bulk testbeds with invented Swedish text (slugs "sokbench-"),
rebuilds the index, then times each query of QUERIES through the test client (the whole page)
and, on PostgreSQL, prints the search table's live and dead rows before and after the rebuild
and the EXPLAIN ANALYZE of the overview's statement for a common word, a rare word and a
typo (EXPLAINED). Removes its rows at the end.
"""

import os
import random
import statistics
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

from search import index, registry  # noqa: E402
from search.models import SearchDocument  # noqa: E402
from search.query import Query, best_of_each  # noqa: E402
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
QUERIES = ["kommunen", "bostäder", "Flemingberg", "dagvatten grönska", "solceller -energi", "xyzzy"]
# The overview's statement (best_of_each) is explained for these on PostgreSQL.
EXPLAINED = {"common word": "kommunen", "rare word": "Flemingsberg", "typo": "Flemingberg"}


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


def main(count: int) -> None:
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
    client = Client()
    for q in QUERIES:
        times = []
        for _ in range(7):
            started = time.perf_counter()
            response = client.get("/sok/", {"q": q})
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
        print(f"  /sok/?q={q!r}: median {statistics.median(times) * 1000:.0f} ms per page")
    if postgresql:
        for label, q in EXPLAINED.items():
            documents = best_of_each(Query.parse(q), sources=registry.sources())
            # QuerySet.explain() puts EXPLAIN inside the subquery a window filter makes.
            sql, params = documents.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"\nEXPLAIN ANALYZE, {label} {q!r}:\n{plan}")
    Testbed.objects.filter(slug__startswith="sokbench-").delete()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
