"""Time the open-data API's list endpoints uncached (DATABASE_URL from the env).

    python bench/api.py 5000

Migrates, loads the demo data and tops up to COUNT bulk testbeds as bench/seed.py does, then
requests each resource's list (a page of 500 and the default page of 50) through the test
client ROUNDS times with a fresh content version before each request, so the page cache never
answers, and prints the median in milliseconds, the SQL queries and the size of the answer.
Then, for each resource, a page of 500 built both ways in the same process, taking turns: from
model instances (the queryset's own rows with its prefetches, as the detail is built) and from
values rows (``Resource.rows``, as the lists are), each serialised; the ratio of the medians is
what the values rows saved. Timings are noisy on a shared machine: read the ratios.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sodertorn.settings_test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from bench.seed import seed  # noqa: E402
from opendata.resources import Links, resources  # noqa: E402
from sodertorn.cache import bump_content_version, forget_local_copies  # noqa: E402

ROUNDS = 9


def timed(client, path) -> tuple[float, int, int]:
    bump_content_version()
    forget_local_copies()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(path, headers={"accept-encoding": "identity"})
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    assert response.get("X-Page-Cache", "miss") != "hit"
    return elapsed, len(queries), len(response.content)


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    seed(count)
    client = Client()
    paths = [
        reverse(f"api:{resource.name}-list") + query
        for resource in resources()
        for query in ("?limit=500", "")
    ]
    paths += [
        "/api/v1/testbeds/?limit=500&offset=4000",
        "/api/v1/testbeds/?limit=500&municipality=huddinge",
    ]
    for path in paths:
        timed(client, path)  # warm up: imports, translations, connection
        runs = [timed(client, path) for _ in range(ROUNDS)]
        median = statistics.median(ms for ms, _q, _s in runs)
        _ms, queries, size = runs[0]
        print(
            f"api {path}: median {median:.1f} ms (min {min(r[0] for r in runs):.1f}) "
            f"over {ROUNDS} uncached requests, {queries} queries, {size / 1024:.0f} KB"
        )
    both_ways()


def both_ways() -> None:
    links = Links(RequestFactory().get("/api/v1/"))
    for resource in resources():
        page = resource.queryset()[:500]

        def instances(resource=resource, page=page):
            return [resource.serialize(row, links) for row in list(page.all())]

        def rows(resource=resource, page=page):
            return [resource.serialize(row, links) for row in resource.rows(page.all())]

        with translation.override("sv"):
            assert instances() == rows(), resource.name
            times = {instances: [], rows: []}
            for _ in range(ROUNDS):
                for build in times:
                    start = time.perf_counter()
                    build()
                    times[build].append((time.perf_counter() - start) * 1000)
        old, new = (statistics.median(times[build]) for build in (instances, rows))
        print(
            f"page of {resource.name}: instances {old:.1f} ms, values rows {new:.1f} ms "
            f"({old / new:.1f}x), median of {ROUNDS} each, taking turns"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
