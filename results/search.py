"""Results and films in the site search (discovered by the search app; see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from sodertorn.searchable import SearchSource, markdown_body

from .models import Film, Result

sources = [
    SearchSource(
        key="results",
        model=Result,
        label=_("Results"),
        title="title",
        summary="summary",
        body=markdown_body("body"),
        published=lambda: Result.objects.published(),
        municipalities=["testbed__municipalities"],
        order=20,
    ),
    SearchSource(
        key="films",
        model=Film,
        label=_("Films"),
        title="title",
        summary=markdown_body("description"),
        body="transcript",
        published=lambda: Film.objects.published(),
        municipalities=["testbed__municipalities", "result__testbed__municipalities"],
        order=30,
    ),
]
