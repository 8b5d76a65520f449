"""The maps' base layer (sodertorn/geo/basemap.py): one small, simplified, cacheable GeoJSON of the
municipalities' boundaries, built once per content version, named by every map partial.
(What the browser draws from it: tests/browser/test_base_map.py.)"""

import gzip
import json

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.template import engines
from django.urls import reverse

from indicators.tests.factories import AreaFactory
from sodertorn.geo import validate_area
from sodertorn.geo.basemap import base_map_json, simplify_area
from testbeds.models import Municipality
from testbeds.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

URL = "/kommungranser.geojson"


def square(west: float, south: float, size: float = 0.1, steps: int = 1) -> dict:
    """A square ring with ``steps`` points on each side (the extra ones on the straight sides)."""
    ring = []
    corners = [
        (west, south),
        (west + size, south),
        (west + size, south + size),
        (west, south + size),
    ]
    for (x0, y0), (x1, y1) in zip(corners, corners[1:] + corners[:1], strict=True):
        ring += [[x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps] for i in range(steps)]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def municipality(code: str, name: str, west: float = 17.8, **kwargs):
    return MunicipalityFactory(
        code=code, name=name, slug=name.lower(), boundary=square(west, 59.1, **kwargs)
    )


def stockholm():
    return AreaFactory(
        kind="municipality", own_code="0180", own_name="Stockholm", own_boundary=square(18.0, 59.3)
    )


def features(client) -> list[dict]:
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)["features"]


def test_the_base_layer_has_each_municipality_named_and_stockholm_as_comparison(client):
    municipality("0126", "Huddinge")
    municipality("0138", "Tyresö", west=18.2)
    MunicipalityFactory(code="0128", name="Salem", slug="salem", boundary=None)
    stockholm()
    AreaFactory(
        kind="district", own_code="0180-tensta", own_name="Tensta", own_boundary=square(17.9, 59.4)
    )
    found = features(client)
    assert [(f["properties"]["name"], f["properties"]["group"]) for f in found] == [
        ("Huddinge", "programme"),
        ("Tyresö", "programme"),
        ("Stockholm", "comparison"),
    ]
    for feature in found:
        validate_area(feature["geometry"])
    huddinge = found[0]["properties"]
    assert huddinge["code"] == "0126"
    assert huddinge["label"] == [17.9, 59.2]  # the municipality's centre, where its name goes
    # Stockholm has no centre of its own: the middle of its boundary.
    assert found[2]["properties"]["label"] == [18.05, 59.35]


def test_the_boundaries_are_simplified_and_small(client):
    municipality("0126", "Huddinge", steps=500)  # 2000 positions along four straight sides
    (feature,) = features(client)
    ring = feature["geometry"]["coordinates"][0]
    assert len(ring) == 5  # the four corners, closed
    assert len(client.get(URL).content) < 400


def test_simplifying_keeps_small_islands_out_and_rings_closed():
    island = square(18.0, 59.0, size=0.00005)["coordinates"]  # a few metres: rounded away
    geometry = {
        "type": "MultiPolygon",
        "coordinates": [square(17.0, 59.0, steps=3)["coordinates"], island],
    }
    simplified = simplify_area(geometry)
    assert simplified["type"] == "Polygon"
    ring = simplified["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 5
    validate_area(simplified)


def test_the_demo_boundaries_are_all_there_and_small(client):
    from django.core.management import call_command

    call_command("loaddata", settings.BASE_DIR / "fixtures" / "municipalities.json", verbosity=0)
    plain = client.get(URL)  # rendered and stored (gzipped) in the page cache
    response = client.get(URL, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain.content
    assert len(response.content) < 4_000
    names = {
        f["properties"]["name"] for f in json.loads(gzip.decompress(response.content))["features"]
    }
    assert names == set(Municipality.objects.values_list("name", flat=True))
    assert len(names) == 8


@pytest.mark.parametrize("count", [3, 40])
def test_the_build_makes_one_query_per_source_whatever_the_rows(count, django_assert_num_queries):
    for i in range(count):
        municipality(f"{2000 + i}", f"Kommun {i}", west=17.0 + i / 10)
    stockholm()
    with django_assert_num_queries(2):  # the municipalities, the comparison areas
        content = base_map_json()
    assert len(json.loads(content)["features"]) == count + 1


def test_the_build_is_kept_until_a_boundary_changes(client, django_assert_num_queries):
    huddinge = municipality("0126", "Huddinge")
    base_map_json()
    # A logged-in visitor is not served from the page cache: the build itself is cached.
    client.force_login(User.objects.create_user("visitor"))
    with django_assert_num_queries(2):  # the session and the user; no geometry query
        assert client.get(URL).status_code == 200
    huddinge.boundary = square(17.5, 59.1)
    huddinge.save()
    with django_assert_num_queries(2 + 2):
        assert features(client)[0]["geometry"]["coordinates"][0][0] == [17.5, 59.1]


def test_anonymous_visitors_revalidate_with_the_etag_without_a_query(
    client, django_assert_num_queries
):
    municipality("0126", "Huddinge")
    first = client.get(URL)
    assert first["ETag"] and "public" in first["Cache-Control"]
    with django_assert_num_queries(0):
        again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    with django_assert_num_queries(0):
        assert client.get(URL).content == first.content
    stockholm()  # a change to an area it is built from: a new version
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_one_address_for_every_language(client):
    assert reverse("base_map") == URL
    assert client.get("/en" + URL).status_code == 404


def test_every_map_starts_from_a_partial_that_names_the_base_layer():
    """Maps start from data-map-options (static/js/maps.js): only the two map partials write
    it, and both name the base layer, so a new map page gets its boundaries."""
    starting = set()
    for folder in engines["django"].template_dirs:
        for template in folder.rglob("*.html"):
            text = template.read_text(encoding="utf-8")
            if "data-map-options" in text:
                starting.add(template.relative_to(folder).as_posix())
                assert 'data-base-map-url="{% base_map_url %}"' in text, template
                assert "data-base-map-groups=" in text, template
    assert starting == {"includes/map.html", "indicators/_choropleth_map.html"}


def test_maps_of_stockholm_districts_draw_stockholm_too(client):
    municipality("0126", "Huddinge")
    AreaFactory(
        kind="district", own_code="0180-tensta", own_name="Tensta", own_boundary=square(17.9, 59.4)
    )
    from indicators.tests.factories import municipality_area

    municipality_area(Municipality.objects.get(code="0126"))
    tensta = client.get(reverse("indicators:area_detail", kwargs={"code": "0180-tensta"}))
    huddinge = client.get(reverse("indicators:area_detail", kwargs={"code": "0126"}))
    home = client.get(reverse("testbeds:home"))
    assert f'data-base-map-url="{URL}"' in home.text
    assert 'data-base-map-groups="programme"' in home.text
    assert 'data-base-map-groups="programme comparison"' in tensta.text
    assert 'data-base-map-groups="programme"' in huddinge.text
