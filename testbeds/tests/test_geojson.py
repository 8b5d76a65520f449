"""The catalogue's GeoJSON: the same bytes as the instance-based builder it replaced, and a
constant number of queries that never touch the themes it does not show."""

import datetime
import gzip
import json
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sodertorn.cache import content_changed
from testbeds.filters import TestbedFilter
from testbeds.models import Testbed
from testbeds.tests.factories import (
    MunicipalityFactory,
    TestbedFactory,
    ThemeFactory,
    bulk_testbeds,
)

pytestmark = pytest.mark.django_db

GEOJSON = "/testbaddar.geojson"


def expected_bytes(query: str, language: str) -> bytes:
    """What the GeoJSON answered before it was built from values: model instances with their
    municipalities (ordered by name), get_absolute_url() and get_status_display() in the
    request's language, the catalogue filters and order, serialised compactly in UTF-8."""
    with translation.override(language):
        filterset = TestbedFilter(QueryDict(query) or None, queryset=Testbed.objects.published())
        features = []
        for t in filterset.qs:
            geometry = None
            if t.latitude is not None and t.longitude is not None:
                geometry = {"type": "Point", "coordinates": [float(t.longitude), float(t.latitude)]}
            properties = {
                "title": t.title,
                "url": t.get_absolute_url(),
                "slug": t.slug,
                "status": t.status,
                "status_label": t.get_status_display(),
                "place": t.place_name,
                "municipalities": [m.name for m in t.municipalities.order_by("name")],
            }
            features.append({"type": "Feature", "geometry": geometry, "properties": properties})
        data = {"type": "FeatureCollection", "features": features}
        return json.dumps(
            data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
        ).encode()


@pytest.fixture
def catalogue():
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    tyreso = MunicipalityFactory(name="Tyresö", slug="tyreso", code="0138")
    botkyrka = MunicipalityFactory(name="Botkyrka", slug="botkyrka", code="0127")
    mobility = ThemeFactory(name="Mobilitet", slug="mobilitet")
    housing = ThemeFactory(name="Stadsmiljö och boende", slug="stadsmiljo-och-boende")
    TestbedFactory(
        title="Flemingsbergs stationsområde",
        slug="flemingsberg",
        status=Testbed.Status.ONGOING,
        place_name="Flemingsberg",
        start_date=datetime.date(2015, 1, 1),
        municipalities=[huddinge],
        themes=[mobility, housing],
    )
    TestbedFactory(
        title="Tyresö centrum – “grönt” & <torg>",
        slug="tyreso-centrum",
        summary="Ett levande centrum med grönska.",
        status=Testbed.Status.COMPLETED,
        start_date=datetime.date(2014, 6, 1),
        end_date=datetime.date(2016, 11, 30),
        municipalities=[tyreso],
        themes=[housing],
    )
    TestbedFactory(  # three municipalities, created in an order other than their names'
        title="Gemensam cykelstråk",
        slug="cykel",
        status=Testbed.Status.PLANNED,
        start_date=datetime.date(2018, 3, 1),
        latitude=Decimal("59.123456"),
        longitude=Decimal("18.000001"),
        municipalities=[tyreso, huddinge, botkyrka],
        themes=[mobility],
    )
    TestbedFactory(  # no point on the map
        title="Analys utan plats",
        slug="analys",
        latitude=None,
        longitude=None,
        municipalities=[botkyrka],
    )
    TestbedFactory(title="Opublicerad bädd", slug="hidden", published=False)


QUERIES = [
    "",
    "municipality=tyreso",
    "municipality=huddinge&theme=mobilitet",
    "theme=stadsmiljo-och-boende",
    "status=completed",
    "year=2016",
    "q=centrum",
    "sort=title",
    "sort=start&municipality=botkyrka",
    "status=planned&year=2019",
]


@pytest.mark.each_database  # the municipalities' order and the text filter come from SQL
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("query", QUERIES)
def test_geojson_is_byte_for_byte_what_the_instance_builder_gave(
    client, catalogue, query, language
):
    prefix = "/en" if language == "en" else ""
    response = client.get(f"{prefix}{GEOJSON}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    expected = expected_bytes(query, language)
    assert response.content == expected
    assert json.loads(expected)["features"] or query == "status=planned&year=2019"


def test_english_urls_and_labels(client, catalogue):
    (feature,) = client.get("/en" + GEOJSON + "?status=planned").json()["features"]
    assert feature["properties"]["url"] == "/en/testbaddar/cykel/"
    assert feature["properties"]["status_label"] == "Planned"
    assert feature["properties"]["municipalities"] == ["Botkyrka", "Huddinge", "Tyresö"]
    (feature,) = client.get(GEOJSON + "?status=planned").json()["features"]
    assert feature["properties"]["url"] == "/testbaddar/cykel/"
    assert feature["properties"]["status_label"] != "Planned"


def geojson_queries(client, query=""):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(GEOJSON + query)
    assert response.status_code == 200
    return response, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("query", ["", "?municipality=huddinge&theme=mobilitet&sort=title"])
def test_geojson_queries_do_not_grow_and_skip_the_themes(client, query):
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    mobility = ThemeFactory(name="Mobilitet", slug="mobilitet")
    bulk_testbeds(10, huddinge, mobility)
    response, small = geojson_queries(client, query)
    assert len(response.json()["features"]) == 10
    bulk_testbeds(490, huddinge, mobility, start=10)
    content_changed()  # bulk_create sends no signal: the next answer is rendered afresh
    response, large = geojson_queries(client, query)
    assert len(response.json()["features"]) == 500
    assert len(large) == len(small)
    # The rows and the municipalities of the listed testbeds, plus a filter's own lookup of
    # the municipality or theme it names; no prefetch (the themes' was never shown).
    assert not [sql for sql in large if "_prefetch_related_val" in sql], large
    assert len(large) == 2 + query.count("=") - query.count("sort="), large


def test_geojson_is_stored_per_content_version_and_sent_gzipped(client, catalogue):
    first = client.get(GEOJSON, headers={"accept-encoding": "gzip"})
    # the render that stores it sends the stored gzip too (a cache in front keeps that)
    assert first["X-Page-Cache"] == "miss" and first["Content-Encoding"] == "gzip"
    again = client.get(GEOJSON, headers={"accept-encoding": "gzip"})
    assert again["X-Page-Cache"] == "hit"
    assert again["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in again["Vary"]
    assert again.content == first.content
    assert gzip.decompress(again.content) == expected_bytes("", "sv")
    plain = client.get(GEOJSON)
    assert plain["X-Page-Cache"] == "hit" and not plain.has_header("Content-Encoding")
    assert plain.content == gzip.decompress(first.content)
    TestbedFactory(title="Ny bädd", slug="ny")  # a change: a new version, rendered afresh
    fresh = client.get(GEOJSON)
    assert fresh["X-Page-Cache"] == "miss"
    assert fresh.content == expected_bytes("", "sv") != plain.content


def test_geojson_is_rendered_once_per_content_version_and_language(client, catalogue, monkeypatch):
    """However many visitors and whatever they accept, one build per version and language;
    clients that take gzip get the stored gzip."""
    from testbeds import views

    built = []
    real = views.catalogue_features

    def counted(queryset):
        built.append(translation.get_language())
        return real(queryset)

    monkeypatch.setattr(views, "catalogue_features", counted)

    def visit(path):
        for encoding in ("gzip, deflate, br", "identity", "gzip;q=0", "gzip"):
            response = client.get(path, headers={"accept-encoding": encoding})
            assert response.status_code == 200
        return response

    for _ in range(3):
        last = visit(GEOJSON)
        visit("/en" + GEOJSON)
    assert built == ["sv", "en"]
    assert last["X-Page-Cache"] == "hit" and last["Content-Encoding"] == "gzip"
    assert gzip.decompress(last.content) == expected_bytes("", "sv")
    TestbedFactory(title="Ny bädd", slug="ny")  # a new content version
    for _ in range(3):
        last = visit(GEOJSON)
    assert built == ["sv", "en", "sv"]
    assert gzip.decompress(last.content) == expected_bytes("", "sv")
