"""The indicators app's open-data resources (sodertorn/apischema.py): indicators and their
observations, each field declared once for the JSON answers and the OpenAPI description."""

from django.db.models import F, Prefetch, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse

from sodertorn.apischema import (
    Boolean,
    Enum,
    HtmlLink,
    Integer,
    Link,
    List,
    Named,
    Number,
    Object,
    Resource,
    SelfLink,
    String,
    TitledRef,
)
from testbeds.models import Testbed, Theme

from .filters import ObservationFilter
from .models import AreaKind, Dimension, Direction, Gender, Indicator, Observation


def indicators():
    return Indicator.objects.order_by("dimension", "name", "id").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.only("name", "slug")),
        Prefetch("testbeds", queryset=Testbed.objects.published().only("title", "slug")),
    )


def observations():
    """Plain rows (``.values()``): one list of many thousand values stays cheap."""
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


RESOURCES = [
    Resource(
        "indicators",
        "Indicator",
        "Sustainability indicators; their values are under /observations/.",
        queryset=indicators,
        fields={
            "id": Integer("pk"),
            "code": String(),
            "name": String(),
            "description": String(),
            "dimension": Enum(Dimension.choices),
            "unit": String(),
            "decimals": Integer(minimum=0, maximum=4),
            "direction": Enum(Direction.choices),
            "source": String(),
            "method": String(),
            "responsible_body": String(),
            "target": Object(
                {"value": Number("target_value"), "year": Integer("target_year")},
                lambda indicator: indicator if indicator.has_target else None,
                nullable=True,
                needs=("target_value", "target_year"),
            ),
            "kolada_kpi": String(nullable=True),
            "themes": List(Named()),
            "testbeds": List(TitledRef("testbeds")),
            "url": SelfLink("indicators", lookup="code"),
            "html_url": HtmlLink(needs=("code",)),
            "observations_url": Link(
                lambda i, links: links.api_query("observations-list", indicator=i.code),
                needs=("code",),
            ),
            "csv_url": Link(
                lambda i, links: links.absolute(
                    reverse("indicators:indicator_csv", kwargs={"code": i.code})
                ),
                needs=("code",),
            ),
        },
        lookup="code",
        html_list="indicators:indicator_list",
    ),
    Resource(
        "observations",
        "Observation",
        "Indicator values per area, year and gender.",
        queryset=observations,
        fields={
            "indicator": String("indicator__code"),
            "indicator_url": Link(
                lambda row, links: links.api("indicators-detail", code=row["indicator__code"]),
                needs=("indicator__code",),
            ),
            "area": Object(
                {
                    "code": String("area_code"),
                    "name": String("area_name"),
                    "kind": Enum(AreaKind.choices, "area__kind"),
                }
            ),
            "year": Integer(),
            "gender": Enum(Gender.choices),
            "value": Number(),
            "note": String(),
            "is_example": Boolean(),
        },
        filterset_class=ObservationFilter,
        lookup=None,
    ),
]
