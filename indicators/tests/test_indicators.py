"""Indicators: the data model, the pages (charts, choropleth, analysis), the testbed section,
query counts and the demo data."""

import json
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from indicators import charts
from indicators.models import Area, Indicator, Observation
from indicators.services import import_observations
from indicators.tests.factories import (
    AreaFactory,
    IndicatorFactory,
    ObservationFactory,
    bulk_areas,
    bulk_observations,
    municipality_area,
)
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory
from tests import public_pages

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    """Start tags with their attributes, and the text of table cells, from a page."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    @classmethod
    def parse(cls, html: str) -> "Elements":
        parser = cls()
        parser.feed(html)
        return parser

    def find(self, tag, **attrs):
        return [
            a
            for t, a in self.tags
            if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


def section(html: str, element_id: str) -> str:
    """The HTML from the element with this id to the end of its table/svg/ul."""
    start = html.index(f'id="{element_id}"')
    tag = html.rfind("<", 0, start)
    name = re.match(r"<(\w+)", html[tag:]).group(1)
    end = html.index(f"</{name}>", start)
    return html[tag : end + len(name) + 3]


@pytest.fixture
def data():
    """Two programme municipalities, Stockholm and two districts; an indicator with a target,
    three years, a gender split for one municipality, and one real (non-example) value."""
    huddinge = municipality_area(name="Huddinge", slug="huddinge", code="0126")
    botkyrka = municipality_area(name="Botkyrka", slug="botkyrka", code="0127")
    stockholm = AreaFactory(kind="municipality", own_code="0180", own_name="Stockholm")
    tensta = AreaFactory(own_code="0180-tensta", own_name="Tensta", parent=stockholm)
    rinkeby = AreaFactory(own_code="0180-rinkeby", own_name="Rinkeby", parent=stockholm)
    square = {
        "type": "Polygon",
        "coordinates": [[[17.9, 59.4], [17.91, 59.4], [17.91, 59.41], [17.9, 59.41], [17.9, 59.4]]],
    }
    for area in (stockholm, tensta, rinkeby):
        area.own_boundary = square
        area.save()
    employment = IndicatorFactory(
        code="forvarvsfrekvens",
        name="Förvärvsfrekvens",
        dimension="economic",
        direction="higher",
        target_value=Decimal("80"),
        target_year=2020,
        kolada_kpi="N00914",
    )
    assistance = IndicatorFactory(
        code="ekonomiskt-bistand", name="Ekonomiskt bistånd", direction="lower"
    )
    values = {
        huddinge: (74.1, 75.0, 76.2),
        botkyrka: (70.0, 69.5, 71.3),
        stockholm: (78.0, 78.5, 79.0),
        tensta: (58.0, 59.5, 61.0),
        rinkeby: (57.0, 56.5, 58.5),
    }
    for area, series in values.items():
        for year, value in zip((2015, 2016, 2017), series, strict=True):
            ObservationFactory(
                indicator=employment,
                area=area,
                year=year,
                value=Decimal(str(value)),
                is_example=True,
            )
            ObservationFactory(
                indicator=assistance,
                area=area,
                year=year,
                value=Decimal(str(round(100 - value, 1) / 5)),
                is_example=True,
            )
    ObservationFactory(
        indicator=employment, area=huddinge, year=2017, gender="K", value=Decimal("73.0")
    )
    ObservationFactory(
        indicator=employment, area=huddinge, year=2017, gender="M", value=Decimal("79.4")
    )
    Observation.objects.filter(area=stockholm, year=2016, indicator=employment).update(
        is_example=False
    )
    return {
        "huddinge": huddinge,
        "botkyrka": botkyrka,
        "stockholm": stockholm,
        "tensta": tensta,
        "rinkeby": rinkeby,
        "employment": employment,
        "assistance": assistance,
    }


# Model ---------------------------------------------------------------------------------------


def test_a_municipality_area_takes_name_code_and_boundary_from_the_municipality(data):
    area = data["huddinge"]
    assert (area.name, area.code, area.own_name, area.own_code) == ("Huddinge", "0126", "", "")
    municipality = area.municipality
    municipality.name = "Huddinge kommun"
    municipality.boundary = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    municipality.save()
    area = Area.objects.with_identity().get(pk=area.pk)
    assert area.name == area.area_name == "Huddinge kommun"
    assert area.boundary == municipality.boundary
    assert str(area) == "Huddinge kommun"
    assert area.get_absolute_url() == "/omraden/0126/"
    assert list(Area.objects.by_code("0126")) == [area]
    assert Area.objects.code_map()["0180-tensta"] == data["tensta"].pk


@pytest.mark.each_database  # a database constraint or text lookup
def test_the_database_refuses_a_second_copy_of_a_municipalitys_identity(data):
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.filter(pk=data["huddinge"].pk).update(own_name="Kopia")
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.create(kind="district", own_code="", own_name="Utan kod")
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.create(kind="district", own_code="0180-tensta", own_name="Tvilling")


@translation.override("en")
def test_area_validation_messages(data):
    linked = Area(kind="district", municipality=MunicipalityFactory(code="0128"), own_name="Salem")
    with pytest.raises(ValidationError) as error:
        linked.full_clean()
    assert set(error.value.message_dict) >= {"kind", "own_name"}
    copy = Area(kind="municipality", own_code="0126", own_name="Huddinge igen")
    with pytest.raises(ValidationError) as error:
        copy.full_clean()
    assert "programme municipality's code" in error.value.message_dict["own_code"][0]
    tensta = data["tensta"]
    data["stockholm"].parent = tensta
    with pytest.raises(ValidationError, match="loop"):
        data["stockholm"].full_clean()


@pytest.mark.each_database  # a database constraint or text lookup
def test_observation_is_unique_per_indicator_area_year_and_gender(data):
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(
            indicator=data["employment"], area=data["tensta"], year=2016, value=1
        )
    Observation.objects.create(
        indicator=data["employment"], area=data["tensta"], year=2016, gender="K", value=1
    )


@pytest.mark.each_database  # a database constraint or text lookup
def test_indicator_target_needs_value_and_year_and_data_is_a_reserved_code(data):
    indicator = Indicator(code="data", name="X", dimension="social", target_value=1)
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert set(error.value.message_dict) >= {"code", "target_year"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(code="y", name="Y", dimension="social", target_year=2020)


# Indicator list -----------------------------------------------------------------------------


def test_indicator_list_groups_by_dimension_with_latest_range(client, data):
    response = client.get("/indikatorer/")
    assert response.status_code == 200
    groups = {d: [i.code for i in items] for d, _label, items in response.context["groups"]}
    assert groups == {
        "social": ["ekonomiskt-bistand"],
        "ecological": [],
        "economic": ["forvarvsfrekvens"],
    }
    employment = response.context["groups"][2][2][0]
    assert (employment.latest_year, employment.latest_min, employment.latest_max) == (
        2017,
        Decimal("58.5"),
        Decimal("79.0"),
    )
    assert "58,5–79,0 %" in response.text
    assert "Exempeldata" in response.text


# Indicator page: charts, table, map ---------------------------------------------------------


def db_series(indicator, kind, gender="T"):
    return {
        (o.area.code, o.year): o.value
        for o in Observation.objects.filter(
            indicator=indicator, area__kind=kind, gender=gender
        ).select_related("area__municipality")
    }


def test_time_series_svg_points_and_table_hold_the_database_values(client, data):
    response = client.get("/indikatorer/forvarvsfrekvens/")
    assert response.status_code == 200
    html = response.text
    elements = Elements.parse(html)
    points = {}
    for svg in re.findall(r'<svg class="chart chart-small".*?</svg>', html, re.S):
        area = re.search(r'data-area="([^"]+)"', svg).group(1)
        assert "<title id=" in svg and "<desc id=" in svg
        for year, value in re.findall(r'data-year="(\d+)" data-value="([^"]+)"', svg):
            points[(area, int(year))] = Decimal(value)
    expected = db_series(data["employment"], "municipality")
    assert points == expected
    assert len(expected) == 9  # Huddinge, Botkyrka and Stockholm, three years each

    table = section(html, "series-table")
    years = [int(year) for year in re.findall(r'<th scope="col" data-year="(\d+)">', table)]
    assert years == [2017, 2016, 2015]  # newest first: beside the area names, in view
    cells = {}
    for row in re.findall(r'<tr data-area="([^"]+)">(.*?)</tr>', table, re.S):
        area, body = row
        values = re.findall(r'<td(?: data-value="([^"]+)")?>', body)
        for year, value in zip(years, values, strict=True):
            if value:
                cells[(area, year)] = Decimal(value)
    assert cells == expected
    assert '<td data-value="74.1">74,1</td>' in table  # shown in the Swedish format
    assert elements.find("svg", role="img")


def test_gender_and_district_choices(client, data):
    response = client.get("/indikatorer/forvarvsfrekvens/?level=municipality&gender=K&year=2017")
    assert response.context["view"] == {"level": "municipality", "gender": "K", "year": 2017}
    rows = response.context["table_rows"]
    assert [area.name for area, _values in rows] == ["Huddinge"]
    districts = client.get("/indikatorer/forvarvsfrekvens/?level=district")
    assert [a.name for a, _v in districts.context["table_rows"]] == ["Rinkeby", "Tensta"]
    assert "/en/indikatorer/forvarvsfrekvens/?level=district" in districts.text  # language link


def test_choropleth_classes_legend_map_and_table_agree(client, data):
    response = client.get("/indikatorer/forvarvsfrekvens/?year=2016")
    html = response.text
    classes = response.context["classes"]
    assert classes
    features = json.loads(section(html, "choropleth-features").split(">", 1)[1].rsplit("<", 1)[0])
    feature_class = {
        f["properties"]["name"]: f["properties"]["className"] for f in features["features"]
    }
    table = section(html, "map-table")
    legend = section(html, "map-legend")
    counted = {}
    for area, css, value in re.findall(
        r'<tr data-area="([^"]+)" data-class="([^"]+)"><th scope="row"><a [^>]*>[^<]*</a></th>'
        r'<td(?: data-value="([^"]*)")?>',
        table,
    ):
        colour = next(c for c in classes if c.css == css)
        assert colour.low <= Decimal(value) <= colour.high
        counted[css] = counted.get(css, 0) + 1
        area_obj = Area.objects.with_identity().get(area_code=area)
        if area_obj.boundary:
            assert feature_class[area_obj.name] == css
    assert counted == {c.css: c.count for c in classes}
    for colour in classes:
        assert f'data-class="{colour.css}"><span class="swatch {colour.css}"' in legend
        assert colour.label in legend
    # Every value falls in exactly one class, classes do not overlap and are in order.
    for lower, upper in zip(classes, classes[1:], strict=False):
        assert lower.high < upper.low
    assert 'aria-labelledby="legend-heading"' in legend


def test_quantile_classes_cover_every_value_once():
    values = [Decimal(v) for v in ("1", "2", "2", "3", "5", "8", "13", "21", "34", "55")]
    classes = charts.quantile_classes(values, 0)
    assert len(classes) == 5
    for value in values:
        matching = [c for c in classes if c.low <= value <= c.high]
        assert len(matching) == 1
        assert charts.class_of(value, classes) is matching[0]
    assert charts.quantile_classes([Decimal(4)] * 3, 0)[0].label == "4"
    assert charts.quantile_classes([], 1) == []


def test_nice_ticks_and_number_formats():
    assert charts.nice_ticks(57.0, 79.0, 4) == [50.0, 60.0, 70.0, 80.0]
    assert charts.nice_ticks(5, 5)[0] < 5 < charts.nice_ticks(5, 5)[-1]
    assert charts.raw_value(Decimal("100.0000")) == "100"
    assert charts.raw_value(Decimal("-0.5000")) == "-0.5"
    with translation.override("sv"):
        assert charts.format_value(Decimal("1234.56"), 1) == "1\xa0234,6"


def test_target_gap_and_facts(client, data):
    response = client.get("/indikatorer/forvarvsfrekvens/")
    gaps = {
        area.name: (year, value, status["gap_label"], status["met"])
        for area, year, value, status in response.context["gaps"]
    }
    assert gaps["Huddinge"] == (2017, Decimal("76.2"), "-3,8", False)
    assert gaps["Stockholm"][3] is False
    text = response.text
    assert "Avstånd till målet" in text
    assert "N00914" in text
    assert (
        "/indikatorer/forvarvsfrekvens.csv" in text and "/indikatorer/forvarvsfrekvens.json" in text
    )


def test_example_notice_names_the_real_figures(client, data):
    text = client.get("/indikatorer/forvarvsfrekvens/").text
    assert "Exempeldata" in text
    assert "Stockholm 2016" in text
    Observation.objects.update(is_example=False)
    from sodertorn.cache import content_changed

    content_changed()
    assert "Exempeldata" not in client.get("/indikatorer/forvarvsfrekvens/").text


def test_related_testbeds_are_the_published_ones(client, data):
    shown = TestbedFactory(title="Synlig bädd")
    hidden = TestbedFactory(title="Dold bädd", published=False)
    data["employment"].testbeds.set([shown, hidden])
    text = client.get("/indikatorer/forvarvsfrekvens/").text
    assert "Synlig bädd" in text
    assert "Dold bädd" not in text


@pytest.mark.parametrize(
    "query",
    ["?level=nope", "?gender=X", "?year=1066", "?year=abc&level=district", "?level=small_area"],
)
def test_bad_choices_are_reported_and_the_page_still_works(client, data, query):
    response = client.get("/indikatorer/forvarvsfrekvens/" + query)
    assert response.status_code == 200
    assert 'id="view-errors"' in response.text
    assert response.context["small"].charts


def test_unknown_indicator_and_area_are_404(client, data):
    assert client.get("/indikatorer/saknas/").status_code == 404
    assert client.get("/omraden/saknas/").status_code == 404


def test_english_page(client, data):
    response = client.get("/en/indikatorer/forvarvsfrekvens/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Example data" in response.text
    assert "74.1" in response.text


# Area page -----------------------------------------------------------------------------------


def test_area_page_shows_every_indicator_with_latest_value_and_trend(client, data):
    response = client.get("/omraden/0180-tensta/")
    assert response.status_code == 200
    rows = {
        row.indicator.code: row for _d, _l, items in response.context["groups"] for row in items
    }
    employment = rows["forvarvsfrekvens"]
    assert employment.latest == (2017, Decimal("61.0"), True)
    assert employment.change == Decimal("1.5")
    assert employment.parent_latest == Decimal("79.0")
    text = response.text
    assert "Ökar, en förbättring" in text
    assert 'data-value="61" data-year="2017"' in text
    assert rows["ekonomiskt-bistand"].latest[1] == Decimal("7.8")  # (100 - 61.0) / 5
    assert "Minskar, en förbättring" in text  # lower is better
    assert "Stockholm" in text  # parent comparison column and breadcrumb


def test_municipality_area_page_links_the_municipality(client, data):
    text = client.get("/omraden/0126/").text
    assert "<h1>Huddinge</h1>" in text
    assert 'href="/kommuner/huddinge/"' in text


def test_area_list_groups_by_kind(client, data):
    response = client.get("/omraden/")
    groups = {kind: [a.name for a in areas] for kind, _label, areas in response.context["groups"]}
    assert groups == {
        "municipality": ["Botkyrka", "Huddinge", "Stockholm"],
        "district": ["Rinkeby", "Tensta"],
    }


# Analysis ------------------------------------------------------------------------------------


def bubbles(html):
    return {
        a["data-key"]: a
        for a in Elements.parse(html).find("circle")
        if "bubble" in a.get("class", "")
    }


def test_analysis_bubbles_and_table_hold_the_database_values(client, data):
    url = (
        "/analys/?x=forvarvsfrekvens&y=ekonomiskt-bistand&size=&colour=kind&level=all"
        "&gender=T&year=2016"
    )
    response = client.get(url)
    assert response.status_code == 200
    found = bubbles(response.text)
    assert set(found) == {"0126-T", "0127-T", "0180-T", "0180-tensta-T", "0180-rinkeby-T"}
    for key, attrs in found.items():
        code = key.rsplit("-", 1)[0]
        x = Observation.objects.get(
            indicator=data["employment"], area__in=Area.objects.by_code(code), year=2016, gender="T"
        ).value
        y = Observation.objects.get(
            indicator=data["assistance"], area__in=Area.objects.by_code(code), year=2016, gender="T"
        ).value
        assert (Decimal(attrs["data-x"]), Decimal(attrs["data-y"])) == (x, y)
        assert "is-hidden" not in attrs["class"]
    table = section(response.text, "bubble-table")
    assert '<td data-col="x" data-value="59.5">59,5</td>' in table
    frames = json.loads(section(response.text, "bubble-frames").split(">", 1)[1].rsplit("<", 1)[0])
    assert frames["years"] == [2015, 2016, 2017]
    assert frames["frames"]["2016"]["0180-tensta-T"]["xr"] == "59.5"


def test_changing_the_year_moves_the_bubbles(client, data):
    base = "/analys/?x=forvarvsfrekvens&y=ekonomiskt-bistand&level=district"
    early = bubbles(client.get(base + "&year=2015").text)["0180-tensta-T"]
    late = bubbles(client.get(base + "&year=2017").text)["0180-tensta-T"]
    assert (early["cx"], early["cy"]) != (late["cx"], late["cy"])
    assert float(late["cx"]) > float(early["cx"])  # employment rose


def test_analysis_defaults_and_the_view_in_the_url(client, data):
    response = client.get("/analys/")
    view = response.context["view"]
    assert (view["x"], view["y"], view["level"], view["year"]) == (
        "forvarvsfrekvens",
        "ekonomiskt-bistand",
        "municipality",
        2017,
    )
    assert 'name="year"' in response.text and '<form method="get"' in response.text
    assert "Exempeldata" in response.text


def test_analysis_gender_split_draws_women_and_men(client, data):
    response = client.get(
        "/analys/?x=forvarvsfrekvens&y=ekonomiskt-bistand&gender=KM&level=municipality&year=2017"
    )
    found = bubbles(response.text)
    assert set(found) == {"0126-K", "0126-M"}
    assert Decimal(found["0126-K"]["data-x"]) == Decimal("73.0")
    assert Decimal(found["0126-M"]["data-x"]) == Decimal("79.4")
    # Economic assistance has no gender split: its total is used, and the page says so.
    assert [i.code for i in response.context["fallback"]] == ["ekonomiskt-bistand"]
    assert "har inga uppgifter per kön här: totalvärdet används" in response.text
    assert [label for label, _group in response.context["legend"]] == ["Kvinnor", "Män"]


def test_analysis_bad_choices_fall_back_with_a_message(client, data):
    response = client.get("/analys/?x=nope&colour=rainbow&year=1800")
    assert response.status_code == 200
    assert 'id="view-errors"' in response.text
    assert response.context["view"]["x"] == "forvarvsfrekvens"
    assert bubbles(response.text)


def test_analysis_without_indicators(client):
    response = client.get("/analys/")
    assert response.status_code == 200
    assert "Inga indikatorer ännu." in response.text


# Testbed section -----------------------------------------------------------------------------


def test_testbed_page_shows_its_indicators_with_latest_value_and_change(client, data):
    testbed = TestbedFactory(title="Flemingsberg", municipalities=[data["huddinge"].municipality])
    data["employment"].testbeds.add(testbed)
    data["assistance"].testbeds.add(testbed)
    text = client.get(testbed.get_absolute_url()).text
    part = section(text, "testbed-indicators-heading")
    assert "Förvärvsfrekvens" in text and "Ekonomiskt bistånd" in text
    assert "76,2 %" in text  # Huddinge 2017
    assert "Ökar, en förbättring" in text
    assert 'href="/omraden/0126/"' in text
    assert part
    assert "Exempeldata" in text


def test_testbed_without_indicators_has_no_section(client, data):
    testbed = TestbedFactory()
    assert "testbed-indicators" not in client.get(testbed.get_absolute_url()).text


# Query counts --------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        b"".join(response.streaming_content)
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/indikatorer/",
        "/indikatorer/ind-a/",
        "/indikatorer/ind-a/?level=district&year=2016",
        "/omraden/",
        "/omraden/parent/",
        "/omraden/mass-0/",
        "/analys/",
        "/analys/?x=ind-a&y=ind-b&size=ind-a&level=district&colour=parent&gender=KM&year=2016",
        "/indikatorer/ind-a.csv",
        "/indikatorer/data.json",
    ],
)
def test_pages_make_the_same_number_of_queries_for_10_and_300_areas(client, url):
    parent = AreaFactory(kind="municipality", own_code="parent", own_name="Förälder")
    municipality_area(name="Huddinge", slug="huddinge", code="0126")
    indicators = [
        IndicatorFactory(code="ind-a", name="A"),
        IndicatorFactory(code="ind-b", name="B", dimension="ecological"),
    ]
    years = [2015, 2016, 2017]
    areas = bulk_areas(10, parent=parent)
    bulk_observations(indicators, [parent, *areas], years, genders=("T", "K", "M"))
    few = count_queries(client, url)
    more = bulk_areas(290, parent=parent, start=10)
    bulk_observations(indicators, more, years, genders=("T", "K", "M"))
    assert Area.objects.count() == 302
    assert count_queries(client, url) == few


def test_testbed_page_queries_do_not_grow_with_indicators(client):
    municipality = MunicipalityFactory()
    area = municipality_area(municipality)
    testbed = TestbedFactory(municipalities=[municipality])
    first = IndicatorFactory(testbeds=[testbed])
    bulk_observations([first], [area], [2015, 2016])
    few = count_queries(client, testbed.get_absolute_url())
    more = [IndicatorFactory(testbeds=[testbed]) for _ in range(8)]
    bulk_observations(more, [area], range(2009, 2025))
    assert count_queries(client, testbed.get_absolute_url()) == few


# Caching -------------------------------------------------------------------------------------


def test_an_import_refreshes_the_cached_pages(client, data):
    url = "/indikatorer/forvarvsfrekvens/?level=district&year=2017"
    assert "61,0" in client.get(url).text
    assert client.get(url)["X-Page-Cache"] == "hit"
    report = import_observations(
        "indicator,area,year,value\nforvarvsfrekvens,0180-tensta,2017,64.2\n"
    )
    assert report.written
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "64,2" in response.text


# The page computations without a request (issue 13: thin views) ----------------------------


def test_indicator_overview_without_a_request(data):
    from indicators import selectors

    indicator = data["employment"]
    series = selectors.indicator_series(indicator, kind="municipality", gender="T")
    overview = selectors.indicator_overview(indicator, series, 2017)
    gaps = {area.name: (year, value, s["gap_label"]) for area, year, value, s in overview["gaps"]}
    assert gaps["Huddinge"] == (2017, Decimal("76.2"), "-3,8")
    assert overview["real_values"] == ["Stockholm 2016"]
    assert overview["missing_count"] == 0
    names = {f["properties"]["name"] for f in overview["map_features"]["features"]}
    assert "Stockholm" in names
    assert sum(c.count for c in overview["classes"]) == len(overview["map_rows"])


def test_target_gap_direction_without_a_request(data):
    from indicators.selectors import gap_status

    assert gap_status(data["employment"], Decimal("81"))["met"] is True
    assert gap_status(data["employment"], Decimal("79"))["gap_label"] == "-1,0"


def test_the_real_values_rule_is_one_function():
    from indicators.selectors import real_values

    assert real_values(["a 2016"], has_example=True) == ["a 2016"]
    assert real_values(["a 2016"], has_example=False) == []
    assert real_values([f"a {y}" for y in range(11)], has_example=True) == []


def test_area_overview_without_a_request(data):
    from indicators.selectors import area_overview

    overview = area_overview(data["stockholm"])
    assert overview["has_example"] and overview["has_data"]
    assert overview["real_values"] == ["Förvärvsfrekvens 2016"]
    assert {a.name for a in overview["children"]} == {"Tensta", "Rinkeby"}


def test_analysis_bubbles_without_a_request(data):
    from indicators import selectors

    x, y = data["employment"], data["assistance"]
    analysis = selectors.analysis_data([x, y], kind="municipality", genders=["T"])
    bubbles = selectors.analysis_bubbles(
        analysis, x=x, y=y, size=None, gender_choice="T", colour="programme"
    )
    assert bubbles["years"] == [2015, 2016, 2017]
    huddinge = next(item for item in bubbles["items"] if item["label"] == "Huddinge")
    assert huddinge["values"][2017][0] == Decimal("76.2")
    assert bubbles["has_example"] and bubbles["fallback"] == []


# Demo data -----------------------------------------------------------------------------------

demo_media, _media_root, demo_db, demo = public_pages.demo_fixtures()

SEED_004_DISTRICTS = {
    "Rinkeby", "Husby", "Akalla", "Kista", "Tensta", "Vårberg", "Bredäng", "Sätra", "Skärholmen",
    "Hässelby gård", "Grimsta", "Hässelby strand", "Vällingby", "Rågsved", "Hagsätra", "Högdalen",
    "Bandhagen", "Östberga", "Farsta strand", "Hökarängen", "Farsta", "Fagersjö",
}  # fmt: skip


def test_demo_areas_are_the_municipalities_stockholm_and_the_seed_districts(demo):
    from sodertorn.geo import validate_area

    areas = list(Area.objects.with_identity())
    municipalities = [a for a in areas if a.kind == "municipality"]
    assert sorted(a.code for a in municipalities) == [
        "0126", "0127", "0128", "0136", "0138", "0140", "0180", "0181", "0192",
    ]  # fmt: skip
    stockholm = next(a for a in areas if a.code == "0180")
    assert stockholm.municipality_id is None  # not a programme municipality
    assert all(a.municipality_id for a in municipalities if a.code != "0180")
    districts = [a for a in areas if a.kind == "district"]
    assert {a.name for a in districts} == SEED_004_DISTRICTS
    assert all(a.parent_id == stockholm.pk for a in districts)
    for area in areas:
        assert area.boundary, area.name
        validate_area(area.boundary)


def test_demo_indicators_cover_three_dimensions_and_the_programme_years(demo):
    indicators = list(Indicator.objects.all())
    assert len(indicators) >= 8
    assert {i.dimension for i in indicators} == {"social", "ecological", "economic"}
    area_count = Area.objects.exclude(kind="small_area").count()  # small areas: a few indicators
    stockholm_count = Area.objects.within(Area.objects.by_code("0180").get().pk).count()
    for indicator in indicators:
        totals = Observation.objects.filter(indicator=indicator, gender="T").exclude(
            area__kind="small_area"
        )
        years = set(totals.values_list("year", flat=True))
        if indicator.code == "socialt-riskindex":
            # Stockholm's own index: the city and its districts, from the 2012 baseline.
            assert totals.count() == stockholm_count * 7
            assert years == {2012, *range(2014, 2020)}
        else:
            assert totals.count() == area_count * 6, indicator.code
            assert years == set(range(2014, 2020)), indicator.code
    split = set(Observation.objects.filter(gender="K").values_list("indicator__code", flat=True))
    assert {"forvarvsfrekvens", "ekonomiskt-bistand", "gymnasiebehorighet"} <= split
    assert "tobins-q" not in split


def test_the_social_risk_index_has_no_values_outside_stockholm(demo):
    index = Indicator.objects.get(code="socialt-riskindex")
    assert index.area_scope.code == "0180"
    codes = set(
        Area.objects.with_identity()
        .filter(observations__indicator=index)
        .values_list("area_code", flat=True)
    )
    assert "0180" in codes and "0180-tensta" in codes
    assert all(code == "0180" or code.startswith("0180-") for code in codes)
    assert not index.testbeds.exists()  # no Södertörn testbed suggests a comparison


def test_the_demo_gives_no_target_the_sources_do_not(demo):
    assert not Indicator.objects.filter(target_value__isnull=False).exists()
    assert "80" not in Indicator.objects.get(code="forvarvsfrekvens").description


def test_demo_values_are_flagged_except_the_real_figures_from_seed_004(demo):
    real = Observation.objects.filter(is_example=False).select_related("area__municipality")
    assert sorted((o.indicator.code, o.area.code, o.year, o.value) for o in real) == [
        ("socialt-riskindex", "0180", 2012, Decimal("100")),
        ("socialt-riskindex", "0180-tensta", 2012, Decimal("180")),
    ]
    in_2012 = Observation.objects.filter(
        indicator__code="socialt-riskindex", year=2012, area__kind="district"
    )
    assert all(o.value > 100 for o in in_2012)  # all listed districts are above the average


def test_the_demo_goal_tracker_is_the_programme_of_seed_004(client, demo):
    from indicators.models import Body, Goal, GoalArea, Programme

    programme = Programme.objects.get()
    assert programme.follow_up.name == "Kommunstyrelsen"
    assert list(GoalArea.objects.values_list("name", flat=True)) == [
        "Stadsmiljö och boende",
        "Skola och utbildning",
        "Jobb och företagande",
        "Lokalt arbete med social hållbarhet",
    ]
    assert not Goal.objects.filter(is_example=True).exists()
    assert not Goal.objects.filter(target_value__isnull=False).exists()
    goal = Goal.objects.get(goal_area__name="Stadsmiljö och boende", number="1.1")
    assert [r.body.name for r in goal.responsibilities.order_by("position")] == [
        "Exploateringsnämnden",
        "Stadsbyggnadsnämnden",
        "Fastighetsnämnden",
        "Trafiknämnden",
        "Stockholm Business Region",
    ]
    councils = Body.objects.filter(prioritised=True)
    assert councils.count() == 6
    assert {a.name for a in Area.objects.filter(prioritised=True)} == SEED_004_DISTRICTS
    text = client.get("/en/mal/").text
    assert "Tensta: Social risk index fell from 180 in 2012 to" in text
    assert "Rinkeby-Kista stadsdelsnämnd" in text and "Kommunstyrelsen" in text
    assert "Example data" in text and "Real figures:" in text


def test_demo_is_idempotent_and_restores_edited_values(demo):
    from indicators import demo as indicator_demo

    before = sorted(
        Observation.objects.values_list(
            "indicator_id", "area_id", "year", "gender", "value", "is_example"
        )
    )
    Observation.objects.filter(year=2016).update(value=0)
    indicator_demo.load()
    after = sorted(
        Observation.objects.values_list(
            "indicator_id", "area_id", "year", "gender", "value", "is_example"
        )
    )
    assert after == before
    assert Area.objects.exclude(kind="small_area").count() == 31


def test_every_demo_indicator_page_renders(client, demo):
    for indicator in Indicator.objects.all():
        response = client.get(indicator.get_absolute_url())
        assert response.status_code == 200
        assert "Exempeldata" in response.text
        assert response.context["small"].charts
        assert response.context["classes"]
