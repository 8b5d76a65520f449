"""The idea-groups app's open-data resource (sodertorn/apischema.py): each field declared once,
for the JSON answers and the OpenAPI description alike."""

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
)

from . import selectors
from .models import Focus, Kind, WorkEntry


def idea_groups():
    return selectors.public_groups().order_by("name", "id")


def idea_group_detail():
    return idea_groups().prefetch_related(
        Prefetch(
            "work_entries",
            queryset=WorkEntry.objects.filter(status=WorkEntry.Status.PUBLISHED)
            .defer("text")
            .order_by("-date", "-id"),
            to_attr="published_work",
        )
    )


RESOURCES = [
    Resource(
        "idea-groups",
        "IdeaGroup",
        "Public idea groups, with their published work in the detail.",
        queryset=idea_groups,
        fields={
            "id": Integer("pk"),
            "slug": String(),
            "name": String(),
            "description": String(),
            "focus": Enum(Focus.choices),
            "theme": Named(nullable=True),
            "start_date": Date(),
            "end_date": Date(nullable=True),
            "testbeds": List(TitledRef("testbeds")),
            "organisations": List(
                NamedRef("actors"),
                lambda group: selectors.organisations(group.active_memberships),
                needs=(
                    "active_memberships__actor_id",
                    "active_memberships__actor__slug",
                    "active_memberships__actor__name",
                ),
            ),
            "is_demo": Boolean(),
            "url": SelfLink("idea-groups"),
            "html_url": HtmlLink(),
            "work": List(
                Object(
                    {
                        "id": Integer("pk"),
                        "title": String(),
                        "kind": Enum(Kind.choices),
                        "date": Date(),
                        "html_url": HtmlLink(needs=("pk", "group__slug")),
                    }
                ),
                "published_work",
                detail=True,
            ),
        },
        detail_queryset=idea_group_detail,
        html_list="ideagroups:list",
    )
]
