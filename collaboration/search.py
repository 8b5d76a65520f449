"""Actors and grants in the site search (discovered by the search app; see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from sodertorn.searchable import SearchSource, markdown_body

from .models import Actor, Grant


def _grant_summary(grant: Grant) -> str:
    """ "Vinnova 2014-00918, KTH …": the funder, reference, coordinator and call, in the words
    of the record."""
    parts = [grant.funder.name, grant.reference, grant.coordinator_label, grant.call]
    return ", ".join(part for part in parts if part)


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
    SearchSource(
        key="grants",
        model=Grant,
        label=_("Projects and grants"),
        title="title",
        summary=_grant_summary,
        body=markdown_body("summary"),
        keywords=lambda grant: " ".join(
            part for part in (grant.title, grant.reference, grant.funder.name) if part
        ),
        municipalities=["municipalities", "areas__municipality", "areas__parent__municipality"],
        queryset=lambda: Grant.objects.select_related("funder", "coordinator"),
        follows={Actor: "funder"},
        order=65,
    ),
]
