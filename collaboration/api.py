"""The collaboration app's open-data resources (sodertorn/apischema.py), actors and grants:
each field declared once, for the JSON answers and the OpenAPI description alike."""

from django.db.models import Prefetch

from sodertorn.apischema import (
    Boolean,
    Date,
    Enum,
    HtmlLink,
    Integer,
    List,
    Named,
    NamedRef,
    Object,
    Resource,
    SelfLink,
    String,
    TitledRef,
    Uri,
)
from testbeds.models import Municipality, Testbed

from .filters import ActorFilter
from .models import Actor, DatePrecision, Grant, GrantKind, Sector


def actors():
    return (
        Actor.objects.in_sector_order()
        .select_related("municipality")
        .defer("municipality__boundary")
    )


def grants():
    area_model = Grant._meta.get_field("areas").related_model
    return (
        Grant.objects.select_related("funder", "coordinator")
        .prefetch_related(
            Prefetch("testbeds", queryset=Testbed.objects.published().order_by("title")),
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name")),
            Prefetch("areas", queryset=area_model.objects.light().order_by("area_name")),
        )
        .order_by("kind", "start_date", "title")
    )


def coordinator_label(row) -> str:
    return row.coordinator_name or (row.coordinator.name if row.coordinator else "")


RESOURCES = [
    Resource(
        "actors",
        "Actor",
        "The programme's actors: municipalities, academia, business, civil society, funders.",
        queryset=actors,
        fields={
            "id": Integer("pk"),
            "slug": String(),
            "name": String(),
            "sector": Enum(Sector.choices),
            "description": String(),
            "website": Uri(nullable=True),
            "municipality": Named(nullable=True),
            "is_demo": Boolean(),
            "url": SelfLink("actors"),
            "html_url": HtmlLink(),
        },
        filterset_class=ActorFilter,
        html_list="collaboration:actors",
    ),
    Resource(
        "grants",
        "Grant",
        "The programme's grants and its sister projects, as the funders' public records "
        "describe them: funder, reference, coordinator, amount, period, what they paid for and "
        "concern, and the record itself.",
        queryset=grants,
        fields={
            "id": Integer("pk"),
            "slug": String(),
            "kind": Enum(GrantKind.choices),
            "title": String(),
            "reference": String(nullable=True, description="The funder's reference number."),
            "funder": NamedRef("actors"),
            "coordinator": NamedRef(
                "actors", nullable=True, description="When the coordinator is an actor here."
            ),
            "coordinator_name": String(
                coordinator_label,
                needs=("coordinator_name", "coordinator", "coordinator__name"),
                description="The coordinator as the record names it.",
            ),
            "amount_sek": Integer(minimum=1),
            "call": String(),
            "start_date": Date(),
            "end_date": Date(nullable=True),
            "date_precision": Enum(
                DatePrecision.choices,
                description="How exactly the record gives the period (day, month or year).",
            ),
            "testbeds": List(TitledRef("testbeds"), description="Published testbeds it paid for."),
            "municipalities": List(Named()),
            "areas": List(
                Object(
                    {"code": String("area_code"), "name": String("area_name")},
                    component="AreaRef",
                ),
                description="Districts and small areas it concerns (see /observations/).",
            ),
            "source_name": String(),
            "source_url": Uri(nullable=True, description="The funder's public record."),
            "is_demo": Boolean(),
            "url": SelfLink("grants"),
            "html_url": HtmlLink(),
            "summary": String(detail=True, description="Markdown."),
        },
    ),
]
