"""No public page grows with the catalogue (issue 14, item 1).

Every public pattern the URLconf has (tests/public_pages.py, the discovery the page sweeps use:
a page added later is measured too) is requested as an anonymous visitor (Swedish) in three
states: the demo data (15 testbeds), then topped up with bulk testbeds (each in one or two
municipalities and up to three themes, through the M2M tables) to MEDIUM_SIZE and to
CATALOGUE_SIZE. The bulk rows are made once for the module and rolled back with it.

* The number of SQL queries must be the same in all three states (no query per testbed).
* From MEDIUM_SIZE to CATALOGUE_SIZE the response may grow to at most ``SIZE_FACTOR`` times
  plus ``SIZE_SLACK`` bytes. The same page with more testbeds differs in its counts, in which
  pages the elided pagination names and in which testbeds fill the places for the newest ones;
  a list of a fixed number of rows stays well inside that, a list of every testbed grows 5x.
  The bound is not taken from the demo state: a fixed-size list (the API's default page of 50)
  is not yet full with 15 testbeds, but is at 1,000.

The page cache is emptied before every request, so each one pays the full cost. A page with
URL kwargs uses the same object (filled from the demo data) in every state.

Every pattern is measured in each of its languages (Swedish and /en/), and ``QUERIES`` adds the
query strings that make a page work over the whole catalogue: a search for a word in every bulk
testbed (the index is rebuilt in each state), the catalogue filtered and on a later page.

``FULL_EXPORTS`` lists the endpoints whose purpose is to hand over the whole catalogue (the map's
GeoJSON, the CSV export): they are exempt from the size bound only, with the reason, and still
may not add queries per row. The sitemap is not among them: it is an index of sections, each
paginated (sodertorn/sitemaps.py).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from sodertorn.cache import forget_local_copies
from testbeds.models import Municipality, Testbed, Theme

from . import public_pages

MEDIUM_SIZE = 1000
CATALOGUE_SIZE = 5000
SIZE_FACTOR = 1.3
SIZE_SLACK = 4 * 1024

# url name -> why the response is meant to grow with the catalogue (size bound not applied).
FULL_EXPORTS: dict[str, str] = {
    "testbeds:geojson": "the map's data: every published testbed with a position",
    "opendata:testbeds_csv": "the CSV export of the whole catalogue",
}

# Query counts depend on the database (CI runs each_database tests on SQLite too); one xdist
# worker measures every page (the bulk catalogue is built once, not once per worker).
pytestmark = [pytest.mark.each_database, pytest.mark.xdist_group("page_sizes")]

PATTERNS = [p for p in public_pages.discover_patterns() if p.page]

# url name -> query strings measured besides the bare page (each in every language).
QUERIES: dict[str, tuple[str, ...]] = {
    "search:search": ("q=testbädd", "q=kommunen forskare"),
    "testbeds:list": ("municipality=huddinge", "q=testbädd&status=ongoing"),
    # a demo testbed: the same object in every state
    "results:list": ("testbed=flemingsbergs-stationsomrade",),
}
# query strings measured in the default language only, with the reason
SWEDISH_ONLY: dict[str, str] = {
    # The bulk testbeds are Swedish; in English the demo state finds few of these words, so the
    # search also looks for corrections (a constant number of queries per word, not per row).
    "q=kommunen forskare": "Swedish words: English documents of the demo seldom hold them",
}

demo_media, _media_root, demo_db, demo = public_pages.demo_fixtures()


def _bulk_testbeds(count: int, first: int = 0) -> None:
    municipalities = list(Municipality.objects.order_by("pk"))
    themes = list(Theme.objects.order_by("pk"))
    start = datetime.date(2020, 1, 1)
    rows = [
        Testbed(
            title=f"Storskalig testbädd nummer {i}",
            slug=f"size-{i}",
            question="Hur kan platsen utvecklas hållbart tillsammans med de boende?",
            summary="En testbädd där kommunen, forskare och företag prövar nya lösningar.",
            body="Bakgrund, genomförande och resultat.",
            status=Testbed.Status.values[i % len(Testbed.Status.values)],
            start_date=start + datetime.timedelta(days=i % 1500),
            place_name="Centrum",
            latitude=Decimal("59.2") + Decimal(i % 400) / 10000,
            longitude=Decimal("18.0") + Decimal(i % 400) / 10000,
            published=i % 10 != 0,
            is_demo=True,
        )
        for i in range(first, first + count)
    ]
    created = Testbed.objects.bulk_create(rows, batch_size=500)
    places = Testbed.municipalities.through
    places.objects.bulk_create(
        [
            places(testbed_id=t.pk, municipality_id=m.pk)
            for n, t in enumerate(created)
            for m in {municipalities[n % len(municipalities)], municipalities[n % 3]}
        ],
        batch_size=1000,
    )
    tags = Testbed.themes.through
    tags.objects.bulk_create(
        [
            tags(testbed_id=t.pk, theme_id=themes[(n + k) % len(themes)].pk)
            for n, t in enumerate(created)
            for k in range(n % 4)
        ],
        batch_size=1000,
    )


def _paths(pattern) -> dict[str, str]:
    """label -> path: the pattern in each language, bare and with each of its QUERIES."""
    kwargs = pattern.fill()
    paths = {}
    for language in pattern.languages():
        path = pattern.reverse(kwargs, language)
        label = (
            pattern.name
            if language == public_pages.settings.LANGUAGE_CODE
            else (f"{pattern.name} [{language}]")
        )
        paths[label] = path
        for query in QUERIES.get(pattern.name, ()):
            if query in SWEDISH_ONLY and language != public_pages.settings.LANGUAGE_CODE:
                continue
            paths[f"{label} ?{query}"] = f"{path}?{query}"
    return paths


def _measure(client: Client, paths: dict[str, str]) -> dict[str, tuple[int, int, int]]:
    """label -> (status, number of queries, bytes), each request with an empty page cache and
    the search index rebuilt for the rows there are."""
    call_command("rebuild_search_index", verbosity=0)
    measured = {}
    for name, path in paths.items():
        for cache in caches.all():
            cache.clear()
        forget_local_copies()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        body = b"".join(response) if response.streaming else response.content
        measured[name] = (response.status_code, len(queries), len(body))
    return measured


@pytest.fixture(scope="module")
def measured(demo_db, demo_media, django_db_blocker):
    """(paths, {testbed count: measurements}): every discovered page measured in each state."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media):
        paths = {p.name: _paths(p) for p in PATTERNS}
        flat = {label: path for group in paths.values() for label, path in group.items()}
        client = Client()
        states = {Testbed.objects.count(): _measure(client, flat)}
        with transaction.atomic():
            for size in (MEDIUM_SIZE, CATALOGUE_SIZE):
                _bulk_testbeds(size - Testbed.objects.count(), first=Testbed.objects.count())
                states[Testbed.objects.count()] = _measure(client, flat)
            transaction.set_rollback(True)
    return paths, states


def test_the_exempt_exports_are_discovered_patterns():
    assert set(FULL_EXPORTS) <= {p.name for p in PATTERNS}, "stale names in FULL_EXPORTS"
    assert set(QUERIES) <= {p.name for p in PATTERNS}, "stale names in QUERIES"


def test_the_catalogue_has_the_sizes_asked_for(demo, measured):
    _paths, states = measured
    small, medium, large = states
    assert small <= 20 and (medium, large) == (MEDIUM_SIZE, CATALOGUE_SIZE)


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_page_cost_is_flat_in_the_catalogues_size(demo, measured, pattern):
    paths, states = measured
    failures = []
    for label, path in paths[pattern.name].items():
        small, medium, large = (states[count][label] for count in states)
        at = f"{label} ({path}) at {' / '.join(f'{count:,}' for count in states)} testbeds"
        statuses, queries, sizes = zip(small, medium, large, strict=True)
        if set(statuses) != {200}:
            failures.append(f"{at}: status {statuses}")
            continue
        if len(set(queries)) != 1:
            failures.append(f"{at}: {' / '.join(map(str, queries))} SQL queries")
        bound = SIZE_FACTOR * sizes[1] + SIZE_SLACK
        if pattern.name not in FULL_EXPORTS and sizes[2] > bound:
            failures.append(
                f"{at}: {' / '.join(f'{size:,}' for size in sizes)} bytes "
                f"({sizes[2] / sizes[1]:.1f}x from {MEDIUM_SIZE:,} to {CATALOGUE_SIZE:,}; bound "
                f"{bound:,.0f}): paginate or bound the list"
            )
    assert not failures, "\n".join(failures)
