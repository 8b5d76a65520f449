"""Site search (/sok/): registration, the stored index, visibility, ranking, hostile input."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collaboration.tests.factories import ActorFactory
from ideagroups.models import WorkEntry
from ideagroups.tests.factories import IdeaGroupFactory, WorkEntryFactory
from indicators.tests.factories import IndicatorFactory
from results.tests.test_results import make_film, make_result
from search import index, query, registry, text
from search.models import SearchDocument
from search.query import MAX_LENGTH, Query
from search.views import SearchView
from sodertorn.publishing import set_published
from testbeds.models import Testbed, Theme
from testbeds.tests.factories import (
    MunicipalityFactory,
    TestbedFactory,
    ThemeFactory,
    bulk_testbeds,
)

pytestmark = [
    pytest.mark.each_database,
    pytest.mark.django_db,
    pytest.mark.search_index,
]  # indexing on save kept

ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text and trigram search"
)
ON_SQLITE = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite word search")
URL = "/sok/"


def hits(client, q, **params):
    """Titles of the hits on the page, in page order (tags removed)."""
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    titles = re.findall(r'<h3 class="search-hit-title"><a href="[^"]*">(.*?)</a>', response.text)
    return [re.sub(r"<[^>]+>", "", title) for title in titles]


def search_page(client, q, **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response.text


# Finding things --------------------------------------------------------------------------------


def test_every_registered_type_is_found_and_grouped(client):
    testbed = TestbedFactory(title="Solceller på taken", summary="Om solenergi.")
    make_result(testbed, 1, title="Solceller i praktiken")
    make_film(1, title="Film om solceller", testbed=testbed)
    group = IdeaGroupFactory(name="Idégruppen för solceller")
    WorkEntryFactory(group=group, title="Workshop om solceller", status="published")
    ActorFactory(name="Solceller AB", description="Installerar solceller.")
    IndicatorFactory(name="Andel solceller", description="Installerade solceller per invånare.")
    page = search_page(client, "solceller")
    headings = re.findall(r'<h2 id="group-([\w-]+)">', page)
    assert headings == [
        "testbeds",
        "results",
        "films",
        "idea-groups",
        "work",
        "actors",
        "indicators",
    ]
    assert len(hits(client, "solceller")) == 7


def test_title_hit_ranks_above_body_only_hit(client):
    TestbedFactory(title="Skolgårdar i Tumba", summary="Om lek.", body="Här nämns grönytor.")
    TestbedFactory(title="Grönytor i Fittja", summary="Om parker.")
    assert hits(client, "grönytor", type="testbeds") == ["Grönytor i Fittja", "Skolgårdar i Tumba"]
    assert hits(client, "grönytor")[:2] == ["Grönytor i Fittja", "Skolgårdar i Tumba"]


def test_summary_hit_ranks_above_body_only_hit(client):
    TestbedFactory(title="Ett", summary="Om lek.", body="Här nämns mobilitet.")
    TestbedFactory(title="Två", summary="Om mobilitet i stadsdelen.")
    assert hits(client, "mobilitet") == ["Två", "Ett"]


def test_case_insensitive_with_swedish_letters(client):
    TestbedFactory(title="Återvinning i Södertälje", summary="Öppna gårdar.")
    assert hits(client, "ÅTERVINNING") == ["Återvinning i Södertälje"]
    assert hits(client, "södertälje") == ["Återvinning i Södertälje"]
    assert hits(client, "ÖPPNA") == ["Återvinning i Södertälje"]


def test_all_words_must_match(client):
    TestbedFactory(title="Cykelvägar i Haninge")
    TestbedFactory(title="Cykelvägar i Tyresö")
    assert hits(client, "cykelvägar tyresö") == ["Cykelvägar i Tyresö"]


def test_whole_words_and_beginnings_of_words_are_found_not_other_parts(client):
    TestbedFactory(title="Bostadsbyggande", summary="Om bostad och byggnad.")
    assert hits(client, "bostad") == ["Bostadsbyggande"]  # the summary's word
    assert hits(client, "bostadsbygg") == ["Bostadsbyggande"]  # the beginning of a word
    assert hits(client, "tadsb") == []  # inside a word
    assert hits(client, "dsbyg") == []
    assert hits(client, "bostadsbyggande") == ["Bostadsbyggande"]


@ON_POSTGRESQL
def test_postgresql_swedish_stemming(client):
    TestbedFactory(title="Ny bostad vid stationen", summary="Om planerna.")
    TestbedFactory(title="Fler bostäder i centrum", summary="Om förtätning.")
    TestbedFactory(title="Kontor i Haninge", summary="Om arbetsplatser.")
    assert set(hits(client, "bostäder")) == {"Ny bostad vid stationen", "Fler bostäder i centrum"}
    assert set(hits(client, "bostad")) == {"Ny bostad vid stationen", "Fler bostäder i centrum"}
    assert hits(client, "stationer") == ["Ny bostad vid stationen"]
    assert hits(client, "arbetsplats") == ["Kontor i Haninge"]
    assert hits(client, "kontoren") == ["Kontor i Haninge"]


@ON_POSTGRESQL
def test_postgresql_forgives_typos(client):
    TestbedFactory(title="Flemingsbergs stationsområde", summary="Om stationen.")
    TestbedFactory(title="Hallunda gård", summary="Om gårdar.")
    assert hits(client, "Flemingberg") == ["Flemingsbergs stationsområde"]
    assert hits(client, "Halunda") == ["Hallunda gård"]


@ON_POSTGRESQL
def test_postgresql_stores_a_weighted_vector():
    testbed = TestbedFactory(title="Dagvatten", summary="Regn.", body="Diken.")
    document = SearchDocument.objects.get(source="testbeds", object_id=testbed.pk, language="sv")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM search_searchdocument WHERE id = %s", [document.pk]
        )
        vector = cursor.fetchone()[0]
    assert re.search(r"'dagvat':1A\b", vector), vector
    assert re.search(r"'regn':\d+B\b", vector), vector
    assert re.search(r"'dik':\d+C\b", vector), vector


@ON_POSTGRESQL
def test_a_rebuild_writes_every_document_once_with_its_vector(client):
    """The vector is written in the same INSERT as its row: no second version of every
    document (the old UPDATE of the vectors) left to vacuum, and the table stays compact."""
    bulk_testbeds(3, MunicipalityFactory())
    with CaptureQueriesContext(connection) as queries:
        index.rebuild()
    table = SearchDocument._meta.db_table
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert any(f'INSERT INTO "{table}"' in q["sql"] for q in queries.captured_queries)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT search_vector::text FROM {table} WHERE source = 'testbeds' AND language = 'sv'"
        )
        vectors = [row[0] for row in cursor.fetchall()]
    assert len(vectors) == 3
    for vector in vectors:
        assert re.search(r"'massbäd':1A\b", vector), vector
        assert re.search(r"'sammanfattning':\d+B\b", vector), vector
    assert len(hits(client, "massbädd")) == 3


@ON_POSTGRESQL
def test_postgresql_keeps_what_every_hit_is_read_for_before_the_wide_texts():
    """A search reads the type, object, language and vector of every candidate row and the
    texts of the shown few only: PostgreSQL steps over every column before the one it reads,
    so those come first (migration 0005), and the vector stays in the row (STORAGE MAIN)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = %s::regclass"
            " AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            [SearchDocument._meta.db_table],
        )
        columns = dict(cursor.fetchall())
    order = list(columns)
    last_read = max(order.index(c) for c in ("source", "object_id", "language", "search_vector"))
    wide = ("title", "summary", "body", "url", "words_a", "words_b", "words_c")
    assert all(order.index(column) > last_read for column in wide), order
    assert columns["search_vector"] == "m"


def test_websearch_syntax_and_operators_do_not_break(client):
    TestbedFactory(title="Grönska och dagvatten")
    for q in ['"grönska och dagvatten"', "grönska -asfalt", "grönska or asfalt", "grönska & | !"]:
        assert "Grönska och dagvatten" in hits(client, q), q


# Visibility and the index following changes --------------------------------------------------


def test_unpublished_content_is_never_found(client):
    hidden = TestbedFactory(title="Hemlig testbädd om vätgas", published=False)
    make_result(hidden, 1, title="Vätgasresultat")  # published, but its testbed is not
    shown = TestbedFactory(title="Öppen testbädd")
    make_result(shown, 2, title="Opublicerat vätgasresultat", published=False)
    make_film(1, title="Vätgasfilm", testbed=shown, published=False)
    group = IdeaGroupFactory(name="Vätgasgruppen", published=False)
    WorkEntryFactory(group=IdeaGroupFactory(), title="Vätgasutkast", status="draft")
    WorkEntryFactory(group=IdeaGroupFactory(), title="Vätgas inskickad", status="submitted")
    WorkEntryFactory(group=group, title="Vätgas i dold grupp", status="published")
    assert SearchDocument.objects.count() >= 8  # indexed, but filtered out
    assert hits(client, "vätgas") == []
    assert "0 hits" in client.get("/en" + URL, {"q": "vätgas"}).text


def test_publishing_and_unpublishing_show_at_once(client):
    testbed = TestbedFactory(title="Testbädd om vätgas", published=False)
    make_result(testbed, 1, title="Vätgas i bussar")
    assert hits(client, "vätgas") == []
    set_published(Testbed.objects.filter(pk=testbed.pk), published=True)  # update(): no signals
    assert set(hits(client, "vätgas")) == {"Testbädd om vätgas", "Vätgas i bussar"}
    set_published(Testbed.objects.filter(pk=testbed.pk), published=False)
    assert hits(client, "vätgas") == []


def test_visibility_rules_are_built_once_and_read_at_query_time(client, monkeypatch):
    """The sources' published() querysets are built and compiled once per process, not for
    every search (a dozen of them cost more CPU than the search statement), and what they
    select is still read when searching: unpublishing shows at once."""
    testbed = TestbedFactory(title="Testbädd om vätgas")
    make_result(testbed, 1, title="Vätgas i bussar")
    built = []
    original = registry.SearchSource.published_queryset
    monkeypatch.setattr(
        registry.SearchSource,
        "published_queryset",
        lambda source: built.append(source.key) or original(source),
    )
    hits(client, "vätgas")
    hits(client, "vätgas", municipality=testbed.municipalities.first().slug)
    built.clear()
    assert set(hits(client, "vätgas")) == {"Testbädd om vätgas", "Vätgas i bussar"}
    assert hits(client, "vätgas", municipality=testbed.municipalities.first().slug)
    assert built == []
    set_published(Testbed.objects.filter(pk=testbed.pk), published=False)  # no signals
    assert hits(client, "vätgas") == []
    assert built == []


def test_work_entry_found_once_published(client):
    entry = WorkEntryFactory(title="Workshop om skolvägar", status="submitted")
    assert hits(client, "skolvägar") == []
    WorkEntry.objects.filter(pk=entry.pk).update(
        status="published", published_at=datetime.datetime.now(datetime.UTC)
    )
    assert hits(client, "skolvägar") == ["Workshop om skolvägar"]


def test_the_index_follows_edits_and_deletions(client):
    testbed = TestbedFactory(title="Gamla namnet", summary="Text.")
    assert hits(client, "gamla") == ["Gamla namnet"]
    testbed.title = "Nya rubriken"
    testbed.save()
    assert hits(client, "gamla") == []
    assert hits(client, "rubriken") == ["Nya rubriken"]
    testbed.delete()
    assert hits(client, "rubriken") == []
    assert not SearchDocument.objects.filter(source="testbeds").exists()


def test_work_entries_follow_their_group(client):
    group = IdeaGroupFactory(name="Gruppen", slug="gruppen")
    entry = WorkEntryFactory(group=group, title="Kartläggning av stigar", status="published")
    group.slug = "nya-gruppen"
    group.save()
    document = SearchDocument.objects.get(source="work", object_id=entry.pk, language="sv")
    assert document.url == reverse(
        "ideagroups:entry", kwargs={"group": "nya-gruppen", "pk": entry.pk}
    )


def test_rebuild_command_and_demo_data_leave_a_complete_index():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # one document per object and language
    expected = 2 * sum(source.model.objects.count() for source in registry.sources())
    assert SearchDocument.objects.count() == expected > 50
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SearchDocument.objects.count() == expected


def _table_statistics() -> dict:
    """The search table's row of pg_stat_user_tables, read afresh (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT n_live_tup, n_dead_tup, n_mod_since_analyze, last_vacuum, last_analyze,"
            " last_autoanalyze, analyze_count, vacuum_count FROM pg_stat_user_tables"
            " WHERE relname = %s",
            [SearchDocument._meta.db_table],
        )
        columns = [column.name for column in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def _older_snapshots() -> int:
    """Other sessions of this database holding a snapshot (their rows' horizon)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL"
        )
        return cursor.fetchone()[0]


@ON_POSTGRESQL
def test_rebuild_in_a_transaction_analyses_the_table(django_capture_on_commit_callbacks):
    """Tests run in a transaction, where VACUUM cannot: the rebuild analyses now and leaves
    the VACUUM to the commit."""
    bulk_testbeds(20, MunicipalityFactory())
    before = _table_statistics()
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks() as callbacks,
    ):
        index.rebuild()
    assert len(callbacks) == 1
    statements = [query["sql"] for query in queries.captured_queries]
    assert statements[-1] == 'ANALYZE "search_searchdocument"'
    assert not any(sql.startswith("VACUUM") for sql in statements)
    after = _table_statistics()
    assert after["analyze_count"] == before["analyze_count"] + 1
    assert after["last_analyze"] is not None
    assert after["last_analyze"] != before["last_analyze"]


@ON_SQLITE
def test_rebuild_on_sqlite_analyses_the_table():
    with CaptureQueriesContext(connection) as queries:
        index.rebuild()
    assert queries.captured_queries[-1]["sql"] == 'ANALYZE "search_searchdocument"'


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_rebuild_command_outside_a_transaction_leaves_no_dead_rows():
    bulk_testbeds(20, MunicipalityFactory())
    out = open("/dev/null", "w")  # noqa: SIM115
    before = _table_statistics()
    call_command("rebuild_search_index", stdout=out)
    call_command("rebuild_search_index", stdout=out)  # deletes and rewrites every document
    statistics = _table_statistics()
    assert statistics["last_vacuum"] is not None
    assert statistics["vacuum_count"] == before["vacuum_count"] + 2
    # VACUUM removes the dead rows no open snapshot can still see: another session of this
    # database holding an older snapshot (an autovacuum worker under load) keeps them.
    if not _older_snapshots():
        assert statistics["n_dead_tup"] == 0
    assert statistics["n_live_tup"] == SearchDocument.objects.count() >= 20
    assert statistics["n_mod_since_analyze"] == 0


def test_a_new_content_type_joins_by_registering(client):
    theme = ThemeFactory(name="Klimatanpassning", description="Om värmeböljor.")
    assert hits(client, "värmeböljor") == []
    source = registry.register(
        registry.SearchSource(
            key="themes", model=Theme, label=_("Themes"), title="name", summary="description"
        )
    )
    try:
        index.rebuild()
        assert "themes" in [
            key for key, _label in SearchDocument.objects.values_list("source", "title")
        ]
        assert hits(client, "värmeböljor") == ["Klimatanpassning"]
        theme.description = "Om skyfall."
        theme.save()
        assert hits(client, "skyfall") == ["Klimatanpassning"]
        assert hits(client, "värmeböljor") == []
    finally:
        registry.unregister(source.key)
    assert hits(client, "skyfall") == []


def test_unregistering_the_last_source_following_a_model_drops_its_receiver():
    from django.db.models.signals import post_save

    def follow_receivers(label):
        return [key for key, *_rest in post_save.receivers if key[0] == f"search:follow:{label}"]

    assert follow_receivers("testbeds.testbed") == []
    source = registry.register(
        registry.SearchSource(
            key="themes",
            model=Theme,
            label=_("Themes"),
            title="name",
            follows={Testbed: "testbeds"},
        )
    )
    try:
        assert follow_receivers("testbeds.testbed")
    finally:
        registry.unregister(source.key)
    assert follow_receivers("testbeds.testbed") == []
    # A model other sources still follow keeps its receiver when one of them leaves.
    assert follow_receivers("collaboration.actor")


# Filters, groups and pages --------------------------------------------------------------------


def test_type_and_municipality_filters(client):
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    haninge = MunicipalityFactory(name="Haninge", slug="haninge", code="0136")
    a = TestbedFactory(title="Parkering i Huddinge", municipalities=[huddinge])
    TestbedFactory(title="Parkering i Haninge", municipalities=[haninge])
    make_result(a, 1, title="Parkering och cykel")
    assert set(hits(client, "parkering", municipality="huddinge")) == {
        "Parkering i Huddinge",
        "Parkering och cykel",
    }
    assert hits(client, "parkering", type="results") == ["Parkering och cykel"]
    assert hits(client, "parkering", type="testbeds", municipality="haninge") == [
        "Parkering i Haninge"
    ]


def test_bad_filters_give_a_message_not_an_error(client):
    TestbedFactory(title="Parkering")
    page = search_page(client, "parkering", type="nope", municipality="atlantis")
    assert 'id="filter-errors"' in page
    assert "Parkering" in hits(client, "parkering", type="nope", municipality="atlantis")


def test_overview_shows_a_few_of_each_type_with_a_link_to_all(client):
    municipality = MunicipalityFactory()
    bulk_testbeds(12, municipality)  # titled "Massbädd n"
    index.rebuild()
    page = search_page(client, "massbädd")
    assert len(hits(client, "massbädd")) == 5
    assert "12 hits" in client.get("/en" + URL, {"q": "massbädd"}).text
    more = re.search(r'<p class="search-more"><a href="([^"]+)"', page).group(1)
    assert "type=testbeds" in more
    response = client.get(URL + more.replace("&amp;", "&").split(URL, 1)[-1])
    assert response.status_code == 200
    assert len(hits(client, "massbädd", type="testbeds")) == 12
    assert 'class="pagination"' not in response.text


def test_one_type_is_paginated(client):
    bulk_testbeds(25, MunicipalityFactory())
    index.rebuild()
    assert len(hits(client, "massbädd", type="testbeds")) == 20
    assert len(hits(client, "massbädd", type="testbeds", page=2)) == 5
    assert len(hits(client, "massbädd", type="testbeds", page="x")) == 20  # a bad page: page 1


def test_best_hits_come_first_among_more_than_the_ranked_few(client, monkeypatch):
    """Only the first RANKED hits of a type by pre-rank get the full score: a title or summary
    hit still comes before the body-only hits, in the overview and on the type's page."""
    monkeypatch.setattr(query, "RANKED", 3)
    monkeypatch.setattr(SearchView, "per_type", 3)
    for n in range(6):
        TestbedFactory(title=f"Bädd {n}", summary="Om lek.", body="Här nämns dagvatten.")
    TestbedFactory(title="Om skyfall", summary="Dagvatten i stadsdelen.")
    TestbedFactory(title="Dagvatten i Fittja", summary="Om diken.")
    best = ["Dagvatten i Fittja", "Om skyfall"]
    assert hits(client, "dagvatten")[:2] == best
    shown = hits(client, "dagvatten", type="testbeds")
    assert shown[:2] == best
    assert len(shown) == len(set(shown)) == 8
    assert hits(client, "dagvatten") == shown[:3]  # the overview: the type's first hits


@ON_POSTGRESQL
def test_keyword_line_hit_is_ranked_among_many_text_hits(client, monkeypatch):
    """A hit found through its keyword line alone (a testbed's place) has no text rank, but
    its pre-rank keeps it among the ranked few, and its similarity puts it first."""
    monkeypatch.setattr(query, "RANKED", 3)
    for n in range(6):
        TestbedFactory(title=f"Bädd {n}", summary="Om lek.", body="Nära Flemingsberg.")
    TestbedFactory(title="Stationsområdet", summary="Om pendling.", place_name="Flemingsberg")
    assert hits(client, "flemingsberg")[0] == "Stationsområdet"
    assert hits(client, "flemingsberg", type="testbeds")[0] == "Stationsområdet"


def test_paging_past_the_ranked_few_shows_every_hit_once(client, monkeypatch):
    """The pages after the ranked few continue by pre-rank, with no hit shown twice or left
    out, also on a page that starts among the ranked few and ends after them."""
    monkeypatch.setattr(query, "RANKED", 4)
    monkeypatch.setattr(SearchView, "paginate_by", 3)
    bulk_testbeds(11, MunicipalityFactory())
    index.rebuild()
    pages = [hits(client, "massbädd", type="testbeds", page=n) for n in range(1, 5)]
    assert [len(page) for page in pages] == [3, 3, 3, 2]
    shown = [title for page in pages for title in page]
    assert sorted(shown) == sorted(f"Massbädd {n}" for n in range(11))
    assert "11 hits" in client.get("/en" + URL, {"q": "massbädd", "type": "testbeds"}).text


def test_english_pages_link_to_english_addresses(client):
    testbed = TestbedFactory(title="Solceller", slug="solceller")
    response = client.get("/en" + URL, {"q": "solceller"})
    assert f'href="/en/testbaddar/{testbed.slug}/"' in response.text


def count_queries(client, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "massbädd"},
        {"q": "massbädd", "type": "testbeds"},
        {"q": "massbädd", "type": "testbeds", "municipality": "kommun-x"},
        {"q": "massbädd", "municipality": "kommun-x"},
    ],
)
def test_constant_queries_for_10_and_500_hits(client, params):
    municipality = MunicipalityFactory(slug="kommun-x")
    bulk_testbeds(10, municipality)
    group = IdeaGroupFactory(name="Massbädd-gruppen")
    for n in range(3):
        WorkEntryFactory(group=group, title=f"Massbädd arbete {n}", status="published")
    index.rebuild()
    few = count_queries(client, params)
    bulk_testbeds(490, municipality, start=10)
    index.rebuild()
    assert SearchDocument.objects.filter(source="testbeds", language="en").count() == 500
    # the municipality choices, the words looked up (search/vocabulary.py), the ranked few and
    # the shown hits, and a third search statement for a page past the ranked few
    assert count_queries(client, params) == few <= 5


# Hostile and empty queries ------------------------------------------------------------------


def test_empty_query_asks_for_words(client):
    for params in [{}, {"q": ""}, {"q": "   "}, {"type": "testbeds"}]:
        response = client.get(URL, params)
        assert response.status_code == 200
        assert 'id="search-message"' in response.text
        assert "Write one or more words" in response.text or "Skriv" in response.text


@pytest.mark.parametrize(
    "q",
    [
        "x" * 10_000,
        "!!! ??? ... ---",
        "'; DROP TABLE search_searchdocument; --",
        "<script>alert(1)</script>",
        '" OR 1=1 --',
        "a\x00b",
        "\x00",
        "%_\\",
        "& | ! ( ) : * <->",
        '"""',
        "-",
        "or or or",
        "😀 🏠",
        "\u202e\u200b",
    ],
)
def test_hostile_queries_give_a_clear_page(client, q):
    TestbedFactory(title="Script och alert")
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert 'id="result-count"' in response.text or 'id="search-message"' in response.text


def test_only_excluded_words_ask_for_a_word_to_look_for(client):
    TestbedFactory(title="Grönska")
    page = search_page(client, "-asfalt")
    assert "not only which words to leave out" in page or "inte bara" in page
    assert hits(client, "-asfalt") == []


def test_addresses_are_stored_in_the_default_language(client):
    with translation.override("en"):  # saved from an English page: both texts given
        testbed = TestbedFactory(title_sv="Solceller", title_en="Solar cells", slug="solceller")
    document = SearchDocument.objects.get(source="testbeds", object_id=testbed.pk, language="sv")
    assert document.url == "/testbaddar/solceller/"
    assert 'href="/testbaddar/solceller/"' in search_page(client, "solceller")


def test_overlong_query_is_cut_with_a_message(client):
    TestbedFactory(title="Solceller")
    response = client.get(URL, {"q": "solceller " + "y" * 10_000})
    assert response.status_code == 200
    assert f"{MAX_LENGTH}" in response.text
    assert Query.parse("a" * 10_000).truncated and len(Query.parse("a" * 10_000).text) == MAX_LENGTH


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=st.text(max_size=300), kind=st.sampled_from(["", "testbeds", "work", "x"]))
def test_any_text_never_gives_a_server_error(client, q, kind):
    response = client.get(URL, {"q": q, "type": kind})
    assert response.status_code == 200


def test_highlighting_escapes_before_marking(client):
    TestbedFactory(title="<b>Fet</b> & grönt", summary="Om <script>grönt</script> tak.")
    page = search_page(client, "grönt")
    assert "&lt;b&gt;Fet&lt;/b&gt; &amp; <mark>grönt</mark>" in page
    assert "&lt;script&gt;<mark>grönt</mark>&lt;/script&gt;" in page
    assert "<script>grönt" not in page


def test_excerpt_is_short_and_around_the_match():
    body = " ".join(f"ord{n}" for n in range(200)) + " dagvatten " + "slut " * 100
    excerpt = str(text.excerpt(body, ["dagvatten"]))
    assert "<mark>dagvatten</mark>" in excerpt
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert len(excerpt.split()) < 40


def test_excerpt_reads_the_words_up_to_its_end_only(monkeypatch):
    """A body has hundreds of words: the excerpt around an early match does not list them
    all (every hit on the page makes one), and is the same excerpt."""
    body = "Inledning om dagvatten och diken. " + "ord " * 5000 + "slutet"
    real = text.WORD
    read = []

    class Counting:
        def finditer(self, value):
            for match in real.finditer(value):
                read.append(match)
                yield match

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(text, "WORD", Counting())
    excerpt = str(text.excerpt(body, ["dagvatten"]))
    assert excerpt.startswith("Inledning om <mark>dagvatten</mark> och diken. ord ord")
    assert excerpt.endswith(" …") and len(excerpt.split()) == 33
    assert len(read) < 100
    assert str(text.excerpt("Inget här. Alls.", ["dagvatten"])) == "Inget här. Alls."
    assert str(text.excerpt("", ["dagvatten"])) == ""


def test_the_demo_label_is_rendered_for_example_content_only(client):
    """The label's template is included for a hit of example content, not once for every
    hit (a page of hits rendered it dozens of times)."""
    TestbedFactory(title="Exempel om dagvatten", is_demo=True)
    TestbedFactory(title="Riktig om dagvatten")
    response = client.get(URL, {"q": "dagvatten"})
    labels = re.findall(r'<h3 class="search-hit-title">.*?</h3>', response.text, re.S)
    assert sum('class="tag tag-demo"' in label for label in labels) == 1
    assert any("Exempel" in label and "tag-demo" in label for label in labels)
    included = [t.name for t in response.templates].count("includes/demo_label.html")
    assert included == 1


def test_swedish_variants():
    assert "bostad" in text.variants("bostäder")
    assert "bostäder" in text.variants("bostad")
    assert "bostad" in text.variants("bostaden")
    assert "stad" in text.variants("städerna")
    terms = text.terms("Bostäder, BOSTÄDER!")
    assert terms.startswith(" bostäder bostad ") and terms.endswith(" ")
    assert terms.split().count("bostäder") == 1


def test_header_search_box_on_every_page(client):
    for path in ["/", "/testbaddar/", "/en/", URL]:
        page = client.get(path).text
        assert '<form class="site-search" role="search"' in page
        assert 'for="site-search-q"' in page


# One index per language ---------------------------------------------------------------------


@pytest.fixture
def results_with_kind_in_title():
    """The results source, its title followed by the result's kind: a text that differs by
    language today (a choice label), as translated content fields will."""
    import dataclasses

    original = registry.get("results")
    registry.register(
        dataclasses.replace(original, title=lambda r: f"{r.title} {r.get_kind_display()}")
    )
    yield
    registry.register(original)


def english_hits(client, q):
    response = client.get("/en" + URL, {"q": q})
    assert response.status_code == 200
    titles = re.findall(
        r'<h3 class="search-hit-title"><a href="[^"]*"[^>]*>(.*?)</a>', response.text
    )
    return [re.sub(r"<[^>]+>", "", title) for title in titles]


def test_each_object_is_indexed_once_per_language_with_that_languages_text(
    results_with_kind_in_title,
):
    testbed = TestbedFactory(title="Stationsområdet")
    result = make_result(testbed, 1, kind="method", title="Dagvattenplan")
    documents = dict(
        SearchDocument.objects.filter(source="results", object_id=result.pk).values_list(
            "language", "title"
        )
    )
    assert documents == {"sv": "Dagvattenplan Metod", "en": "Dagvattenplan Method"}
    source = registry.get("results")
    assert index.document_fields(source, result, "en")["title"] == "Dagvattenplan Method"
    assert index.document_fields(source, result, "sv")["title"] == "Dagvattenplan Metod"
    index.rebuild()
    assert SearchDocument.objects.filter(source="results", object_id=result.pk).count() == 2


def test_english_search_finds_english_text_and_swedish_search_swedish(
    client, results_with_kind_in_title
):
    testbed = TestbedFactory(title="Stationsområdet")
    make_result(testbed, 1, kind="method", title="Dagvattenplan")
    assert english_hits(client, "method") == ["Dagvattenplan Method"]
    assert hits(client, "method") == []
    assert hits(client, "metod") == ["Dagvattenplan Metod"]
    assert english_hits(client, "metod") == []
    # No English text: the English document holds the Swedish fallback, found in English.
    assert english_hits(client, "dagvattenplan") == ["Dagvattenplan Method"]
    assert english_hits(client, "stationsområdet") == ["Stationsområdet"]


@ON_POSTGRESQL
def test_postgresql_stems_each_language_with_its_own_configuration(client):
    testbed = TestbedFactory(title="Planning of stations")
    vectors = {}
    with connection.cursor() as cursor:
        for language in ("sv", "en"):
            document = SearchDocument.objects.get(
                source="testbeds", object_id=testbed.pk, language=language
            )
            cursor.execute(
                "SELECT search_vector::text FROM search_searchdocument WHERE id = %s",
                [document.pk],
            )
            vectors[language] = cursor.fetchone()[0]
    # the English stemmer makes "planning" "plan"; the Swedish one keeps "planning"
    assert "'plan':1A" in vectors["en"] and "'planning':" not in vectors["en"], vectors
    assert "'planning':1A" in vectors["sv"], vectors
    assert english_hits(client, "station planned") == ["Planning of stations"]


def test_an_english_hit_is_marked_swedish_only_when_its_title_is_the_swedish_fallback(client):
    TestbedFactory(title_sv="Stationsområdet", title_en="The station area", slug="station")
    TestbedFactory(title_sv="Ny station i Tumba", title_en="", slug="tumba")
    html = client.get("/en/sok/", {"q": "station"}).text
    english = re.search(
        r'<a href="/en/testbaddar/station/"([^>]*)>The <mark>station</mark> area', html
    )
    swedish = re.search(r'<a href="/en/testbaddar/tumba/"([^>]*)>Ny <mark>station</mark> i', html)
    assert english and swedish, html
    assert "lang=" not in english.group(1)
    assert 'lang="sv"' in swedish.group(1)
    swedish_page = client.get("/sok/", {"q": "station"}).text
    assert 'lang="sv"' not in swedish_page.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_pause_stops_every_index_update_the_followed_rows_too_and_nests():
    """index.paused() (load_demo holds it; the tests that never search too): no document is
    written inside it, not even by the receivers of the rows a source follows (a group's
    work entries); only the outermost block connects the signals again."""
    group = IdeaGroupFactory(name="Gruppen", slug="gruppen")
    entry = WorkEntryFactory(group=group, title="Kartläggning av stigar", status="published")

    def entry_url():
        document = SearchDocument.objects.get(source="work", object_id=entry.pk, language="sv")
        return document.url

    with index.paused():
        with index.paused():
            pass
        group.slug = "pausad"
        group.save()  # followed by the work entries' source
        TestbedFactory(title="Pausad testbädd", published=True)
    assert "pausad" not in entry_url()
    assert not SearchDocument.objects.filter(title="Pausad testbädd").exists()
    group.slug = "igen"
    group.save()
    assert "/igen/" in entry_url()


def test_a_rebuild_deletes_the_old_documents_in_one_statement():
    """Search documents are derived rows no cached page shows: no page-cache receiver makes
    Django fetch and signal them one by one before deleting them."""
    bulk_testbeds(30, MunicipalityFactory())
    call_command("rebuild_search_index", verbosity=0)
    with CaptureQueriesContext(connection) as queries:
        call_command("rebuild_search_index", verbosity=0)
    selects = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "search_searchdocument"' in q["sql"]
    ]
    assert selects == [], selects
