"""Each open-data field is declared once (sodertorn/apischema.py, in each app's api.py), and both
the JSON answers and the served OpenAPI description come from that declaration: every key of
every answer is in its schema and every schema property is in the answer, in the same order,
down to the nested objects."""

import datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse

from collaboration.tests.factories import ActorFactory, GrantFactory
from ideagroups.tests.factories import IdeaGroupFactory, MembershipFactory, WorkEntryFactory
from indicators.tests.factories import IndicatorFactory, ObservationFactory, municipality_area
from opendata.resources import by_name, resources
from results.tests.factories import FilmFactory, ResultFactory
from sodertorn.apischema import (
    Date,
    Enum,
    Integer,
    Links,
    List,
    Named,
    Number,
    Object,
    Resource,
    String,
    Uri,
)
from testbeds.tests.factories import OpenTestbedFactory, PlaceFactory, ThemeFactory

ORDER = [
    "testbeds",
    "results",
    "films",
    "idea-groups",
    "actors",
    "grants",
    "indicators",
    "observations",
]
AREA = {
    "type": "Polygon",
    "coordinates": [[[17.9, 59.2], [17.95, 59.2], [17.95, 59.25], [17.9, 59.2]]],
}


@pytest.fixture
def content(db):
    """One of everything, with the nullable fields both empty and filled."""
    huddinge = PlaceFactory(name="Huddinge", slug="huddinge", code="0126")
    green = ThemeFactory(name="Grönska", slug="gronska")
    full = OpenTestbedFactory(
        slug="full", municipalities=[huddinge], themes=[green], area=AREA, end_date=None
    )
    bare = OpenTestbedFactory(
        slug="bare", latitude=None, longitude=None, end_date=datetime.date(2019, 1, 1)
    )
    group = IdeaGroupFactory(slug="group", testbeds=[full], theme=green)
    MembershipFactory(
        group=group,
        actor=ActorFactory(
            slug="kommun", sector="public", website="https://example.org", municipality=huddinge
        ),
    )
    ActorFactory(slug="plain")
    grant = GrantFactory(
        slug="grant",
        summary="Syfte.",
        source_name="Vinnova",
        source_url="https://www.vinnova.se/",
        end_date=datetime.date(2016, 1, 1),
    )
    grant.testbeds.set([full])
    grant.municipalities.set([huddinge])
    GrantFactory(slug="bare-grant", reference="")
    WorkEntryFactory(group=group, status="published")
    result = ResultFactory(testbed=full, slug="result", idea_group=group)
    ResultFactory(testbed=bare, slug="other")
    FilmFactory(testbed=full, slug="film", captions_language="sv")
    FilmFactory(testbed=None, result=result, slug="via-result")
    indicator = IndicatorFactory(
        code="full", target_value=Decimal("12.5"), target_year=2020, kolada_kpi="N0001"
    )
    indicator.themes.set([green])
    indicator.testbeds.set([full])
    IndicatorFactory(code="bare")
    ObservationFactory(indicator=indicator, area=municipality_area(huddinge), note="n")
    ObservationFactory(indicator=indicator, gender="K")


def resolve(schema, components):
    while "$ref" in schema:
        schema = {
            **components[schema["$ref"].rsplit("/", 1)[1]],
            **{k: v for k, v in schema.items() if k != "$ref"},
        }
    return schema


def check(value, schema, components, where):
    """The value has exactly the schema's properties, in its order, all the way down."""
    schema = resolve(schema, components)
    if value is None:
        assert schema.get("nullable"), f"{where}: null, but not nullable"
        return
    if "oneOf" in schema:
        assert any(
            list(value) == list(resolve(s, components)["properties"]) for s in schema["oneOf"]
        ), where
        return
    if schema.get("type") == "object" and "properties" in schema:
        assert list(value) == list(schema["properties"]), where
        assert schema["required"] == list(schema["properties"]), where
        assert schema["additionalProperties"] is False, where
        for key, item in value.items():
            check(item, schema["properties"][key], components, f"{where}.{key}")
    elif schema.get("type") == "array":
        for index, item in enumerate(value):
            check(item, schema["items"], components, f"{where}[{index}]")
    elif "enum" in schema:
        assert value in schema["enum"], where


@pytest.fixture
def description(client, content):
    return client.get(reverse("api:openapi")).json()


def test_the_resources_keep_their_order(db):
    assert [resource.name for resource in resources()] == ORDER


@pytest.mark.parametrize("name", ORDER)
def test_every_answer_has_exactly_the_described_keys(client, description, name):
    components = description["components"]["schemas"]
    resource = by_name(name)
    answer = client.get(reverse(f"api:{name}-list")).json()
    assert answer["results"], "the fixture makes rows of every resource"
    check(answer, {"$ref": f"#/{resource.schema_name}List"}, components, name)
    if resource.lookup:
        for row in answer["results"]:
            detail = client.get(f"{reverse(f'api:{name}-list')}{row[resource.lookup]}/").json()
            check(detail, {"$ref": f"#/{resource.schema_name}Detail"}, components, name)
            # The detail adds the detail-only fields, at the end.
            assert list(detail)[: len(row)] == list(row)


@pytest.mark.parametrize("name", ORDER)
def test_the_schema_is_the_declaration(description, name):
    resource = by_name(name)
    schemas = description["components"]["schemas"]
    listed = [key for key, field in resource.fields.items() if not field.detail]
    assert list(schemas[resource.schema_name]["properties"]) == listed
    if resource.lookup:
        assert list(schemas[f"{resource.schema_name}Detail"]["properties"]) == list(resource.fields)
    else:
        assert f"{resource.schema_name}Detail" not in schemas


def test_known_parts_of_the_description(description):
    schemas = description["components"]["schemas"]
    assert list(schemas)[:10] == [
        "Named",
        "TitledRef",
        "NamedRef",
        "Point",
        "Area",
        "TestbedGeometry",
        "TimelineEvent",
        "Testbed",
        "TestbedDetail",
        "Result",
    ]
    assert schemas["Film"]["properties"]["duration"] == {
        "type": "integer",
        "minimum": 1,
        "description": "Seconds.",
    }
    assert schemas["TestbedDetail"]["properties"]["body"] == {
        "type": "string",
        "description": "Markdown.",
    }
    assert schemas["Result"]["properties"]["idea_group"] == {
        "$ref": "#/components/schemas/NamedRef",
        "nullable": True,
    }
    assert schemas["Film"]["properties"]["captions_language"]["nullable"] is True
    assert schemas["Indicator"]["properties"]["target"]["properties"] == {
        "value": {"type": "number"},
        "year": {"type": "integer"},
    }
    assert schemas["Observation"]["properties"]["area"]["required"] == ["code", "name", "kind"]
    assert schemas["IdeaGroupDetail"]["properties"]["work"]["items"]["additionalProperties"] is (
        False
    )


def test_known_values(client, content):
    full = client.get(reverse("api:testbeds-list") + "full/").json()
    assert full["geometry"]["point"]["type"] == "Point"
    assert full["geometry"]["area"] == AREA
    assert full["end_date"] is None
    assert full["results_url"].endswith("/api/v1/results/?testbed=full")
    bare = client.get(reverse("api:testbeds-list") + "bare/").json()
    assert bare["geometry"] == {"point": None, "area": None}
    assert bare["end_date"] == "2019-01-01"
    indicator = client.get(reverse("api:indicators-list") + "full/").json()
    assert indicator["target"] == {"value": 12.5, "year": 2020}
    assert indicator["observations_url"].endswith("/api/v1/observations/?indicator=full")
    assert client.get(reverse("api:indicators-list") + "bare/").json()["target"] is None
    plain = client.get(reverse("api:actors-list") + "plain/").json()
    assert plain["website"] is None and plain["municipality"] is None
    group = client.get(reverse("api:idea-groups-list") + "group/").json()
    assert [org["slug"] for org in group["organisations"]] == ["kommun"]
    assert group["work"] and set(group["work"][0]) == {"id", "title", "kind", "date", "html_url"}


def test_one_declaration_gives_the_json_and_the_schema(rf: RequestFactory):
    """A field added to a declaration shows in both at once, and nothing else does."""

    class Row:
        pk, code, name, website, when, share = 7, "a", "Ett", "", datetime.date(2020, 5, 1), 1
        theme = type("Theme", (), {"slug": "t", "name": "Tema"})()
        tags = ["x", "y"]

    resource = Resource(
        "rows",
        "Row",
        "Rows.",
        queryset=lambda: None,
        fields={
            "id": Integer("pk"),
            "code": String(),
            "kind": Enum([("a", "A"), ("b", "B")], "code"),
            "website": Uri(nullable=True),
            "when": Date(),
            "share": Number(minimum=0),
            "theme": Named(nullable=True),
            "tags": List(String()),
            "inner": Object({"name": String()}),
            "notes": String(lambda row: row.name.upper(), detail=True, description="Upper."),
        },
    )
    links = Links(rf.get("/"))
    assert resource.serialize(Row(), links) == {
        "id": 7,
        "code": "a",
        "kind": "a",
        "website": None,
        "when": "2020-05-01",
        "share": 1.0,
        "theme": {"slug": "t", "name": "Tema"},
        "tags": ["x", "y"],
        "inner": {"name": "Ett"},
    }
    assert resource.serialize(Row(), links, detail=True)["notes"] == "ETT"
    schema = resource.schema()
    assert list(schema["properties"]) == list(resource.serialize(Row(), links))
    assert schema["properties"]["kind"] == {"type": "string", "enum": ["a", "b"]}
    assert schema["properties"]["website"] == {"type": "string", "format": "uri", "nullable": True}
    assert schema["properties"]["share"] == {"type": "number", "minimum": 0}
    assert schema["properties"]["tags"] == {"type": "array", "items": {"type": "string"}}
    assert resource.schema(detail=True)["properties"]["notes"] == {
        "type": "string",
        "description": "Upper.",
    }
    assert list(resource.components()) == ["Named"]
