"""The testbeds app's open-data resource (sodertorn/apischema.py): each field declared once,
for the JSON answers and the OpenAPI description alike."""

from sodertorn.apischema import (
    Area,
    Boolean,
    Date,
    DateTime,
    Enum,
    HtmlLink,
    Integer,
    Link,
    List,
    Named,
    Object,
    Point,
    Resource,
    SelfLink,
    String,
)

from . import selectors, timeline
from .filters import TestbedFilter
from .models import TestbedStatus


def testbeds():
    return selectors.catalogue_testbeds()


def catalogue(data, request=None):
    """The API and the CSV filter testbeds with the catalogue's own selector."""
    return selectors.catalogue(data, request=request)


def point(testbed):
    if not testbed.has_point:
        return None
    return {"type": "Point", "coordinates": [float(testbed.longitude), float(testbed.latitude)]}


RESOURCES = [
    Resource(
        "testbeds",
        "Testbed",
        "Published testbeds, with their point and area as GeoJSON geometries.",
        queryset=testbeds,
        fields={
            "id": Integer("pk"),
            "slug": String(),
            "title": String(),
            "question": String(),
            "summary": String(),
            "status": Enum(TestbedStatus.choices),
            "start_date": Date(),
            "end_date": Date(nullable=True),
            "place_name": String(),
            "municipalities": List(Named()),
            "themes": List(Named()),
            "geometry": Object(
                {
                    "point": Point(point, nullable=True, needs=("latitude", "longitude")),
                    "area": Area(
                        lambda testbed: testbed.area or None, nullable=True, needs=("area",)
                    ),
                },
                component="TestbedGeometry",
            ),
            "is_demo": Boolean(),
            "created_at": DateTime(),
            "updated_at": DateTime(),
            "url": SelfLink("testbeds"),
            "html_url": HtmlLink(),
            "results_url": Link(
                lambda t, links: links.api_query("results-list", testbed=t.slug), needs=("slug",)
            ),
            "body": String(detail=True, description="Markdown."),
            "timeline": List(
                Object(
                    {
                        "date": Date(),
                        "date_precision": String(
                            source="precision",
                            enum=["day", "month", "year"],
                            description="How exactly the date is known: day, month or year "
                            "(a grant known by its year has 1 June or 1 January as its date).",
                        ),
                        "kind": String(description="testbed, dialogue, ideagroup, result, …"),
                        "title": String(),
                        "detail": String(),
                        "html_url": Link(lambda event, links: links.absolute(event.url)),
                    },
                    component="TimelineEvent",
                ),
                source=timeline.events,
                needs=(),
                detail=True,
                description="What happened in the testbed, oldest first (as on its page).",
            ),
        },
        filterset_class=TestbedFilter,
        html_list="testbeds:list",
        filter_rows=catalogue,
    )
]
