"""Open-data declarations: each field of the JSON API declared once, in the app that owns it.

A field kind knows two things: its OpenAPI schema and how to turn a row's value into JSON. A
``Resource`` is a list of such fields plus where its rows come from, so the API's answers and
its OpenAPI description (opendata/openapi.py) are both generated from one declaration and
cannot drift apart. Each content app declares its resources in ``<app>/api.py`` and registers
them with the ``api_resources`` hook (sodertorn/hooks.py); the opendata app serves them::

    RESOURCES = [
        Resource(
            "results", "Result", "Published results of published testbeds.",
            queryset=lambda: Result.objects.published().order_by("-date"),
            fields={
                "id": Integer("pk"),
                "title": String(),
                "date": Date(),
                "testbed": TitledRef("testbeds"),
                "url": SelfLink("results"),
                "body": String(detail=True, description="Markdown."),
            },
        )
    ]

A field reads ``source``: an attribute (or, for rows from ``.values()``, a key) of that name,
by default the field's own name, or a function of the row. ``nullable=True`` turns None and
"" into null; ``detail=True`` fields appear in a resource's detail answer only (declare them
last: the order of the fields is the order of the keys).

Plain classes rather than django-ninja: ninja would bring pydantic and replace the views,
pagination, error format and FilterSet parameters that the API already has, for the one thing
this module does in a few lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"  # Django's <slug:> converter

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
URI = {"type": "string", "format": "uri"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
SLUG = {"type": "string", "pattern": SLUG_PATTERN}


def nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def obj(properties: dict, *, optional: tuple[str, ...] = ()) -> dict:
    """A closed object: every property required unless optional, no other property allowed."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


def enum_of(choices, *, empty: bool = False) -> dict:
    choices = choices() if callable(choices) else choices
    values = [value for value, _label in choices]
    return {"type": "string", "enum": ["", *values] if empty else values}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


class Links:
    """Absolute addresses for one request: API resources and the HTML pages."""

    def __init__(self, request):
        self.request = request

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def api(self, name: str, **kwargs) -> str:
        return self.absolute(reverse(f"api:{name}", kwargs=kwargs or None))

    def api_query(self, name: str, **query) -> str:
        """An API list filtered by simple keys (slugs, codes): ``?testbed=flemingsberg``."""
        params = "&".join(f"{key}={value}" for key, value in query.items())
        return self.absolute(f"{reverse(f'api:{name}')}?{params}")

    def html(self, obj) -> str:
        return self.absolute(obj.get_absolute_url())

    def ref(self, obj, resource: str, label: str = "title", lookup: str = "slug") -> dict:
        """A short reference to a related resource: its key, name and both addresses."""
        key = getattr(obj, lookup)
        return {
            lookup: key,
            label: getattr(obj, label),
            "url": self.api(f"{resource}-detail", **{lookup: key}),
            "html_url": self.html(obj),
        }


# Field kinds -----------------------------------------------------------------------------------


class Field:
    """One property of a JSON answer. Subclasses set ``base`` (their OpenAPI schema) and may
    override ``convert`` (the stored value -> JSON) and ``components`` (named schemas used)."""

    base: dict = {}

    def __init__(
        self,
        source: str | Callable | None = None,
        *,
        nullable: bool = False,
        detail: bool = False,
        description: str = "",
        **keywords,  # further JSON-schema keywords: minimum=1, maximum=4, ...
    ):
        self.source = source
        self.nullable = nullable
        self.detail = detail
        self.description = description
        self.keywords = keywords

    def schema(self) -> dict:
        schema = {**self.base, **self.keywords}
        if self.description:
            schema["description"] = self.description
        return nullable(schema) if self.nullable else schema

    def components(self) -> dict[str, dict]:
        return {}

    def read(self, row, name: str, links: Links):
        source = name if self.source is None else self.source
        if callable(source):
            return source(row)
        return row[source] if isinstance(row, dict) else getattr(row, source)

    def value(self, row, name: str, links: Links):
        raw = self.read(row, name, links)
        if self.nullable and (raw is None or raw == ""):
            return None
        return self.convert(raw, links)

    def convert(self, raw, links: Links):
        return raw


class String(Field):
    base = STRING


class Integer(Field):
    base = INTEGER


class Number(Field):
    base = NUMBER

    def convert(self, raw, links):
        return float(raw)


class Boolean(Field):
    base = BOOLEAN


class Uri(Field):
    base = URI


class Date(Field):
    base = DATE

    def convert(self, raw, links):
        return raw.isoformat()


class DateTime(Field):
    base = DATETIME

    def convert(self, raw, links):
        return raw.isoformat()


class Enum(Field):
    """One of ``choices`` (Django choices, or a function returning them)."""

    def __init__(self, choices, source=None, **options):
        super().__init__(source, **options)
        self.choices = choices

    @property
    def base(self):
        return enum_of(self.choices)


class Link(Uri):
    """An address computed from the row and the request's ``Links``: ``fn(row, links)``."""

    def __init__(self, fn: Callable, **options):
        super().__init__(**options)
        self.fn = fn

    def read(self, row, name, links):
        return self.fn(row, links)


class SelfLink(Link):
    """The row's own address in the API: ``/api/v1/<resource>/<lookup>/``."""

    def __init__(self, resource: str, lookup: str = "slug", **options):
        super().__init__(
            lambda row, links: links.api(f"{resource}-detail", **{lookup: getattr(row, lookup)}),
            **options,
        )


class HtmlLink(Link):
    """The row's own HTML page (``get_absolute_url``)."""

    def __init__(self, **options):
        super().__init__(lambda row, links: links.html(row), **options)


class Component(Field):
    """A field whose schema is a named component (``#/components/schemas/<name>``)."""

    component = ""

    @property
    def base(self):
        return ref(self.component)

    def component_schema(self) -> dict:
        raise NotImplementedError

    def components(self) -> dict[str, dict]:
        return {self.component: self.component_schema()}


class Named(Component):
    """A thing with a slug and a name (a municipality, a theme): ``{"slug", "name"}``."""

    component = "Named"

    def component_schema(self):
        return obj({"slug": STRING, "name": STRING})

    def convert(self, raw, links):
        return {"slug": raw.slug, "name": raw.name}


class TitledRef(Component):
    """A reference to another resource's row by slug and title, with both its addresses."""

    component, label = "TitledRef", "title"

    def __init__(self, resource: str, source=None, **options):
        super().__init__(source, **options)
        self.resource = resource

    def component_schema(self):
        return obj({"slug": STRING, self.label: STRING, "url": URI, "html_url": URI})

    def convert(self, raw, links):
        return links.ref(raw, self.resource, label=self.label)


class NamedRef(TitledRef):
    """The same, for a row with a name rather than a title (an idea group, an actor)."""

    component, label = "NamedRef", "name"


# The kernel's shared components come first in the description, whoever uses them.
SHARED_COMPONENTS = ("Named", "TitledRef", "NamedRef")

GEOJSON_POSITION = {"type": "array", "items": NUMBER, "minItems": 2, "maxItems": 3}
GEOJSON_POLYGON = {
    "type": "array",
    "items": {"type": "array", "items": GEOJSON_POSITION, "minItems": 4},
    "minItems": 1,
}


def geojson(kind: str, coordinates: dict) -> dict:
    return obj({"type": {"type": "string", "enum": [kind]}, "coordinates": coordinates})


class Point(Component):
    """A GeoJSON Point (the value is already GeoJSON)."""

    component = "Point"

    def component_schema(self):
        return geojson("Point", GEOJSON_POSITION)


class Area(Component):
    """A GeoJSON Polygon or MultiPolygon, as sodertorn.geo validates it."""

    component = "Area"

    def component_schema(self):
        return {
            "oneOf": [
                geojson("Polygon", GEOJSON_POLYGON),
                geojson("MultiPolygon", {"type": "array", "items": GEOJSON_POLYGON, "minItems": 1}),
            ]
        }


class List(Field):
    """An array of ``item`` (a field kind, whose own source is not used); a related manager's
    rows are read with ``.all()``, so a prefetch serves them."""

    def __init__(self, item: Field, source=None, **options):
        super().__init__(source, **options)
        self.item = item

    @property
    def base(self):
        return {"type": "array", "items": self.item.schema()}

    def components(self):
        return self.item.components()

    def convert(self, raw, links):
        if hasattr(raw, "all"):
            raw = raw.all()
        return [self.item.convert(element, links) for element in raw]


class Object(Field):
    """A nested object of ``fields``, read from the same row unless ``source`` says otherwise;
    with ``component``, described once under that name."""

    def __init__(self, fields: dict[str, Field], source=None, *, component: str = "", **options):
        super().__init__(source, **options)
        self.fields = fields
        self.component = component

    def object_schema(self) -> dict:
        return obj({name: field.schema() for name, field in self.fields.items()})

    @property
    def base(self):
        return ref(self.component) if self.component else self.object_schema()

    def components(self):
        found = {}
        for field in self.fields.values():
            found.update(field.components())
        if self.component:
            found[self.component] = self.object_schema()
        return found

    def read(self, row, name, links):
        return row if self.source is None else super().read(row, name, links)

    def convert(self, raw, links):
        return {name: field.value(raw, name, links) for name, field in self.fields.items()}


# Resources -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """One API resource: /api/v1/<name>/ and, with a lookup, /api/v1/<name>/{lookup}/."""

    name: str  # URL segment and url-name prefix, e.g. "idea-groups"
    schema_name: str  # OpenAPI component name, e.g. "IdeaGroup"
    summary: str
    queryset: Callable[[], QuerySet]
    fields: dict[str, Field]
    filterset_class: type | None = None
    lookup: str | None = "slug"  # None: a list only
    detail_queryset: Callable[[], QuerySet] | None = None
    html_list: str | None = None  # url name of the HTML page with the same filters
    # (data, request=) -> the filterset, when the owning app has one (the catalogue's selector)
    filter_rows: Callable | None = None

    def get_detail_queryset(self) -> QuerySet:
        return (self.detail_queryset or self.queryset)()

    def filterset(self, data, request):
        """The filtered rows: the owning app's selector when it has one."""
        if self.filter_rows is not None:
            return self.filter_rows(data, request=request)
        return self.filterset_class(data or None, queryset=self.queryset(), request=request)

    def _fields(self, detail: bool):
        return {name: f for name, f in self.fields.items() if detail or not f.detail}

    def serialize(self, row, links: Links, *, detail: bool = False) -> dict:
        """One row as JSON: the list answer's fields, and the detail-only ones with detail."""
        return {name: f.value(row, name, links) for name, f in self._fields(detail).items()}

    def schema(self, *, detail: bool = False) -> dict:
        """The OpenAPI schema of ``serialize(..., detail=detail)``."""
        return obj({name: f.schema() for name, f in self._fields(detail).items()})

    def components(self) -> dict[str, dict]:
        """The named schemas its fields use (Named, TitledRef, a geometry...), in field order."""
        found = {}
        for field in self.fields.values():
            found.update(field.components())
        return found
