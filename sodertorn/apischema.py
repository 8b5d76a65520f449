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

A list is built from plain ``.values()`` rows, not model instances (``Resource.rows``): each
field knows the values it reads (``needs``: its source, ``slug``/``name`` of a relation,
``<relation>__<column>`` across a to-many relation or a Prefetch's ``to_attr``, read with one
query per relation for the whole page), and a function of the row, which cannot be looked
into, declares them with ``needs=(...)``. The rows (``Row``) answer attribute reads like the
model: a column, a nested relation, and the model's properties and methods that only read
those (``has_point``, ``get_absolute_url``). A detail is one model instance, as before.

Plain classes rather than django-ninja: ninja would bring pydantic and replace the views,
pagination, error format and FilterSet parameters that the API already has, for the one thing
this module does in a few lines.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from types import MethodType

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import F, ForeignObjectRel, Prefetch, QuerySet
from django.urls import reverse

from sodertorn.content_language import localized_values

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"  # Django's <slug:> converter
SAFE_KEY = re.compile(r"[-a-zA-Z0-9_]+")  # kept as they are in a URL path
MARK = "90817263"  # marker keys for Links: digits, so that int and slug converters take them

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
    """Absolute addresses for one request: API resources and the HTML pages.

    A list asks for the same few addresses with other keys on every row: each is reversed
    once per request with marker keys, and then filled in as text (checked against a real
    ``reverse()`` the first time; keys other than slugs and numbers are reversed each time)."""

    def __init__(self, request):
        self.request = request
        self._origin = None
        self._templates = {}

    def absolute(self, path: str) -> str:
        if path.startswith("/") and not path.startswith("//") and path.isascii():
            if self._origin is None:
                self._origin = self.request.build_absolute_uri("/")[:-1]
            return self._origin + path
        return self.request.build_absolute_uri(path)

    def _filled(self, key, make: Callable[[dict], str], values: dict) -> str:
        """``make(values)``, from a template made with ``make(markers)`` when it can be."""
        template = self._templates.get(key)
        if template is None:
            template = self._templates[key] = self._template(make, values)
        if template is False:
            return make(values)
        url, used = template
        if not all(SAFE_KEY.fullmatch(str(values[name])) for name, _mark in used):
            return make(values)
        for name, mark in used:
            url = url.replace(mark, str(values[name]))
        return url

    @staticmethod
    def _template(make, values: dict):
        """(``make(markers)``, the markers in it), or False when markers do not fit ``make``
        or do not give what it gives for ``values``."""
        marks = {name: f"{MARK}{i:02d}0" for i, name in enumerate(values)}
        try:
            url = make(marks)
        except Exception:
            return False
        used = tuple((name, mark) for name, mark in marks.items() if mark in url)
        if all(SAFE_KEY.fullmatch(str(values[name])) for name, _mark in used):
            filled = url
            for name, mark in used:
                filled = filled.replace(mark, str(values[name]))
            if filled != make(values):
                return False
        return url, used

    def api(self, name: str, **kwargs) -> str:
        return self.absolute(
            self._filled(
                ("api", name, tuple(kwargs)),
                lambda values: reverse(f"api:{name}", kwargs=values or None),
                kwargs,
            )
        )

    def api_query(self, name: str, **query) -> str:
        """An API list filtered by simple keys (slugs, codes): ``?testbed=flemingsberg``."""
        params = "&".join(f"{key}={value}" for key, value in query.items())
        return f"{self.api(name)}?{params}"

    def html(self, obj) -> str:
        if isinstance(obj, Row):
            values = {k: v for k, v in obj.items() if "__" not in k and not isinstance(v, dict)}
            path = self._filled(
                ("html", obj.model, tuple(values)),
                lambda keys: (obj if keys is values else Row(obj.model, keys)).get_absolute_url(),
                values,
            )
            return self.absolute(path)
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
        needs: tuple[str, ...] | None = None,
        **keywords,  # further JSON-schema keywords: minimum=1, maximum=4, ...
    ):
        self.source = source
        self.nullable = nullable
        self.detail = detail
        self.description = description
        self.declared_needs = needs
        self.keywords = keywords

    def needs(self, name: str) -> tuple[str, ...]:
        """The value paths this field reads from a list's row (``.values()`` names)."""
        if self.declared_needs is not None:
            return self.declared_needs
        source = name if self.source is None else self.source
        if callable(source):
            raise ImproperlyConfigured(
                f"{name}: a field read by a function declares the values it needs (needs=...)"
            )
        return (source, *(f"{source}__{path}" for path in self.item_needs()))

    def item_needs(self) -> tuple[str, ...]:
        """What ``convert`` reads of the value it is given (a related row's columns)."""
        return ()

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
            needs=(lookup,),
            **options,
        )


class HtmlLink(Link):
    """The row's own HTML page (``get_absolute_url``, which reads ``needs``: the slug)."""

    def __init__(self, needs: tuple[str, ...] = ("slug",), **options):
        super().__init__(lambda row, links: links.html(row), needs=needs, **options)


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

    def item_needs(self):
        return ("slug", "name")

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

    def item_needs(self):
        return ("slug", self.label)  # the related models' get_absolute_url reads the slug

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

    def item_needs(self):
        return self.item.item_needs()

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

    def item_needs(self):
        return tuple(path for name, field in self.fields.items() for path in field.needs(name))

    def needs(self, name):
        if self.source is None and self.declared_needs is None:
            return self.item_needs()  # read from the same row
        return super().needs(name)

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

    def needs(self) -> list[str]:
        """The value paths a list's rows are read with (``rows``)."""
        paths = {"pk": None}
        for name, field in self._fields(False).items():
            paths.update(dict.fromkeys(field.needs(name)))
        return list(paths)

    def rows(self, queryset: QuerySet) -> list[Row]:
        """A list page (a sliced queryset of this resource) as value rows for ``serialize``;
        a resource whose queryset gives ``.values()`` rows already gets them as they are."""
        if queryset._fields is not None:
            return list(queryset)
        return value_rows(queryset, self.needs())

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


# Value rows ------------------------------------------------------------------------------------


class Row(dict):
    """One row of ``.values()``, nested by relation (``theme__name`` -> ``row.theme.name``;
    None when the relation is empty), that answers attribute reads like its model would: a
    value read, else the model's property or method called on the row (``has_point``,
    ``get_absolute_url``: they may only read values that were read)."""

    __slots__ = ("model",)

    def __init__(self, model, values=()):
        super().__init__(values)
        self.model = model

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            pass
        attribute = getattr(self.model, name, None)
        if isinstance(attribute, property):
            return attribute.fget(self)
        if callable(attribute) and not isinstance(attribute, type):
            return MethodType(attribute, self)
        raise AttributeError(f"{self.model.__name__} row: {name} was not read (read: {list(self)})")


def nest(model, flat: dict) -> Row:
    """``.values()`` keys with ``__`` also as nested rows of the related model: a field reads
    ``row["theme__name"]`` or ``row.theme.name``."""
    row = Row(model, flat)
    nested = defaultdict(dict)
    for key, value in flat.items():
        if "__" in key:
            head, _sep, rest = key.partition("__")
            nested[head][rest] = value
    for head, values in nested.items():
        try:
            related = model._meta.get_field(head).related_model
        except FieldDoesNotExist:  # an annotation or a transform: read by its flat key only
            continue
        if related is None:
            continue
        if head in row:  # the relation's own key was read: its id, None when empty
            if row[head] is None:
                continue
            values = {"pk": row[head], **values}
        row[head] = nest(related, values)
    return row


def _prefetch(queryset: QuerySet, name: str) -> Prefetch | None:
    for lookup in queryset._prefetch_related_lookups:
        if isinstance(lookup, Prefetch) and lookup.prefetch_to == name:
            return lookup
    return None


def _to_many(queryset: QuerySet, name: str):
    """The relation (a field or a reverse relation) that ``name`` reads many rows through,
    and the Prefetch of the queryset that names it, or None."""
    prefetch = _prefetch(queryset, name)
    try:
        field = queryset.model._meta.get_field(prefetch.prefetch_through if prefetch else name)
    except FieldDoesNotExist:  # an annotation
        return None
    if field.many_to_many or field.one_to_many:
        return field, prefetch
    return None


def _related_rows(field, prefetch, columns, ids) -> dict[int, list[Row]]:
    """The ``columns`` of the rows related through ``field`` to each row of ``ids`` (a
    subquery of pks), in one query, in the order and with the filter of the queryset's
    Prefetch, as the prefetch would read them."""
    related = field.related_model
    # A many-to-many field of this model, or a reverse relation (the other model's foreign key
    # or many-to-many field).
    parent = field.field.name if isinstance(field, ForeignObjectRel) else field.related_query_name()
    queryset = prefetch.queryset if prefetch and prefetch.queryset is not None else None
    if queryset is None:
        queryset = related._default_manager.all()
    groups = defaultdict(list)
    parent_key = "api_parent_id"
    values = localized_values(
        queryset.prefetch_related(None)
        .filter(**{f"{parent}__in": ids})
        .annotate(**{parent_key: F(parent)}),
        parent_key,
        *dict.fromkeys(columns),
    )
    for flat in values:
        groups[flat.pop(parent_key)].append(nest(related, flat))
    return groups


def value_rows(queryset: QuerySet, paths) -> list[Row]:
    """The queryset's rows as ``Row``: the local ``paths`` in one ``.values()`` query, each
    to-many relation's (``<relation>__<column>``) in one more."""
    local, many = [], defaultdict(list)
    for path in paths:
        head, _sep, rest = path.partition("__")
        if _to_many(queryset, head) is not None:
            if rest:
                many[head].append(rest)
        else:
            local.append(path)
    model = queryset.model
    plain = queryset.prefetch_related(None)
    rows = [nest(model, flat) for flat in localized_values(plain, *local)]
    if not rows:
        return rows
    for name, columns in many.items():
        field, prefetch = _to_many(queryset, name)
        # The page's pks as a subquery: a list of 500 parameters costs more to send.
        groups = _related_rows(field, prefetch, columns, plain.values("pk"))
        for row in rows:
            row[name] = groups.get(row["pk"], [])
    return rows
