"""The results app's open-data resources (sodertorn/apischema.py): results and films, each
field declared once for the JSON answers and the OpenAPI description alike."""

from sodertorn.apischema import (
    Boolean,
    Date,
    Enum,
    HtmlLink,
    Integer,
    NamedRef,
    Resource,
    SelfLink,
    String,
    TitledRef,
    Uri,
)

from .filters import FilmFilter, ResultFilter
from .models import CaptionsLanguage, Film, Result, ResultKind
from .video import PROVIDERS


def published_idea_group(result):
    group = result.idea_group
    return group if group and group.published else None


def public_result(film):
    """A film's result, when it is public (the result of a published testbed)."""
    result = film.result
    return result if result and result.testbed.published else None


RESOURCES = [
    Resource(
        "results",
        "Result",
        "Published results of published testbeds.",
        queryset=lambda: Result.objects.published().with_relations().order_by("-date", "-id"),
        fields={
            "id": Integer("pk"),
            "slug": String(),
            "title": String(),
            "kind": Enum(ResultKind.choices),
            "summary": String(),
            "date": Date(),
            "testbed": TitledRef("testbeds"),
            "idea_group": NamedRef(
                "idea-groups",
                published_idea_group,
                nullable=True,
                needs=(
                    "idea_group",
                    "idea_group__slug",
                    "idea_group__name",
                    "idea_group__published",
                ),
            ),
            "is_demo": Boolean(),
            "url": SelfLink("results"),
            "html_url": HtmlLink(),
            "body": String(detail=True, description="Markdown."),
        },
        filterset_class=ResultFilter,
        html_list="results:list",
    ),
    Resource(
        "films",
        "Film",
        "Published films, linked to a testbed, a result or both.",
        queryset=lambda: Film.objects.published().with_relations().order_by("-created_at", "-id"),
        fields={
            "id": Integer("pk"),
            "slug": String(),
            "title": String(),
            "description": String(),
            "video_url": Uri(),
            "provider": Enum(PROVIDERS),
            "video_id": String(),
            "duration": Integer(minimum=1, description="Seconds."),
            "captions_language": Enum(CaptionsLanguage.choices, nullable=True),
            "has_transcript": Boolean(
                lambda film: bool(film.transcript.strip()), needs=("transcript",)
            ),
            "testbed": TitledRef("testbeds", nullable=True),
            "result": TitledRef(
                "results",
                public_result,
                nullable=True,
                needs=("result", "result__slug", "result__title", "result__testbed__published"),
            ),
            "is_demo": Boolean(),
            "url": SelfLink("films"),
            "html_url": HtmlLink(),
            "transcript": String(detail=True),
        },
        filterset_class=FilmFilter,
        html_list="films:list",
    ),
]
