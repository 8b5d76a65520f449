"""Size, query count and uncached render time of the pages issue 14 bounds (item 1).

    DJANGO_DEBUG=1 python bench/bounded_pages.py   (after bench/seed.py; DATABASE_URL set)

Each page is fetched REPEAT times with the page cache emptied before every request.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sodertorn.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from testbeds.models import Municipality  # noqa: E402

REPEAT = int(os.environ.get("REPEAT", "10"))


def main():
    setup_test_environment()  # the test client's host
    biggest = max(Municipality.objects.all(), key=lambda m: m.testbeds.count())
    pages = ["/testbaddar/?page=189", f"/kommuner/{biggest.slug}/", "/resultat/"]
    client = Client()
    print(f"{'page':32} {'bytes':>8} {'queries':>8} {'p50 ms':>8}")
    for url in pages:
        times = []
        for _ in range(REPEAT):
            for cache in caches.all():
                cache.clear()
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        median = statistics.median(times)
        print(f"{url:32} {len(response.content):8} {len(ctx.captured_queries):8} {median:8.1f}")


if __name__ == "__main__":
    main()
