"""Small areas inside Södertörn (issue 17, item 4): the demo's areas and their approximate
boundaries, the level switch of the indicator and analysis pages, testbeds and the small areas
they lie in, and the pages' query counts."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from indicators import demo, demo_small_areas, selectors
from indicators.models import Area, Observation
from indicators.tests.factories import (
    IndicatorFactory,
    bulk_areas,
    bulk_observations,
    municipality_area,
    small_area,
    square_boundary,
)
from sodertorn.geo import contains_point
from testbeds.models import Testbed
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory, bulk_testbeds

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
# slug -> municipality: the small areas the brief and the seeds name (the grants link the ESF
# pre-study to hallunda-norsborg, fittja and alby by these slugs).
REQUIRED = {
    "flemingsberg": "Huddinge",
    "fittja": "Botkyrka",
    "alby": "Botkyrka",
    "hallunda-norsborg": "Botkyrka",
    "tumba": "Botkyrka",
    "jordbro": "Haninge",
    "handen": "Haninge",
    "tyreso-centrum": "Tyresö",
    "sodertalje-centrum": "Södertälje",
    "hovsjo": "Södertälje",
    "ronninge": "Salem",
    "nynashamn-centrum": "Nynäshamn",
    "nykvarn-centrum": "Nykvarn",
}


def english(obj) -> str:
    with translation.override("en"):
        return obj.get_absolute_url()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


# The geometry ----------------------------------------------------------------------------------


def test_contains_point_by_ray_casting():
    square = square_boundary(17.9, 59.2, 0.1)
    assert contains_point(square, 17.95, 59.25)
    assert not contains_point(square, 18.05, 59.25)
    assert not contains_point(square, 17.95, 59.35)
    with_hole = {
        "type": "Polygon",
        "coordinates": [
            square["coordinates"][0],
            square_boundary(17.94, 59.24, 0.02)["coordinates"][0],
        ],
    }
    assert not contains_point(with_hole, 17.95, 59.25)  # in the hole
    assert contains_point(with_hole, 17.91, 59.21)
    multi = {
        "type": "MultiPolygon",
        "coordinates": [square["coordinates"], square_boundary(18.5, 59.5)["coordinates"]],
    }
    assert contains_point(multi, 18.505, 59.505)
    assert not contains_point(None, 17.95, 59.25)
    # a concave ring: an L shape; the notch is outside
    ell = {
        "type": "Polygon",
        "coordinates": [[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]],
    }
    assert contains_point(ell, 0.5, 1.5)
    assert not contains_point(ell, 1.5, 1.5)


# The demo's small areas ------------------------------------------------------------------------


@pytest.fixture
def demo_areas():
    """The municipalities and areas of the demo, the small areas with their example values."""
    call_command("loaddata", str(FIXTURES / "municipalities.json"), verbosity=0)
    areas = demo.load_areas("default")
    indicators = demo.load_indicators("default", areas)
    small = demo_small_areas.load("default", areas, indicators)
    return {"areas": areas, "small": small, "indicators": indicators}


def test_the_demo_has_the_small_areas_each_inside_its_municipality(demo_areas):
    small = {
        area.code: area
        for area in Area.objects.with_identity().filter(kind="small_area").order_by("pk")
    }
    assert set(REQUIRED) <= set(small)
    for code, municipality in REQUIRED.items():
        area = small[code]
        assert area.parent.name == municipality, code
        assert area.parent.kind == "municipality"
        assert area.approximate_boundary, code
        area.full_clean()
        ring = area.own_boundary["coordinates"][0]
        assert all(contains_point(area.parent.boundary, lon, lat) for lon, lat in ring), code
        for other in small.values():
            if other != area:
                assert not any(contains_point(other.own_boundary, *p) for p in ring), (code, other)


def test_the_demo_gives_small_areas_example_values_only(demo_areas):
    observations = Observation.objects.filter(area__kind="small_area")
    assert observations.exists()
    assert not observations.filter(is_example=False).exists()
    codes = set(observations.values_list("indicator__code", flat=True).distinct())
    assert codes == set(demo_small_areas.INDICATORS) & set(demo_areas["indicators"])
    # loading twice changes nothing
    count = observations.count()
    demo_small_areas.load("default", demo_areas["areas"], demo_areas["indicators"])
    assert Observation.objects.filter(area__kind="small_area").count() == count
    assert Area.objects.filter(kind="small_area").count() == len(demo_areas["small"])


def test_the_demo_testbeds_lie_in_their_small_areas(demo_areas):
    """The testbeds of fixtures/testbeds.json, placed by their points."""
    places = {
        item["fields"]["slug"]: item["fields"]
        for item in json.loads((FIXTURES / "testbeds.json").read_text(encoding="utf-8"))
        if item["model"] == "testbeds.testbed"
    }
    expected = {
        "flemingsbergs-stationsomrade": ["flemingsberg"],
        "tyreso-centrum": ["tyreso-centrum"],
        "lokala-jobb-i-fittja-centrum": ["fittja"],
    }
    for slug, codes in expected.items():
        if slug not in places:  # the demo's testbeds may change; the real ones stay
            continue
        fields = places[slug]
        testbed = Testbed(
            latitude=Decimal(fields["latitude"]), longitude=Decimal(fields["longitude"])
        )
        assert [area.code for area in selectors.areas_of_testbed(testbed)] == codes


def test_the_fixture_is_what_the_build_script_writes():
    """fixtures/areas_small.geojson is generated; its areas are the script's."""
    collection = json.loads((FIXTURES / "areas_small.geojson").read_text(encoding="utf-8"))
    codes = [feature["properties"]["code"] for feature in collection["features"]]
    assert set(REQUIRED) <= set(codes)
    assert set(codes) == set(demo_small_areas.PROFILES)
    assert all(feature["properties"]["approximate"] for feature in collection["features"])


# The model ------------------------------------------------------------------------------------


def test_a_small_area_lies_in_a_municipality():
    huddinge = municipality_area(name="Huddinge", slug="huddinge", code="0126")
    district = Area.objects.create(kind="district", own_code="d", own_name="D", parent=huddinge)
    orphan = Area(kind="small_area", own_code="orphan", own_name="Föräldralös")
    with pytest.raises(ValidationError) as error:
        orphan.full_clean()
    assert "parent" in error.value.message_dict
    inside_district = Area(kind="small_area", own_code="x", own_name="X", parent=district)
    with pytest.raises(ValidationError) as error:
        inside_district.full_clean()
    assert "parent" in error.value.message_dict
    small_area(huddinge, "flemingsberg", "Flemingsberg").full_clean()


# The pages ------------------------------------------------------------------------------------


@pytest.fixture
def levels():
    """Huddinge with two small areas, Stockholm with a district, one indicator at all three."""
    huddinge = municipality_area(name="Huddinge", slug="huddinge", code="0126")
    stockholm = Area.objects.create(kind="municipality", own_code="0180", own_name="Stockholm")
    tensta = Area.objects.create(
        kind="district", own_code="0180-tensta", own_name="Tensta", parent=stockholm,
        own_boundary=square_boundary(17.9, 59.39),
    )  # fmt: skip
    flemingsberg = small_area(huddinge, "flemingsberg", "Flemingsberg", lon=17.93, lat=59.21)
    trangsund = small_area(huddinge, "trangsund", "Trångsund", lon=18.12, lat=59.22)
    employment = IndicatorFactory(code="forvarvsfrekvens", name="Förvärvsfrekvens")
    assistance = IndicatorFactory(code="ekonomiskt-bistand", name="Ekonomiskt bistånd")
    bulk_observations(
        [employment, assistance],
        [huddinge, stockholm, tensta, flemingsberg, trangsund],
        [2016, 2017],
    )
    return {
        "huddinge": huddinge,
        "flemingsberg": flemingsberg,
        "trangsund": trangsund,
        "tensta": tensta,
    }


def switch_links(html: str) -> dict[str, tuple[str, bool]]:
    """level -> (href, current) of the level switch's links."""
    nav = re.search(r'<nav class="level-switch".*?</nav>', html, re.S).group(0)
    return {
        level: (href.replace("&amp;", "&"), "aria-current" in attrs)
        for href, attrs, level in re.findall(r'<a href="([^"]*)"([^>]*) data-level="([^"]+)">', nav)
    }


def test_the_indicator_page_switches_to_small_areas(client, levels):
    page = client.get("/en/indikatorer/forvarvsfrekvens/?gender=T&year=2016").text
    links = switch_links(page)
    assert list(links) == ["municipality", "district", "small_area"]
    assert links["municipality"][1] and not links["small_area"][1]
    assert "Level of areas" in page
    # the links keep the other choices and leave the year to the level
    assert links["small_area"][0] == "?gender=T&level=small_area"
    # the form carries the level, and has no second control for it
    assert re.search(r'<input type="hidden" name="level" value="municipality"', page)
    assert '<select name="level"' not in page

    response = client.get("/en/indikatorer/forvarvsfrekvens/" + links["small_area"][0])
    html = response.text
    assert switch_links(html)["small_area"][1]
    assert [area.name for area, _v in response.context["table_rows"]] == [
        "Flemingsberg",
        "Trångsund",
    ]
    map_table = re.search(
        r'<table class="table table-numbers" id="map-table">.*?</table>', html, re.S
    )
    assert re.search(
        r'<a href="/en/omraden/flemingsberg/">Flemingsberg</a> '
        r'<span class="approximate-label">\(approximate boundary\)</span>',
        map_table.group(0),
    )
    names = {f["properties"]["name"] for f in response.context["map_features"]["features"]}
    assert names == {"Flemingsberg (approximate boundary)", "Trångsund (approximate boundary)"}
    assert "The small areas' boundaries are approximate" in html
    # the municipalities' map says nothing of approximate boundaries
    municipalities = client.get("/en/indikatorer/forvarvsfrekvens/?level=municipality").text
    assert "approximate boundary" not in municipalities


def test_the_analysis_switches_to_small_areas(client, levels):
    url = "/en/analys/?x=forvarvsfrekvens&y=ekonomiskt-bistand&size=&colour=parent"
    links = switch_links(client.get(url).text)
    assert list(links) == ["municipality", "district", "small_area", "all"]
    assert links["municipality"][1]
    response = client.get("/en/analys/" + links["small_area"][0])
    assert response.context["view"]["level"] == "small_area"
    assert response.context["view"]["colour"] == "parent"  # kept by the link
    rows = re.findall(r'<tr data-key="([^"]+)">', response.text)
    assert rows == ["flemingsberg-T", "trangsund-T"]
    assert "Huddinge" in response.text  # the colour group: their municipality
    assert "The small areas' boundaries are approximate" in response.text


def test_the_switch_needs_two_levels(client):
    huddinge = municipality_area(name="Huddinge", slug="huddinge", code="0126")
    indicator = IndicatorFactory(code="ind")
    bulk_observations([indicator], [huddinge], [2016])
    page = client.get("/en/indikatorer/ind/").text
    assert 'class="level-switch"' not in page
    assert '<input type="hidden" name="level" value="municipality"' in page


def test_the_area_list_shows_small_areas_with_their_municipality(client, levels):
    html = client.get("/en/omraden/").text
    section = re.search(r'<section aria-labelledby="kind-small_area">.*?</section>', html, re.S)
    row = r"<tr><th scope=\"row\">(.*?)</th><td><code>([^<]*)</code></td><td>(.*?)</td></tr>"
    rows = re.findall(row, section.group(0))
    assert [(re.sub(r"<[^>]+>", "", name), code, re.sub(r"<[^>]+>", "", part))
            for name, code, part in rows] == [
        ("Flemingsberg (approximate boundary)", "flemingsberg", "Huddinge"),
        ("Trångsund (approximate boundary)", "trangsund", "Huddinge"),
    ]  # fmt: skip
    assert 'href="/en/omraden/0126/"' in section.group(0)


def test_the_small_area_page_names_its_municipality_and_approximate_boundary(client, levels):
    html = client.get("/en/omraden/flemingsberg/").text
    assert "Small area in Huddinge." in html
    assert '<span class="tag">Approximate boundary</span>' in html
    assert "approximate boundary, drawn by hand" in html  # the map's description
    assert '"title": "Flemingsberg (approximate boundary)"' in html
    # the municipality's page lists it, marked
    parent = client.get("/en/omraden/0126/").text
    assert re.search(
        r'<a href="/en/omraden/flemingsberg/">Flemingsberg</a> '
        r'<span class="approximate-label">\(approximate boundary\)</span>',
        parent,
    )


# Testbeds and small areas ---------------------------------------------------------------------


def test_a_testbed_shows_the_small_area_it_lies_in_and_the_area_its_testbeds(client, levels):
    inside = TestbedFactory(title="Stationsområdet", latitude=Decimal("59.215"),
                            longitude=Decimal("17.935"))  # fmt: skip
    drawn = TestbedFactory(
        title="Bara en yta", latitude=None, longitude=None,
        area=square_boundary(17.932, 59.212, 0.004),
    )  # fmt: skip
    outside = TestbedFactory(
        title="Långt bort", latitude=Decimal("59.5"), longitude=Decimal("18.5")
    )
    hidden = TestbedFactory(title="Opublicerad", published=False, latitude=Decimal("59.215"),
                            longitude=Decimal("17.935"))  # fmt: skip

    page = client.get(english(inside)).text
    lies_in = re.search(r"<p>Lies in: (.*?)</p>", page).group(1)
    assert lies_in == (
        '<a href="/en/omraden/flemingsberg/">Flemingsberg</a> '
        '<span class="approximate-label">(approximate boundary)</span>, in Huddinge.'
    )
    assert "Lies in:" in client.get(english(drawn)).text
    assert "Lies in:" not in client.get(english(outside)).text

    area_page = client.get("/en/omraden/flemingsberg/").text
    section = re.search(r'<section aria-labelledby="testbeds-heading">.*?</section>', area_page,
                        re.S).group(0)  # fmt: skip
    assert "Testbeds in Flemingsberg" in section
    assert re.findall(r'<a href="/en/testbaddar/[^"]+/"[^>]*>([^<]+)</a>', section) == [
        "Bara en yta",
        "Stationsområdet",
    ]
    assert hidden.title not in area_page
    assert "No testbed lies in this area." in client.get("/en/omraden/trangsund/").text


def test_a_testbed_in_a_stockholm_district_lies_in_it(client, levels):
    testbed = TestbedFactory(latitude=Decimal("59.395"), longitude=Decimal("17.905"))
    page = client.get(english(testbed)).text
    assert '<a href="/en/omraden/0180-tensta/">Tensta</a>, in Stockholm.' in page


def test_moving_a_testbed_refreshes_the_cached_area_page(client, levels):
    testbed = TestbedFactory(title="Flyttbar", latitude=Decimal("59.5"), longitude=Decimal("18.5"))
    assert "Flyttbar" not in client.get("/omraden/flemingsberg/").text
    assert client.get("/omraden/flemingsberg/")["X-Page-Cache"] == "hit"
    testbed.latitude, testbed.longitude = Decimal("59.215"), Decimal("17.935")
    testbed.save()
    assert "Flyttbar" in client.get("/omraden/flemingsberg/").text


# Query counts ---------------------------------------------------------------------------------


def test_the_testbed_page_queries_do_not_grow_with_small_areas(client):
    municipality = MunicipalityFactory()
    parent = municipality_area(municipality)
    testbed = TestbedFactory(municipalities=[municipality])
    small_area(parent, "a", "A", lon=17.93, lat=59.21)
    few = count_queries(client, testbed.get_absolute_url())
    for i in range(40):
        small_area(parent, f"more-{i}", f"Fler {i}", lon=17.0 + i * 0.01, lat=58.0)
    small_area(parent, "b", "B", lon=17.935, lat=59.215, size=0.01)
    assert len(selectors.areas_of_testbed(testbed)) == 2
    assert count_queries(client, testbed.get_absolute_url()) == few


def test_a_testbed_page_reads_only_the_areas_whose_box_holds_its_point(monkeypatch):
    """The testbed's areas are found by bounding box in SQL: the boundaries of areas
    elsewhere are neither read nor decoded, however many there are."""
    municipality = MunicipalityFactory()
    parent = municipality_area(municipality)
    testbed = TestbedFactory(municipalities=[municipality])
    small_area(parent, "a", "A", lon=17.93, lat=59.21)
    for i in range(5):
        small_area(parent, f"far-{i}", f"Långt bort {i}", lon=17.0 + i * 0.01, lat=58.0)
    read = []
    from_db = Area.from_db.__func__

    def counting_from_db(cls, *args, **kwargs):
        instance = from_db(cls, *args, **kwargs)
        if instance.kind == Area.Kind.SMALL_AREA:  # not the municipality joined to each
            read.append(instance.own_code)
        return instance

    monkeypatch.setattr(Area, "from_db", classmethod(counting_from_db))
    assert [area.code for area in selectors.areas_of_testbed(testbed)] == ["a"]
    assert read == ["a"]


def test_an_areas_box_follows_its_boundary():
    parent = municipality_area(MunicipalityFactory())
    area = small_area(parent, "a", "A", lon=17.93, lat=59.21, size=0.01)
    area.refresh_from_db()
    assert (area.bbox_south, area.bbox_west) == pytest.approx((59.21, 17.93))
    assert (area.bbox_north, area.bbox_east) == pytest.approx((59.22, 17.94))
    area.own_boundary = square_boundary(18.0, 59.0, 0.5)
    area.save(update_fields=["own_boundary"])
    area.refresh_from_db()
    assert (area.bbox_south, area.bbox_west, area.bbox_north, area.bbox_east) == pytest.approx(
        (59.0, 18.0, 59.5, 18.5)
    )
    area.own_boundary = None
    area.save()
    area.refresh_from_db()
    assert area.bbox_south is None and area.bbox_east is None


def test_the_area_page_queries_do_not_grow_with_testbeds(client):
    municipality = MunicipalityFactory()
    parent = municipality_area(municipality)
    area = small_area(parent, "omr", "Området", lon=17.93, lat=59.21)
    bulk_testbeds(3, municipality)
    Testbed.objects.update(latitude=Decimal("59.215"), longitude=Decimal("17.935"))
    few = count_queries(client, area.get_absolute_url())
    bulk_testbeds(100, municipality, start=3)
    Testbed.objects.update(latitude=Decimal("59.215"), longitude=Decimal("17.935"))
    Testbed.objects.filter(pk__in=Testbed.objects.order_by("pk").values("pk")[:20]).update(
        latitude=None, longitude=None, area=square_boundary(17.932, 59.212, 0.004)
    )
    assert len(selectors.testbeds_in_area(area)) == 103
    assert count_queries(client, area.get_absolute_url()) == few


@pytest.mark.parametrize(
    "url",
    [
        "/indikatorer/ind-a/?level=small_area",
        "/analys/?x=ind-a&y=ind-b&size=ind-a&level=small_area&colour=parent",
        "/omraden/",
    ],
)
def test_small_area_pages_make_the_same_number_of_queries_for_10_and_300(client, url):
    parent = municipality_area(name="Huddinge", slug="huddinge", code="0126")
    indicators = [IndicatorFactory(code="ind-a"), IndicatorFactory(code="ind-b")]
    areas = bulk_areas(10, kind="small_area", parent=parent)
    bulk_observations(indicators, [parent, *areas], [2016, 2017])
    few = count_queries(client, url)
    more = bulk_areas(290, kind="small_area", parent=parent, start=10)
    bulk_observations(indicators, more, [2016, 2017])
    assert count_queries(client, url) == few


def test_the_migration_gives_existing_areas_their_box():
    """Areas saved before the box existed (here: written without save()) get it from the
    migration; areas without a boundary keep none."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    parent = municipality_area(MunicipalityFactory())
    Area.objects.bulk_create(
        [
            Area(
                kind="small_area",
                own_code="x",
                own_name="X",
                parent=parent,
                own_boundary=square_boundary(17.9, 59.2, 0.1),
            ),
            Area(kind="small_area", own_code="y", own_name="Y", parent=parent),
        ]
    )
    assert Area.objects.get(own_code="x").bbox_south is None
    migration = importlib.import_module("indicators.migrations.0009_area_bounding_box")
    migration.fill_bounding_boxes(apps, SimpleNamespace(connection=connection))
    x, y = Area.objects.get(own_code="x"), Area.objects.get(own_code="y")
    assert (x.bbox_south, x.bbox_west, x.bbox_north, x.bbox_east) == pytest.approx(
        (59.2, 17.9, 59.3, 18.0)
    )
    assert y.bbox_south is None
