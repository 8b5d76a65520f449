"""Site search, the same on SQLite and PostgreSQL (issue 15, item 5): typos, beginnings of
words, "did you mean", and areas with their indicators."""

import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogue.tests.factories import ContributionFactory, RoundFactory
from indicators.models import Area
from indicators.tests.factories import (
    AreaFactory,
    IndicatorFactory,
    ObservationFactory,
    municipality_area,
)
from search import index, query, vocabulary
from search.models import SearchWord
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory

from .test_search import URL, hits, search_page

pytestmark = [
    pytest.mark.each_database,
    pytest.mark.django_db,
    pytest.mark.search_index,
]


def suggestion(client, q, **params):
    """(text, address) of the "did you mean" link on the English page, or None."""
    response = client.get("/en" + URL, {"q": q, **params})
    assert response.status_code == 200
    found = re.search(
        r'<p class="search-suggestion" id="search-suggestion">Did you mean: '
        r'<a href="([^"]+)">([^<]+)</a>\?</p>',
        response.text,
    )
    return (found.group(2), unescape(found.group(1))) if found else None


@pytest.fixture
def places():
    TestbedFactory(
        title="Flemingsbergs stationsområde",
        summary="Om stationen och campus.",
        place_name="Flemingsberg",
    )
    TestbedFactory(title="Tyresö centrum", summary="Om torget.", place_name="Tyresö centrum")
    TestbedFactory(
        title="Dagvatten och grönska i Hallunda", summary="Om parken.", place_name="Hallunda"
    )


# Typos and beginnings of words ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "target"),
    [
        ("Flemingsbrg", "Flemingsbergs stationsområde"),  # a letter left out
        ("Flemmingsberg", "Flemingsbergs stationsområde"),  # one too many
        ("Tyreso", "Tyresö centrum"),  # without its ö
        ("Hallnda", "Dagvatten och grönska i Hallunda"),
        ("hallunad", "Dagvatten och grönska i Hallunda"),  # two letters swapped
        ("Flemings", "Flemingsbergs stationsområde"),  # the beginning of a word
        ("Hallun", "Dagvatten och grönska i Hallunda"),
        ("dagvatten Hallnda", "Dagvatten och grönska i Hallunda"),  # with a correct word
    ],
)
def test_typos_and_beginnings_find_their_target(client, places, typed, target):
    assert hits(client, typed) == [target]
    assert hits(client, typed, type="testbeds") == [target]


def test_corrected_words_are_highlighted(client, places):
    assert "<mark>Flemingsbergs</mark> stationsområde" in search_page(client, "Flemingsbrg")


def test_nonsense_finds_nothing_and_gets_no_suggestion(client, places):
    for q in ["xqzvwk", "Qwrtpl", "zzzz", "Flemingsberg Tyresö"]:
        assert hits(client, q) == [], q
        assert suggestion(client, q) is None, q


def test_an_exact_word_gets_no_suggestion(client, places):
    assert hits(client, "Flemingsberg") == ["Flemingsbergs stationsområde"]
    assert suggestion(client, "Flemingsberg") is None


def test_short_words_are_not_corrected(client):
    TestbedFactory(title="Torg i Tumba")
    assert hits(client, "Tumb") == ["Torg i Tumba"]  # a beginning
    assert hits(client, "Tmba") == ["Torg i Tumba"]  # one edit in four letters
    assert hits(client, "Tba") == []  # three letters: not corrected


# Did you mean --------------------------------------------------------------------------------


def test_a_corrected_word_suggests_the_right_spelling(client, places):
    text, address = suggestion(client, "Flemmingsberg")
    assert text == "Flemingsberg"
    assert address.startswith("?") and "q=Flemingsberg" in address
    assert suggestion(client, "Flemingsbrg")[0] == "Flemingsberg"
    assert suggestion(client, "Tyreso")[0] == "Tyresö"
    assert suggestion(client, "HALLNDA")[0] == "HALLUNDA"  # written as typed
    assert suggestion(client, "dagvatten hallnda")[0] == "dagvatten hallunda"


def test_suggestion_keeps_the_filters_and_leaves_the_page(client, places):
    _text, address = suggestion(client, "Flemmingsberg", type="testbeds", page="2")
    assert "type=testbeds" in address and "page=" not in address


def test_the_swedish_page_has_the_suggestion_too(client, places):
    page = search_page(client, "Flemmingsberg")
    assert 'id="search-suggestion"' in page and "?q=Flemingsberg" in page


def test_a_known_word_with_few_hits_suggests_a_near_word_with_more(client):
    """A misspelling that is itself in the text (a resident's comment) finds that one text;
    the right spelling finds more, and is suggested."""
    TestbedFactory(title="Stråk i stadsdelen", summary="Gångvägar i Flemingsberg.")
    TestbedFactory(title="Campus", summary="Forskning i Flemingsberg.")
    round_ = RoundFactory(testbed=TestbedFactory(title="Samråd"))
    ContributionFactory(round=round_, text="Bättre belysning i Flemmingsberg.", status="approved")
    assert len(hits(client, "Flemmingsberg")) == 1
    assert suggestion(client, "Flemmingsberg")[0] == "Flemingsberg"
    assert suggestion(client, "Flemingsberg") is None  # more hits than its near spelling


def test_no_suggestion_or_hit_from_unpublished_content(client):
    TestbedFactory(title="Vätgasbussar i depån", published=False)
    assert hits(client, "vätgasbusar") == []
    assert suggestion(client, "vätgasbusar") is None
    assert hits(client, "vätgasbuss") == []  # a beginning, of a hidden word only
    assert suggestion(client, "vätgasbussarna") is None


def test_known_words_cost_one_look_up(client, places):
    """A search of known words with hits looks its words up in one statement, whatever their
    number; a typo costs a statement to find its near words and one to count the
    suggestion's hits."""
    for n in range(4):
        TestbedFactory(title=f"Flemingsberg {n}", summary="Om stationen och campus.")

    def statements(q):
        with CaptureQueriesContext(connection) as captured:
            client.get(URL, {"q": q})
        return [c["sql"] for c in captured.captured_queries]

    plenty = statements("Flemingsberg")
    assert sum("search_searchword" in sql for sql in plenty) == 1
    assert len(statements("Flemingsberg stationen campus")) == len(plenty)
    corrected = statements("Flemingsbrg")
    assert sum("search_searchword" in sql for sql in corrected) == 2
    assert len(corrected) == len(plenty) + 2


# The vocabulary --------------------------------------------------------------------------------


def test_the_vocabulary_follows_saves_and_rebuilds():
    testbed = TestbedFactory(title="Solcellsparken", summary="Om energi.", place_name="Ösmo")
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert {"solcellsparken", "energi", "ösmo"} <= words
    assert "om" not in words  # too short to be looked up
    assert SearchWord.objects.get(word="ösmo").folded == "osmo"
    testbed.title = "Vindkraftsparken"
    testbed.save()
    assert SearchWord.objects.filter(word="vindkraftsparken").exists()
    assert SearchWord.objects.filter(word="solcellsparken").exists()  # until a rebuild
    index.rebuild()
    assert not SearchWord.objects.filter(word="solcellsparken").exists()
    assert vocabulary.near("vindkraftparken") == ["vindkraftsparken"]
    assert vocabulary.near("solcellsparken") == []


def test_near_words_on_this_database():
    vocabulary.add({"flemingsberg", "flemingsbergs", "tyresö", "hallunda", "huddinge"})
    assert vocabulary.near("flemingsbrg") == ["flemingsberg"]
    assert vocabulary.near("tyreso") == ["tyresö"]
    assert vocabulary.near("hudinge") == ["huddinge"]
    assert vocabulary.near("qwrtpl") == []
    assert vocabulary.classify(["flemingsberg", "flemings", "flemingsbrg", "om"]) == {
        "flemingsberg": vocabulary.KNOWN,
        "flemings": vocabulary.PREFIX,
        "flemingsbrg": vocabulary.UNKNOWN,
        "om": vocabulary.KNOWN,  # too short to be stored: searched as it is
    }


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 trigram table")
def test_sqlite_trigram_table_keeps_step_with_the_words():
    vocabulary.add({"hallunda", "huddinge"})
    SearchWord.objects.filter(word="huddinge").update(word="huddingevägen", folded="huddingevagen")
    SearchWord.objects.filter(word="hallunda").delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT folded FROM search_searchword_trigrams WHERE search_searchword_trigrams "
            "MATCH 'vag OR lun OR udd'"
        )
        assert [row[0] for row in cursor.fetchall()] == ["huddingevagen"]


def test_distance_and_respelling():
    assert vocabulary.distance("flemingsbrg", "flemingsberg", 2) == 1
    assert vocabulary.distance("hallunad", "hallunda", 2) == 1  # a swap is one edit
    assert vocabulary.distance("abc", "xyz", 1) == 2  # past the limit: limit + 1
    assert vocabulary.fold("Tyresö Åsa café") == "Tyreso Asa cafe"
    assert query.respell('"Flemmingsberg" -tyreso', {"flemmingsberg": "flemingsberg"}) == (
        '"Flemingsberg" -tyreso'
    )


# Areas and their indicators -------------------------------------------------------------------


@pytest.fixture
def rinkeby():
    stockholm = AreaFactory(kind="municipality", own_code="0180", own_name="Stockholm")
    area = AreaFactory(own_code="0180-rinkeby", own_name="Rinkeby", parent=stockholm)
    indicator = IndicatorFactory(code="forvarvsfrekvens", name="Förvärvsfrekvens")
    ObservationFactory(indicator=indicator, area=area)
    area.save()  # observations are imported in bulk; a save (or a rebuild) re-indexes
    return area


def test_an_area_is_found_by_its_name(client, rinkeby):
    page = search_page(client, "Rinkeby")
    assert re.search(r'<h2 id="group-areas">Områden|<h2 id="group-areas">Areas', page)
    assert 'href="/omraden/0180-rinkeby/"' in page
    assert hits(client, "Rinkeby") == ["Rinkeby"]
    assert hits(client, "Rinkby") == ["Rinkeby"]  # a typo
    assert "City district in Stockholm" not in page  # stored in Swedish …
    assert hits(client, "stadsdel stockholm", type="areas") == ["Rinkeby"]  # … "Stadsdel i …"


def test_an_area_is_found_with_its_indicators(client, rinkeby):
    assert hits(client, "Rinkeby förvärvsfrekvens", type="areas") == ["Rinkeby"]
    other = AreaFactory(own_code="0180-husby", own_name="Husby")
    assert "Husby" not in hits(client, "förvärvsfrekvens", type="areas")
    ObservationFactory(indicator=rinkeby.observations.first().indicator, area=other)
    assert "Husby" in hits(client, "förvärvsfrekvens", type="areas")  # the area follows
    indicator = rinkeby.observations.first().indicator
    indicator.name = "Sysselsättningsgrad"
    indicator.save()
    assert set(hits(client, "sysselsättningsgrad", type="areas")) == {"Rinkeby", "Husby"}


def test_a_programme_municipality_area_follows_the_municipality(client):
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    area = municipality_area(huddinge)
    area.save()
    assert "Huddinge" in hits(client, "huddinge", type="areas")
    huddinge.name = "Huddinge kommun"
    huddinge.save()
    assert hits(client, "kommun", type="areas") == ["Huddinge kommun"]
    assert hits(client, "huddinge", type="areas", municipality="huddinge") == ["Huddinge kommun"]


def test_areas_in_the_municipality_filter(client):
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    parent = municipality_area(huddinge)
    AreaFactory(own_code="0126-flemingsberg", own_name="Flemingsberg", parent=parent)
    AreaFactory(own_code="0180-kista", own_name="Kista")
    assert hits(client, "flemingsberg", type="areas", municipality="huddinge") == ["Flemingsberg"]
    assert hits(client, "kista", type="areas", municipality="huddinge") == []
    assert Area.objects.count() == 3


# With the demo data (make run) ------------------------------------------------------------------


def test_demo_data_typos_suggestions_and_areas(client):
    call_command("load_demo", stdout=StringIO())
    station = "Flemingsbergs stationsområde"
    for typed in ["Flemingsbrg", "Flemings", "Flemmingsberg"]:
        assert station in hits(client, typed), typed
    assert "Tyresö centrum" in hits(client, "Tyreso")
    assert "Dagvatten och grönska i Hallunda" in hits(client, "Hallnda")
    assert suggestion(client, "Flemmingsberg")[0] == "Flemingsberg"
    assert suggestion(client, "Tyreso")[0] == "Tyresö"
    assert suggestion(client, "xqzvwk") is None
    page = search_page(client, "Rinkeby")
    assert 'href="/omraden/0180-rinkeby/"' in page
    assert 'href="/omraden/0180-rinkeby/"' in search_page(client, "Rinkeby socialt riskindex")
