"""The API's resources: which published rows each one lists, with which filters, and how a row
becomes JSON. The views (views.py), the OpenAPI description (openapi.py) and the data page all
read this one registry, so an endpoint cannot exist without being described.

Every queryset carries its own select_related/prefetch_related: a list answers with a fixed
number of SQL queries whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse

from collaboration.filters import ActorFilter
from collaboration.models import Actor
from ideagroups import selectors as ideagroup_selectors
from ideagroups.models import WorkEntry
from indicators.models import Indicator, Observation
from results.filters import FilmFilter, ResultFilter
from results.models import Film, Result
from testbeds import selectors as testbed_selectors
from testbeds.filters import TestbedFilter
from testbeds.models import Testbed, Theme

from .filters import ObservationFilter


class Links:
    """Absolute addresses for one request: API resources and the HTML pages."""

    def __init__(self, request):
        self.request = request

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def api(self, name: str, **kwargs) -> str:
        return self.absolute(reverse(f"api:{name}", kwargs=kwargs or None))

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


def _named(items) -> list[dict]:
    return [{"slug": item.slug, "name": item.name} for item in items]


def _date(value):
    return value.isoformat() if value else None


# Serializers -----------------------------------------------------------------------------------


def testbed_json(testbed: Testbed, links: Links, *, detail: bool = False) -> dict:
    point = None
    if testbed.has_point:
        point = {
            "type": "Point",
            "coordinates": [float(testbed.longitude), float(testbed.latitude)],
        }
    data = {
        "id": testbed.pk,
        "slug": testbed.slug,
        "title": testbed.title,
        "question": testbed.question,
        "summary": testbed.summary,
        "status": testbed.status,
        "start_date": _date(testbed.start_date),
        "end_date": _date(testbed.end_date),
        "place_name": testbed.place_name,
        "municipalities": _named(testbed.municipalities.all()),
        "themes": _named(testbed.themes.all()),
        "geometry": {"point": point, "area": testbed.area or None},
        "is_demo": testbed.is_demo,
        "created_at": testbed.created_at.isoformat(),
        "updated_at": testbed.updated_at.isoformat(),
        "url": links.api("testbeds-detail", slug=testbed.slug),
        "html_url": links.html(testbed),
        "results_url": links.absolute(f"{reverse('api:results-list')}?testbed={testbed.slug}"),
    }
    if detail:
        data["body"] = testbed.body
    return data


def result_json(result: Result, links: Links, *, detail: bool = False) -> dict:
    group = result.idea_group
    data = {
        "id": result.pk,
        "slug": result.slug,
        "title": result.title,
        "kind": result.kind,
        "summary": result.summary,
        "date": _date(result.date),
        "testbed": links.ref(result.testbed, "testbeds"),
        "idea_group": (
            links.ref(group, "idea-groups", label="name") if group and group.published else None
        ),
        "is_demo": result.is_demo,
        "url": links.api("results-detail", slug=result.slug),
        "html_url": links.html(result),
    }
    if detail:
        data["body"] = result.body
    return data


def film_json(film: Film, links: Links, *, detail: bool = False) -> dict:
    result = film.result
    data = {
        "id": film.pk,
        "slug": film.slug,
        "title": film.title,
        "description": film.description,
        "video_url": film.video_url,
        "provider": film.provider,
        "video_id": film.video_id,
        "duration": film.duration,
        "captions_language": film.captions_language or None,
        "has_transcript": bool(film.transcript.strip()),
        "testbed": links.ref(film.testbed, "testbeds") if film.testbed_id else None,
        "result": (links.ref(result, "results") if result and result.testbed.published else None),
        "is_demo": film.is_demo,
        "url": links.api("films-detail", slug=film.slug),
        "html_url": links.html(film),
    }
    if detail:
        data["transcript"] = film.transcript
    return data


def idea_group_json(group, links: Links, *, detail: bool = False) -> dict:
    data = {
        "id": group.pk,
        "slug": group.slug,
        "name": group.name,
        "description": group.description,
        "focus": group.focus,
        "theme": {"slug": group.theme.slug, "name": group.theme.name} if group.theme else None,
        "start_date": _date(group.start_date),
        "end_date": _date(group.end_date),
        "testbeds": [links.ref(t, "testbeds") for t in group.testbeds.all()],
        "organisations": [
            links.ref(actor, "actors", label="name")
            for actor in ideagroup_selectors.organisations(group.active_memberships)
        ],
        "is_demo": group.is_demo,
        "url": links.api("idea-groups-detail", slug=group.slug),
        "html_url": links.html(group),
    }
    if detail:
        data["work"] = [
            {
                "id": entry.pk,
                "title": entry.title,
                "kind": entry.kind,
                "date": _date(entry.date),
                "html_url": links.absolute(
                    reverse("ideagroups:entry", kwargs={"group": group.slug, "pk": entry.pk})
                ),
            }
            for entry in group.published_work
        ]
    return data


def actor_json(actor: Actor, links: Links, *, detail: bool = False) -> dict:
    municipality = actor.municipality
    return {
        "id": actor.pk,
        "slug": actor.slug,
        "name": actor.name,
        "sector": actor.sector,
        "description": actor.description,
        "website": actor.website or None,
        "municipality": (
            {"slug": municipality.slug, "name": municipality.name} if municipality else None
        ),
        "is_demo": actor.is_demo,
        "url": links.api("actors-detail", slug=actor.slug),
        "html_url": links.html(actor),
    }


def indicator_json(indicator: Indicator, links: Links, *, detail: bool = False) -> dict:
    observations = reverse("api:observations-list")
    return {
        "id": indicator.pk,
        "code": indicator.code,
        "name": indicator.name,
        "description": indicator.description,
        "dimension": indicator.dimension,
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "direction": indicator.direction,
        "source": indicator.source,
        "method": indicator.method,
        "responsible_body": indicator.responsible_body,
        "target": (
            {"value": float(indicator.target_value), "year": indicator.target_year}
            if indicator.has_target
            else None
        ),
        "kolada_kpi": indicator.kolada_kpi or None,
        "themes": _named(indicator.themes.all()),
        "testbeds": [links.ref(t, "testbeds") for t in indicator.testbeds.all()],
        "url": links.api("indicators-detail", code=indicator.code),
        "html_url": links.html(indicator),
        "observations_url": links.absolute(f"{observations}?indicator={indicator.code}"),
        "csv_url": links.absolute(
            reverse("indicators:indicator_csv", kwargs={"code": indicator.code})
        ),
    }


def observation_json(row: dict, links: Links, *, detail: bool = False) -> dict:
    return {
        "indicator": row["indicator__code"],
        "indicator_url": links.api("indicators-detail", code=row["indicator__code"]),
        "area": {"code": row["area_code"], "name": row["area_name"], "kind": row["area__kind"]},
        "year": row["year"],
        "gender": row["gender"],
        "value": float(row["value"]),
        "note": row["note"],
        "is_example": row["is_example"],
    }


# Querysets -------------------------------------------------------------------------------------


def testbeds() -> QuerySet:
    return testbed_selectors.catalogue_testbeds()


def testbed_catalogue(data, request=None):
    """The API and the CSV filter testbeds with the catalogue's own selector."""
    return testbed_selectors.catalogue(data, request=request)


def results() -> QuerySet:
    return Result.objects.published().with_relations().order_by("-date", "-id")


def films() -> QuerySet:
    return Film.objects.published().with_relations().order_by("-created_at", "-id")


def idea_groups() -> QuerySet:
    return ideagroup_selectors.public_groups().order_by("name", "id")


def idea_group_detail() -> QuerySet:
    return idea_groups().prefetch_related(
        Prefetch(
            "work_entries",
            queryset=WorkEntry.objects.filter(status=WorkEntry.Status.PUBLISHED)
            .defer("text")
            .order_by("-date", "-id"),
            to_attr="published_work",
        )
    )


def actors() -> QuerySet:
    return (
        Actor.objects.in_sector_order()
        .select_related("municipality")
        .defer("municipality__boundary")
    )


def indicators() -> QuerySet:
    return Indicator.objects.order_by("dimension", "name", "id").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.only("name", "slug")),
        Prefetch("testbeds", queryset=Testbed.objects.published().only("title", "slug")),
    )


def observations() -> QuerySet:
    return (
        Observation.objects.annotate(
            area_code=Coalesce(
                NullIf(F("area__own_code"), Value("")), F("area__municipality__code")
            ),
            area_name=Coalesce(
                NullIf(F("area__own_name"), Value("")), F("area__municipality__name")
            ),
        )
        .order_by("indicator__code", "area_code", "year", "gender", "id")
        .values(
            "indicator__code",
            "area_code",
            "area_name",
            "area__kind",
            "year",
            "gender",
            "value",
            "note",
            "is_example",
        )
    )


@dataclass(frozen=True)
class Resource:
    """One API resource: /api/v1/<name>/ and, with a lookup, /api/v1/<name>/{lookup}/."""

    name: str  # URL segment and url-name prefix, e.g. "idea-groups"
    schema_name: str  # OpenAPI component name, e.g. "IdeaGroup"
    summary: str
    queryset: Callable[[], QuerySet]
    serialize: Callable[..., dict]
    filterset_class: type | None = None
    lookup: str | None = "slug"  # None: a list only
    detail_queryset: Callable[[], QuerySet] | None = None
    html_list: str | None = None  # url name of the HTML page with the same filters
    tags: tuple[str, ...] = field(default=())
    # (data, request=) -> the filterset, when the owning app has one (the catalogue's selector)
    filter_rows: Callable | None = None

    def get_detail_queryset(self) -> QuerySet:
        return (self.detail_queryset or self.queryset)()

    def filterset(self, data, request):
        return make_filterset(self, data, request)


def make_filterset(source, data, request):
    """The filtered rows of a resource or a CSV export: its app's selector when it has one."""
    if source.filter_rows is not None:
        return source.filter_rows(data, request=request)
    return source.filterset_class(data or None, queryset=source.queryset(), request=request)


RESOURCES: list[Resource] = [
    Resource(
        "testbeds",
        "Testbed",
        "Published testbeds, with their point and area as GeoJSON geometries.",
        testbeds,
        testbed_json,
        TestbedFilter,
        html_list="testbeds:list",
        filter_rows=testbed_catalogue,
    ),
    Resource(
        "results",
        "Result",
        "Published results of published testbeds.",
        results,
        result_json,
        ResultFilter,
        html_list="results:list",
    ),
    Resource(
        "films",
        "Film",
        "Published films, linked to a testbed, a result or both.",
        films,
        film_json,
        FilmFilter,
        html_list="films:list",
    ),
    Resource(
        "idea-groups",
        "IdeaGroup",
        "Public idea groups, with their published work in the detail.",
        idea_groups,
        idea_group_json,
        detail_queryset=idea_group_detail,
        html_list="ideagroups:list",
    ),
    Resource(
        "actors",
        "Actor",
        "The programme's actors: municipalities, academia, business, civil society, funders.",
        actors,
        actor_json,
        ActorFilter,
        html_list="collaboration:actors",
    ),
    Resource(
        "indicators",
        "Indicator",
        "Sustainability indicators; their values are under /observations/.",
        indicators,
        indicator_json,
        lookup="code",
        html_list="indicators:indicator_list",
    ),
    Resource(
        "observations",
        "Observation",
        "Indicator values per area, year and gender.",
        observations,
        observation_json,
        ObservationFilter,
        lookup=None,
    ),
]

BY_NAME = {resource.name: resource for resource in RESOURCES}
