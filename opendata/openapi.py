"""The OpenAPI 3 description of the API, served at /api/v1/openapi.json.

Paths come from the resource registry (resources.py) and query parameters from the very
FilterSets the views apply, so the description cannot name a filter the API does not have.
Response schemas are generated from the same field declarations that serialise the answers
(sodertorn/apischema.py, declared in each app's api.py) and forbid unknown properties; the
schemathesis test (opendata/tests/test_opendata_schema.py) checks the served answers against them.
"""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from sodertorn.apischema import (
    SHARED_COMPONENTS,
    SLUG,
    STRING,
    URI,
    enum_of,
    nullable,
    obj,
    ref,
)

from .datasets import CONTACT_EMAIL, LICENSE_NAME, LICENSE_URL
from .resources import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, resources

API_VERSION = "1.0.0"
SLUG_OR_EMPTY = r"^[-a-zA-Z0-9_]*$"


def _component_schemas() -> dict:
    """The kernel's shared components (Named, TitledRef, NamedRef), then per resource the
    components its fields use and its own schemas (Foo, and FooDetail for a resource with a
    detail), then the error and every list's envelope (FooList)."""
    found = {}
    for resource in resources():
        for name, schema in resource.components().items():
            if found.setdefault(name, schema) != schema:
                raise ImproperlyConfigured(f"Two different OpenAPI components named {name}.")
    schemas = {name: found[name] for name in SHARED_COMPONENTS if name in found}
    for resource in resources():
        for name in resource.components():
            schemas.setdefault(name, found[name])
        schemas[resource.schema_name] = resource.schema()
        if resource.lookup:
            schemas[f"{resource.schema_name}Detail"] = resource.schema(detail=True)
    schemas["Error"] = obj(
        {
            "detail": STRING,
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": STRING},
            },
        },
        optional=("errors",),
    )
    for resource in resources():
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
    if isinstance(filter_, django_filters.ModelMultipleChoiceFilter):
        # Repeatable: ?municipality=botkyrka&municipality=haninge (form style, exploded).
        model = filter_.extra["queryset"].model
        key = filter_.extra.get("to_field_name") or "pk"
        description = (
            f"{filter_.label}: the {key} of a {model._meta.model_name}; repeat the parameter "
            "for several (rows matching any of them; other parameters narrow further). "
            "None or empty: all."
        )
        return {
            "name": name,
            "in": "query",
            "required": False,
            "description": str(description),
            "style": "form",
            "explode": True,
            "schema": {"type": "array", "items": {"type": "string", "pattern": SLUG_OR_EMPTY}},
        }
    if isinstance(filter_, django_filters.ModelChoiceFilter):
        schema = {"type": "string", "pattern": SLUG_OR_EMPTY}
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


def language_parameter() -> dict:
    """``?lang=``: the language of the whole answer (opendata/views.py ApiView)."""
    languages = [code for code, _name in settings.LANGUAGES]
    return {
        "name": "lang",
        "in": "query",
        "required": False,
        "description": (
            "The language of the answer: its texts, choice labels, links to the HTML pages and "
            "messages. Wins over the Accept-Language header; without either, Swedish (sv). "
            "Texts without an English version are given in Swedish. Any other value: 400."
        ),
        "schema": {"type": "string", "enum": languages},
    }


def _paths() -> dict:

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
                "parameters": [language_parameter()],
                "responses": {
                    "200": _json("Index", "The API's resources."),
                    "400": _json("Error", "The language is not one the API speaks."),
                },
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
    for resource in resources():
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
                    language_parameter(),
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
                        },
                        language_parameter(),
                    ],
                    "responses": {
                        "200": _json(f"{resource.schema_name}Detail", "The resource."),
                        "400": _json("Error", "The language is not one the API speaks."),
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
                "resources": obj({resource.name: URI for resource in resources()}),
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
