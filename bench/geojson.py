"""Time the full catalogue GeoJSON (/testbaddar.geojson) uncached (DATABASE_URL from the env).

    python bench/geojson.py 5000

Migrates, loads the demo data and tops up to COUNT bulk testbeds as bench/seed.py does (slugs
"bench-"), then requests the GeoJSON through the test client ROUNDS times, in Swedish and in
English, with a fresh content version before each request so the page cache never answers,
and prints the median in milliseconds. Then it times the serialisation alone of the full
FeatureCollection: the standard library's json as JsonResponse calls it, json without the
spaces, and orjson when it is importable (it is not a dependency: PYTHONPATH=<a folder with
orjson> to compare), with the share of the request each takes.
"""

import json
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
from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from django.test import Client  # noqa: E402

from bench.seed import seed  # noqa: E402
from sodertorn.cache import bump_content_version, forget_local_copies  # noqa: E402
from testbeds.models import Testbed  # noqa: E402
from testbeds.selectors import catalogue  # noqa: E402
from testbeds.views import catalogue_features  # noqa: E402

ROUNDS = 9


def timed(client, path) -> tuple[float, int]:
    bump_content_version()
    forget_local_copies()
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    assert response.get("X-Page-Cache", "miss") != "hit"
    return elapsed, len(response.content)


def serialisers():
    found = {
        "json (JsonResponse)": lambda data: json.dumps(
            data, cls=DjangoJSONEncoder, ensure_ascii=False
        ).encode(),
        "json, no spaces": lambda data: json.dumps(
            data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
        ).encode(),
    }
    try:
        import orjson
    except ImportError:
        print("orjson: not importable, left out")
    else:
        found[f"orjson {orjson.__version__}"] = orjson.dumps
    return found


def serialisation(request_ms: float) -> None:
    """The full collection built once, then serialised by each library ROUNDS times."""
    start = time.perf_counter()
    data = catalogue_features(catalogue().qs)
    build_ms = (time.perf_counter() - start) * 1000
    print(f"build: {build_ms:.0f} ms for {len(data['features'])} features (rows to dicts)")
    for name, dumps in serialisers().items():
        runs = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            body = dumps(data)
            runs.append((time.perf_counter() - start) * 1000)
        median = statistics.median(runs)
        print(
            f"serialise with {name}: median {median:.1f} ms ({median / request_ms:.0%} of the "
            f"uncached request), {len(body) / 1024:.0f} KB"
        )


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    seed(count)
    published = Testbed.objects.published().count()
    client = Client()
    for path in (
        "/testbaddar.geojson",
        "/en/testbaddar.geojson",
        "/testbaddar.geojson?status=ongoing",
    ):
        timed(client, path)  # warm up: imports, translations, connection
        runs = [timed(client, path) for _ in range(ROUNDS)]
        median = statistics.median(ms for ms, _size in runs)
        size = runs[0][1]
        print(
            f"geojson {path}: {published} published, median {median:.0f} ms "
            f"(min {min(ms for ms, _ in runs):.0f}, max {max(ms for ms, _ in runs):.0f}) "
            f"over {ROUNDS} uncached requests, {size / 1024:.0f} KB"
        )
        if path == "/testbaddar.geojson":
            full_ms = median
    serialisation(full_ms)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
