"""Indicators in the site search (discovered by the search app; see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from sodertorn.searchable import SearchSource

from .models import Indicator


def _body(indicator: Indicator) -> str:
    return "\n\n".join(
        part for part in (indicator.method, indicator.source, indicator.responsible_body) if part
    )


sources = [
    SearchSource(
        key="indicators",
        model=Indicator,
        label=_("Indicators"),
        title="name",
        summary="description",
        body=_body,
        keywords=lambda indicator: f"{indicator.name} {indicator.code}",
        municipalities=["testbeds__municipalities"],
        order=70,
    ),
]
