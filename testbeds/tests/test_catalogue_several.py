"""Several municipalities and several themes at once (issue 15, item 4): any of the chosen
values within a field, all fields together, alike in the list, the GeoJSON, the CSV and the
API."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from testbeds.models import Testbed
from testbeds.tests.factories import (
    MunicipalityFactory,
    TestbedFactory,
    ThemeFactory,
    bulk_testbeds,
)

pytestmark = pytest.mark.django_db

LIST = "/testbaddar/"
GEOJSON = "/testbaddar.geojson"

TWO_MUNICIPALITIES = "municipality=botkyrka&municipality=haninge"
TWO_THEMES = "theme=mobilitet&theme=energi"


@pytest.fixture
def catalogue():
    """Three municipalities and three themes; one testbed in two of the municipalities, one
    with two of the themes, and an unpublished one."""
    botkyrka = MunicipalityFactory(name="Botkyrka", slug="botkyrka", code="0127")
    haninge = MunicipalityFactory(name="Haninge", slug="haninge", code="0136")
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    mobility = ThemeFactory(name="Mobilitet", slug="mobilitet")
    energy = ThemeFactory(name="Energi", slug="energi")
    water = ThemeFactory(name="Vatten", slug="vatten")
    for slug, municipalities, themes in [
        ("fittja", [botkyrka], [mobility]),
        ("jordbro", [haninge], [energy]),
        ("flemingsberg", [huddinge], [mobility]),
        ("gransen", [botkyrka, haninge], [water]),
        ("handen", [haninge], [mobility, energy]),
    ]:
        TestbedFactory(
            title=slug.capitalize(), slug=slug, municipalities=municipalities, themes=themes
        )
    TestbedFactory(title="Dold", slug="dold", published=False, municipalities=[botkyrka])


CASES = [
    (TWO_MUNICIPALITIES, {"fittja", "jordbro", "gransen", "handen"}),
    (TWO_THEMES, {"fittja", "jordbro", "flemingsberg", "handen"}),
    # across fields: all of them
    (f"{TWO_MUNICIPALITIES}&{TWO_THEMES}", {"fittja", "jordbro", "handen"}),
    (f"{TWO_MUNICIPALITIES}&theme=vatten", {"gransen"}),
    (f"municipality=huddinge&{TWO_THEMES}&status=completed", set()),
    (f"municipality=huddinge&{TWO_THEMES}", {"flemingsberg"}),
    # the same value twice, and the empty value the old single-choice form sent for "all"
    ("municipality=haninge&municipality=haninge", {"jordbro", "gransen", "handen"}),
    ("municipality=&theme=", {"fittja", "jordbro", "flemingsberg", "gransen", "handen"}),
    ("municipality=&municipality=botkyrka", {"fittja", "gransen"}),
]


def list_slugs(client, query):
    response = client.get(f"{LIST}?{query}&sort=title")
    assert response.status_code == 200
    assert not response.context["filter_errors"]
    slugs = [t.slug for t in response.context["paginator"].object_list]
    assert len(slugs) == len(set(slugs)) == response.context["paginator"].count
    return slugs


def geojson_slugs(client, query):
    response = client.get(f"{GEOJSON}?{query}&sort=title")
    assert response.status_code == 200
    return [f["properties"]["slug"] for f in response.json()["features"]]


def csv_slugs(client, query):
    response = client.get(f"{reverse('opendata:testbeds_csv')}?{query}&sort=title")
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
    return [row["slug"] for row in rows]


def api_slugs(client, query):
    response = client.get(f"{reverse('api:testbeds-list')}?{query}&sort=title&limit=100")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == len(data["results"])
    return [row["slug"] for row in data["results"]]


@pytest.mark.parametrize("read", [list_slugs, geojson_slugs, csv_slugs, api_slugs])
@pytest.mark.parametrize(("query", "expected"), CASES)
def test_any_of_several_values_within_a_field_and_all_fields(
    client, catalogue, read, query, expected
):
    slugs = read(client, query)
    assert set(slugs) == expected
    assert len(slugs) == len(expected)  # a testbed in both municipalities is listed once


def test_the_list_the_map_the_csv_and_the_api_agree(client, catalogue):
    query = f"{TWO_MUNICIPALITIES}&{TWO_THEMES}"
    slugs = list_slugs(client, query)
    assert slugs == geojson_slugs(client, query) == csv_slugs(client, query)
    assert slugs == api_slugs(client, query)


def test_the_list_page_links_keep_every_value(client, catalogue):
    # the map reads the filters that validated, each value of them
    response = client.get(f"{LIST}?{TWO_MUNICIPALITIES}&{TWO_THEMES}&status=xyz")
    assert response.context["geojson_url"] == f"{GEOJSON}?{TWO_MUNICIPALITIES}&{TWO_THEMES}"
    html = client.get(f"{LIST}?{TWO_MUNICIPALITIES}&{TWO_THEMES}").text
    assert f'data-geojson-url="{GEOJSON}?{TWO_MUNICIPALITIES.replace("&", "&amp;")}' in html
    # the CSV link keeps the whole query
    csv_link = re.search(r'href="([^"]*export\.csv\?[^"]*)" download', html)
    assert csv_link and TWO_MUNICIPALITIES.replace("&", "&amp;") in csv_link.group(1)
    # both chosen municipalities and themes are ticked, the third is not
    for name, value in [
        ("municipality", "botkyrka"),
        ("municipality", "haninge"),
        ("theme", "mobilitet"),
        ("theme", "energi"),
    ]:
        assert re.search(rf'name="{name}" value="{value}" id="id_{name}_\d+" checked>', html)
    assert re.search(r'name="municipality" value="huddinge" id="id_municipality_\d+">', html)
    assert re.search(r'name="theme" value="vatten" id="id_theme_\d+">', html)


def test_pagination_keeps_every_value(client):
    botkyrka = MunicipalityFactory(name="Botkyrka", slug="botkyrka", code="0127")
    haninge = MunicipalityFactory(name="Haninge", slug="haninge", code="0136")
    bulk_testbeds(10, botkyrka)
    bulk_testbeds(10, haninge, start=10)
    response = client.get(f"{LIST}?{TWO_MUNICIPALITIES}&sort=title")
    assert response.context["paginator"].count == 20
    expected = "?municipality=botkyrka&amp;municipality=haninge&amp;sort=title&amp;page=2"
    assert f'href="{expected}"' in response.text
    page2 = client.get(f"{LIST}?{TWO_MUNICIPALITIES}&sort=title&page=2")
    assert len(page2.context["object_list"]) == 8


def test_the_filter_is_a_fieldset_of_checkboxes_with_a_legend(client, catalogue):
    html = client.get(f"/en{LIST}").text
    form = html.split('class="filter-form"', 1)[1].split("</form>", 1)[0]
    for legend, name in [("Municipality", "municipality"), ("Theme", "theme")]:
        fieldset = re.search(
            rf'<fieldset class="field field-choices">\s*<legend>{legend}</legend>\s*'
            rf'<div id="id_{name}">(.*?)</div>\s*</fieldset>',
            form,
            re.S,
        )
        assert fieldset, legend
        boxes = re.findall(
            rf'<label for="id_{name}_(\d+)"><input type="checkbox" name="{name}" value="[-\w]+"'
            rf' id="id_{name}_(\d+)">',
            fieldset.group(1),
        )
        assert len(boxes) == 3 and all(a == b for a, b in boxes)  # each box labelled
    assert '<select name="municipality"' not in form and '<select name="theme"' not in form


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("municipality=botkyrka&municipality=stockholm", "Unknown municipality"),
        ("municipality=%3Cscript%3E", "Unknown municipality"),
        ("municipality=a%00b", "Unknown municipality"),
        ("theme=energi&theme=nope", "Unknown theme"),
        ("&".join(f"municipality=m{n}" for n in range(60)), "Unknown municipality"),
    ],
)
def test_unknown_values_are_a_form_error_everywhere_never_a_500(client, catalogue, query, message):
    response = client.get(f"/en{LIST}?{query}&theme=vatten")
    assert response.status_code == 200
    assert message in response.text and 'role="alert"' in response.text
    assert "<script>" not in response.text.split('role="alert"', 1)[1].split("</div>", 1)[0]
    if "theme=nope" not in query:  # the other filters still apply
        assert [t.slug for t in response.context["object_list"]] == ["gransen"]
    field = "theme" if "theme=nope" in query else "municipality"
    assert f"{field}=" not in response.context["geojson_url"]  # the map leaves it out too
    geojson = client.get(f"{GEOJSON}?{query}")
    assert geojson.status_code == 400 and field in geojson.json()["errors"]
    assert client.get(f"{reverse('opendata:testbeds_csv')}?{query}").status_code == 400
    api = client.get(f"{reverse('api:testbeds-list')}?{query}")
    assert api.status_code == 400 and field in api.json()["errors"]


def test_the_api_description_shows_municipality_and_theme_as_repeatable(client):
    description = client.get(reverse("api:openapi")).json()
    path = reverse("api:testbeds-list")
    parameters = {p["name"]: p for p in description["paths"][path]["get"]["parameters"]}
    for name in ("municipality", "theme"):
        parameter = parameters[name]
        assert parameter["schema"]["type"] == "array"
        assert parameter["schema"]["items"]["type"] == "string"
        assert parameter["style"] == "form" and parameter["explode"] is True
        assert "repeat the parameter" in parameter["description"]
    assert parameters["status"]["schema"]["type"] == "string"  # one value, as before


def test_the_api_next_link_keeps_every_value(client, catalogue):
    response = client.get(f"{reverse('api:testbeds-list')}?{TWO_MUNICIPALITIES}&limit=2")
    data = response.json()
    assert data["count"] == 4
    assert "municipality=botkyrka&municipality=haninge" in data["next"]
    assert len(client.get(data["next"]).json()["results"]) == 2


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        f"{LIST}?{TWO_MUNICIPALITIES}&{TWO_THEMES}",
        f"{GEOJSON}?{TWO_MUNICIPALITIES}&{TWO_THEMES}",
        f"/testbaddar/export.csv?{TWO_MUNICIPALITIES}&{TWO_THEMES}",
        f"/api/v1/testbeds/?{TWO_MUNICIPALITIES}&{TWO_THEMES}&limit=500",
    ],
)
def test_several_values_keep_the_query_count_for_10_and_500_testbeds(client, url):
    botkyrka = MunicipalityFactory(name="Botkyrka", slug="botkyrka", code="0127")
    haninge = MunicipalityFactory(name="Haninge", slug="haninge", code="0136")
    mobility = ThemeFactory(name="Mobilitet", slug="mobilitet")
    ThemeFactory(name="Energi", slug="energi")
    bulk_testbeds(5, botkyrka, mobility)
    bulk_testbeds(5, haninge, mobility, start=5)
    few = count_queries(client, url)
    bulk_testbeds(245, botkyrka, mobility, start=10)
    bulk_testbeds(245, haninge, mobility, start=255)
    assert Testbed.objects.count() == 500
    assert count_queries(client, url) == few


def test_the_choice_filter_adds_no_join_to_the_catalogue_query(client, catalogue):
    """A subquery per field, not a join: no duplicate rows to remove with DISTINCT."""
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"{GEOJSON}?{TWO_MUNICIPALITIES}&{TWO_THEMES}")
    main = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "testbeds_')]
    assert main and not any("DISTINCT" in sql for sql in main)


def test_the_issues_check_with_the_demo_data(client):
    """Issue 15's "done when": with the demo data, Botkyrka and Haninge together list both
    municipalities' testbeds, and the map and the CSV agree."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    published = Testbed.objects.published()
    expected = set(
        published.filter(municipalities__slug__in=["botkyrka", "haninge"]).values_list(
            "slug", flat=True
        )
    )
    for slug in ("botkyrka", "haninge"):
        assert published.filter(municipalities__slug=slug).exists(), slug
    response = client.get(f"{LIST}?{TWO_MUNICIPALITIES}")
    assert response.context["paginator"].count == len(expected)
    assert set(list_slugs(client, TWO_MUNICIPALITIES)) == expected
    assert set(geojson_slugs(client, TWO_MUNICIPALITIES)) == expected
    assert sorted(csv_slugs(client, TWO_MUNICIPALITIES)) == sorted(expected)
