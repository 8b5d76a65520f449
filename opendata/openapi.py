"""The OpenAPI 3 description of the API, served at /api/v1/openapi.json.

Paths come from the resource registry (resources.py) and query parameters from the very
FilterSets the views apply, so the description cannot name a filter the API does not have.
Response schemas are written out here and forbid unknown properties: the schemathesis test
(opendata/tests/test_opendata_schema.py) fails as soon as a serializer and its schema disagree.
"""

from __future__ import annotations

import django_filters
from django.urls import reverse
from django.utils import translation

from .datasets import CONTACT_EMAIL, LICENSE_NAME, LICENSE_URL
from .resources import RESOURCES

API_VERSION = "1.0.0"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"  # Django's <slug:> converter


def nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def obj(properties: dict, *, optional: tuple[str, ...] = ()) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
URI = {"type": "string", "format": "uri"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
SLUG = {"type": "string", "pattern": SLUG_PATTERN}


def enum_of(choices, *, empty: bool = False) -> dict:
    values = [value for value, _label in choices]
    return {"type": "string", "enum": ["", *values] if empty else values}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _component_schemas() -> dict:
    from collaboration.models import Sector
    from ideagroups.models import Focus, Kind
    from indicators.models import AreaKind, Dimension, Direction, Gender
    from results.models import CaptionsLanguage, ResultKind
    from results.video import PROVIDERS
    from testbeds.models import TestbedStatus

    named = obj({"slug": STRING, "name": STRING})
    titled_ref = obj({"slug": STRING, "title": STRING, "url": URI, "html_url": URI})
    named_ref = obj({"slug": STRING, "name": STRING, "url": URI, "html_url": URI})
    position = {"type": "array", "items": NUMBER, "minItems": 2, "maxItems": 3}
    ring = {"type": "array", "items": position, "minItems": 4}
    polygon = {"type": "array", "items": ring, "minItems": 1}

    testbed = {
        "id": INTEGER,
        "slug": STRING,
        "title": STRING,
        "question": STRING,
        "summary": STRING,
        "status": enum_of(TestbedStatus.choices),
        "start_date": DATE,
        "end_date": nullable(DATE),
        "place_name": STRING,
        "municipalities": {"type": "array", "items": ref("Named")},
        "themes": {"type": "array", "items": ref("Named")},
        "geometry": ref("TestbedGeometry"),
        "is_demo": BOOLEAN,
        "created_at": DATETIME,
        "updated_at": DATETIME,
        "url": URI,
        "html_url": URI,
        "results_url": URI,
    }
    result = {
        "id": INTEGER,
        "slug": STRING,
        "title": STRING,
        "kind": enum_of(ResultKind.choices),
        "summary": STRING,
        "date": DATE,
        "testbed": ref("TitledRef"),
        "idea_group": nullable(ref("NamedRef")),
        "is_demo": BOOLEAN,
        "url": URI,
        "html_url": URI,
    }
    film = {
        "id": INTEGER,
        "slug": STRING,
        "title": STRING,
        "description": STRING,
        "video_url": URI,
        "provider": enum_of(PROVIDERS),
        "video_id": STRING,
        "duration": {"type": "integer", "minimum": 1, "description": "Seconds."},
        "captions_language": nullable(enum_of(CaptionsLanguage.choices)),
        "has_transcript": BOOLEAN,
        "testbed": nullable(ref("TitledRef")),
        "result": nullable(ref("TitledRef")),
        "is_demo": BOOLEAN,
        "url": URI,
        "html_url": URI,
    }
    idea_group = {
        "id": INTEGER,
        "slug": STRING,
        "name": STRING,
        "description": STRING,
        "focus": enum_of(Focus.choices),
        "theme": nullable(ref("Named")),
        "start_date": DATE,
        "end_date": nullable(DATE),
        "testbeds": {"type": "array", "items": ref("TitledRef")},
        "organisations": {"type": "array", "items": ref("NamedRef")},
        "is_demo": BOOLEAN,
        "url": URI,
        "html_url": URI,
    }
    work = obj(
        {
            "id": INTEGER,
            "title": STRING,
            "kind": enum_of(Kind.choices),
            "date": DATE,
            "html_url": URI,
        }
    )
    actor = {
        "id": INTEGER,
        "slug": STRING,
        "name": STRING,
        "sector": enum_of(Sector.choices),
        "description": STRING,
        "website": nullable(URI),
        "municipality": nullable(ref("Named")),
        "is_demo": BOOLEAN,
        "url": URI,
        "html_url": URI,
    }
    indicator = {
        "id": INTEGER,
        "code": STRING,
        "name": STRING,
        "description": STRING,
        "dimension": enum_of(Dimension.choices),
        "unit": STRING,
        "decimals": {"type": "integer", "minimum": 0, "maximum": 4},
        "direction": enum_of(Direction.choices),
        "source": STRING,
        "method": STRING,
        "responsible_body": STRING,
        "target": nullable(obj({"value": NUMBER, "year": INTEGER})),
        "kolada_kpi": nullable(STRING),
        "themes": {"type": "array", "items": ref("Named")},
        "testbeds": {"type": "array", "items": ref("TitledRef")},
        "url": URI,
        "html_url": URI,
        "observations_url": URI,
        "csv_url": URI,
    }
    observation = {
        "indicator": STRING,
        "indicator_url": URI,
        "area": obj({"code": STRING, "name": STRING, "kind": enum_of(AreaKind.choices)}),
        "year": INTEGER,
        "gender": enum_of(Gender.choices),
        "value": NUMBER,
        "note": STRING,
        "is_example": BOOLEAN,
    }
    schemas = {
        "Named": named,
        "TitledRef": titled_ref,
        "NamedRef": named_ref,
        "Point": obj({"type": {"type": "string", "enum": ["Point"]}, "coordinates": position}),
        "Area": {
            "oneOf": [
                obj({"type": {"type": "string", "enum": ["Polygon"]}, "coordinates": polygon}),
                obj(
                    {
                        "type": {"type": "string", "enum": ["MultiPolygon"]},
                        "coordinates": {"type": "array", "items": polygon, "minItems": 1},
                    }
                ),
            ]
        },
        "TestbedGeometry": obj({"point": nullable(ref("Point")), "area": nullable(ref("Area"))}),
        "Testbed": obj(testbed),
        "TestbedDetail": obj({**testbed, "body": {**STRING, "description": "Markdown."}}),
        "Result": obj(result),
        "ResultDetail": obj({**result, "body": {**STRING, "description": "Markdown."}}),
        "Film": obj(film),
        "FilmDetail": obj({**film, "transcript": STRING}),
        "IdeaGroup": obj(idea_group),
        "IdeaGroupDetail": obj({**idea_group, "work": {"type": "array", "items": work}}),
        "Actor": obj(actor),
        "ActorDetail": obj(actor),
        "Indicator": obj(indicator),
        "IndicatorDetail": obj(indicator),
        "Observation": obj(observation),
        "Error": obj(
            {
                "detail": STRING,
                "errors": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": STRING},
                },
            },
            optional=("errors",),
        ),
    }
    for resource in RESOURCES:
        schemas[f"{resource.schema_name}List"] = obj(
            {
                "count": {"type": "integer", "minimum": 0},
                "limit": {"type": "integer", "minimum": 1},
                "offset": {"type": "integer", "minimum": 0},
                "next": nullable(URI),
                "previous": nullable(URI),
                "results": {"type": "array", "items": ref(resource.schema_name)},
            }
        )
    return schemas


def filter_parameter(name: str, filter_) -> dict:
    """An OpenAPI query parameter for one django-filter filter."""
    extra = filter_.extra
    if isinstance(filter_, django_filters.ModelChoiceFilter):
        schema = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]*$"}
        model = filter_.extra["queryset"].model
        key = filter_.extra.get("to_field_name") or "pk"
        description = f"{filter_.label}: the {key} of a {model._meta.model_name} (empty: all)."
    elif isinstance(filter_, django_filters.ChoiceFilter):
        choices = extra["choices"]
        choices = choices() if callable(choices) else choices
        schema = enum_of(choices, empty=True)
        description = f"{filter_.label} (empty: all): " + ", ".join(
            f"{value} ({label})" for value, label in choices
        )
    elif filter_.field_class.__name__ == "IntegerField":
        schema = {"type": "integer"}
        if "min_value" in extra:
            schema["minimum"] = extra["min_value"]
        if "max_value" in extra:
            schema["maximum"] = extra["max_value"]
        description = str(filter_.label)
    else:
        schema = {"type": "string"}
        if "max_length" in extra:
            schema["maxLength"] = extra["max_length"]
        description = str(filter_.label)
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": str(description),
        "schema": schema,
    }


def _json(schema_name: str, description: str, media_type: str = "application/json") -> dict:
    return {"description": description, "content": {media_type: {"schema": ref(schema_name)}}}


def _paths() -> dict:
    from .views import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET

    page_parameters = [
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": f"Rows per answer (default {DEFAULT_LIMIT}).",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
        },
        {
            "name": "offset",
            "in": "query",
            "required": False,
            "description": "Rows to skip.",
            "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
        },
    ]
    paths = {
        reverse("api:index"): {
            "get": {
                "operationId": "index",
                "summary": "Where to start: the address of every resource.",
                "tags": ["meta"],
                "responses": {"200": _json("Index", "The API's resources.")},
            }
        },
        reverse("api:openapi"): {
            "get": {
                "operationId": "openapi",
                "summary": "This description.",
                "tags": ["meta"],
                "responses": {
                    "200": {
                        "description": "An OpenAPI 3 document.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        reverse("api:catalog"): {
            "get": {
                "operationId": "catalog",
                "summary": "The datasets as DCAT-AP-SE metadata (JSON-LD).",
                "tags": ["meta"],
                "responses": {"200": _json("Catalog", "A JSON-LD graph.", "application/ld+json")},
            }
        },
    }
    for resource in RESOURCES:
        filters = resource.filterset_class.base_filters if resource.filterset_class else {}
        list_path = reverse(f"api:{resource.name}-list")
        paths[list_path] = {
            "get": {
                "operationId": f"{resource.name}-list",
                "summary": resource.summary,
                "tags": [resource.name],
                "parameters": [
                    *(filter_parameter(name, f) for name, f in filters.items()),
                    *page_parameters,
                ],
                "responses": {
                    "200": _json(f"{resource.schema_name}List", "One page of rows."),
                    "400": _json("Error", "A query parameter is not valid."),
                },
            }
        }
        if resource.lookup:
            paths[f"{list_path}{{{resource.lookup}}}/"] = {
                "get": {
                    "operationId": f"{resource.name}-detail",
                    "summary": f"One of: {resource.summary[0].lower()}{resource.summary[1:]}",
                    "tags": [resource.name],
                    "parameters": [
                        {
                            "name": resource.lookup,
                            "in": "path",
                            "required": True,
                            "schema": SLUG,
                        }
                    ],
                    "responses": {
                        "200": _json(f"{resource.schema_name}Detail", "The resource."),
                        "404": _json("Error", "No published resource with that key."),
                    },
                }
            }
    return paths


def build(request) -> dict:
    with translation.override("en"):
        schemas = _component_schemas()
        schemas["Index"] = obj(
            {
                "title": STRING,
                "version": STRING,
                "license": URI,
                "openapi": URI,
                "catalog": URI,
                "documentation": URI,
                "resources": obj({resource.name: URI for resource in RESOURCES}),
            }
        )
        schemas["Catalog"] = {
            "type": "object",
            "required": ["@context", "@graph"],
            "properties": {
                "@context": {"type": "object"},
                "@graph": {"type": "array", "items": {"type": "object"}},
            },
        }
        return {
            "openapi": "3.0.3",
            "info": {
                "title": "Södertörnsmodellen open data API",
                "version": API_VERSION,
                "description": (
                    "Read-only access to the published content of the Södertörn Model portal: "
                    "testbeds, results, films, idea groups, actors, indicators and their "
                    "observations. Every list is paginated with limit and offset and takes the "
                    "same filters as the portal's own list pages. Only GET is supported."
                ),
                "license": {"name": LICENSE_NAME, "url": LICENSE_URL},
                "contact": {
                    "email": CONTACT_EMAIL,
                    "url": request.build_absolute_uri(reverse("opendata:data")),
                },
            },
            "servers": [{"url": request.build_absolute_uri("/").rstrip("/")}],
            "paths": _paths(),
            "components": {"schemas": schemas},
        }
