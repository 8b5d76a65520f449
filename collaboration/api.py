"""The collaboration app's open-data resource (sodertorn/apischema.py): each field declared
once, for the JSON answers and the OpenAPI description alike."""

from sodertorn.apischema import (
    Boolean,
    Enum,
    HtmlLink,
    Integer,
    Named,
    Resource,
    SelfLink,
    String,
    Uri,
)

from .filters import ActorFilter
from .models import Actor, Sector


def actors():
    return (
        Actor.objects.in_sector_order()
        .select_related("municipality")
        .defer("municipality__boundary")
    )


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
    )
]
