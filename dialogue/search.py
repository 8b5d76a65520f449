"""Citizen dialogue in the site search (see search/registry.py): the rounds of published
testbeds, and contributions only once a curator has approved them (pending and hidden ones
are indexed like everything else but never pass ``Contribution.objects.public()``)."""

from django.utils.translation import gettext_lazy as _

from sodertorn.content_language import shown_language
from sodertorn.searchable import SearchSource, markdown_body

from .models import Contribution, DialogueRound

sources = [
    SearchSource(
        key="dialogue",
        model=DialogueRound,
        label=_("Citizen dialogue"),
        title="title",
        summary=lambda round_: round_.testbed.title,
        body=markdown_body("question"),
        published=lambda: DialogueRound.objects.published(),
        municipalities=["testbed__municipalities"],
        queryset=lambda: DialogueRound.objects.select_related("testbed"),
        order=80,
    ),
    SearchSource(
        key="contributions",
        model=Contribution,
        label=_("Residents' comments and proposals"),
        title=lambda item: item.round.title,  # the hit's excerpt comes from the text
        title_language=lambda item: shown_language(item.round, "title"),
        body="text",
        published=lambda: Contribution.objects.public(),
        municipalities=["round__testbed__municipalities"],
        queryset=lambda: Contribution.objects.select_related("round"),
        url=lambda item: f"{item.round.get_absolute_url()}#bidrag-{item.pk}",
        follows={DialogueRound: "round"},
        order=90,
    ),
]
