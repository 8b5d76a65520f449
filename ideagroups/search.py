"""Idea groups and their published work in the site search (see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from sodertorn.searchable import SearchSource, markdown_body

from .models import IdeaGroup, WorkEntry

sources = [
    SearchSource(
        key="idea-groups",
        model=IdeaGroup,
        label=_("Idea groups"),
        title="name",
        summary="description",
        published=lambda: IdeaGroup.objects.public(),
        municipalities=["testbeds__municipalities"],
        order=40,
    ),
    SearchSource(
        key="work",
        model=WorkEntry,
        label=_("Work of the idea groups"),
        title="title",
        summary=lambda entry: entry.group.name,
        body=markdown_body("text"),
        published=lambda: WorkEntry.objects.published(),
        municipalities=["group__testbeds__municipalities"],
        queryset=lambda: WorkEntry.objects.select_related("group"),
        # the entry's address and summary come from its group
        follows={IdeaGroup: "group"},
        order=50,
    ),
]
