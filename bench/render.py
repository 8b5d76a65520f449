"""Uncached render time of the catalogue, a testbed page, the home page and the indicator
pages (issue 14, item 2).

    python bench/render.py 5000      (DATABASE_URL from the env; production settings but for
                                       the test client's host, as bench/geojson.py, and with
                                       production's persistent database connections:
                                       DJANGO_CONN_MAX_AGE, default 60, where the test
                                       settings close the connection after every request)

Migrates, loads the demo data and tops up to COUNT bulk testbeds as bench/seed.py does, then
requests each page through the test client ROUNDS times with a fresh content version before
every request (the page cache never answers) and prints the median in milliseconds, beside a
reference measured in the same run: a template of 24 cards of static data rendered with no
database, served by a view through the same test client and middleware (bench-only URL
/bench/cards, added here), and each page's ratio reference/page (the share of the reference's
speed the page reaches; issue 14's target is at least 50 %). The template alone, without the
request, is printed too. Beside the wall-clock median, the median of the process's CPU time
per request: on a shared, busy machine the wall clock mostly measures the other processes,
the CPU time mostly this one (it leaves out PostgreSQL's own work, which the wall clock
includes).
"""

import os
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sodertorn.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402

# Before the first connection: production keeps it open between requests (sodertorn/env.py).
connections["default"].settings_dict["CONN_MAX_AGE"] = int(
    os.environ.get("DJANGO_CONN_MAX_AGE", "60")
)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, path, reverse  # noqa: E402

from bench.seed import seed  # noqa: E402
from indicators.models import Indicator  # noqa: E402
from sodertorn import urls as portal_urls  # noqa: E402
from sodertorn.cache import bump_content_version, forget_local_copies  # noqa: E402
from testbeds.models import Testbed  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "15"))

# The reference: a page of 24 cards of static data, no database, no includes, no context
# processors; what a template of the catalogue's shape costs on its own.
REFERENCE = """<!doctype html><html lang="sv"><head><meta charset="utf-8">
<title>Testbäddar</title></head><body><main><h1>Testbäddar</h1><div class="cards">
{% for card in cards %}<article class="card">
  <h3 class="card-title"><a href="{{ card.url }}">{{ card.title }}</a></h3>
  <p class="card-meta"><span class="status status-{{ card.status }}">{{ card.label }}</span></p>
  <p class="card-place">{{ card.place }}</p>
  <p>{{ card.summary|truncatewords:40 }}</p>
  <ul class="tags">{% for theme in card.themes %}<li>{{ theme }}</li>{% endfor %}</ul>
</article>
{% endfor %}</div></main></body></html>"""
CARDS = [
    {
        "url": f"/testbaddar/bench-{i}/",
        "title": f"Gröna tak i Huddinge centrum {i}",
        "status": "ongoing",
        "label": "Pågående",
        "place": "Huddinge · Huddinge centrum",
        "summary": "En testbädd i Huddinge där kommunen, forskare och företag prövar nya "
        "lösningar för hållbar stadsutveckling.",
        "themes": ["Energi", "Mobilitet"],
    }
    for i in range(24)
]


def reference_view(request):
    return HttpResponse(engines["django"].from_string(REFERENCE).render({"cards": CARDS}))


def median_ms(run) -> tuple[float, float]:
    """The median wall-clock and CPU milliseconds of ``run()``."""
    run()  # warm up: imports, translations, compiled templates, the connection
    wall, cpu = [], []
    for _ in range(ROUNDS):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def page(client, path):
    def run():
        bump_content_version()
        forget_local_copies()
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert response.get("X-Page-Cache", "miss") != "hit", path

    return run


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    seed(count)
    published = Testbed.objects.published()
    detail = published.filter(slug__startswith="bench-").order_by("pk").first() or published[0]
    urlconf = ModuleType("bench_render_urls")
    urlconf.urlpatterns = [path("bench/cards", reference_view), *portal_urls.urlpatterns]
    urlconf.handler500 = portal_urls.handler500
    sys.modules[urlconf.__name__] = urlconf
    settings.ROOT_URLCONF = urlconf.__name__
    clear_url_caches()
    indicator = Indicator.objects.order_by("code").first()
    pages = ["/testbaddar/", detail.get_absolute_url(), "/"]
    if indicator:
        pages += [
            reverse("indicators:indicator_detail", kwargs={"code": indicator.code}),
            reverse("indicators:analysis"),
            reverse("indicators:indicator_list"),
        ]
    template = engines["django"].from_string(REFERENCE)
    alone, alone_cpu = median_ms(lambda: template.render({"cards": CARDS}))
    client = Client()
    reference, reference_cpu = median_ms(page(client, "/bench/cards"))
    print(f"{published.count()} published testbeds, median of {ROUNDS} uncached requests")
    print(f"{'page':40} {'ms':>8} {'ratio':>7} {'cpu ms':>8} {'ratio':>7}")
    print(f"{'24-card template alone (no request)':40} {alone:8.2f} {'':7} {alone_cpu:8.2f}")
    print(
        f"{'/bench/cards: 24 cards, no database':40} {reference:8.2f} {100:6.0f}% "
        f"{reference_cpu:8.2f} {100:6.0f}%"
    )
    for url in pages:
        ms, cpu = median_ms(page(client, url))
        print(
            f"{url:40} {ms:8.2f} {reference / ms * 100:6.1f}% "
            f"{cpu:8.2f} {reference_cpu / cpu * 100:6.1f}%"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
