"""Actors in the site search (discovered by the search app; see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from sodertorn.searchable import SearchSource

from .models import Actor

sources = [
    SearchSource(
        key="actors",
        model=Actor,
        label=_("Actors"),
        title="name",
        summary="description",
        # a municipality's own actor, and actors with a contact person on a testbed there
        municipalities=["municipality", "contacts__testbed__municipalities"],
        order=60,
    ),
]
