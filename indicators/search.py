"""Indicators and areas in the site search (discovered by the search app; see search/registry.py).

An area's document is its page (/omraden/<code>/): its name (title), its kind and the area it
lies in (summary), and the names of the indicators with figures for it (body), so that
"Rinkeby" finds the district's page and "Rinkeby förvärvsfrekvens" the page that shows that
indicator for Rinkeby. The names are read from the observations when the area is indexed:
saving an area, an indicator or a single observation (the admin) re-indexes the areas
concerned, but an import writes observations in bulk, without signals, so an import that
brings an indicator to new areas leaves their documents as they were until
``manage.py rebuild_search_index`` (as after any bulk write; docs/deploy.md).
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sodertorn.searchable import SearchSource
from testbeds.models import Municipality

from .models import Area, AreaKind, Indicator, Observation


def _body(indicator: Indicator) -> str:
    return "\n\n".join(
        part for part in (indicator.method, indicator.source, indicator.responsible_body) if part
    )


def _area_summary(area: Area) -> str:
    """ "Stadsdel i Stockholm": stored in the default language whatever language the edit that
    re-indexed the area was made in (the results page shows the stored text)."""
    with translation.override(settings.LANGUAGE_CODE):
        kind = str(AreaKind(area.kind).label)
        if area.parent_id:
            return str(_("%(kind)s in %(area)s") % {"kind": kind, "area": area.parent.name})
        return kind


def _area_indicators(area: Area) -> str:
    """The names of the indicators with figures for the area (one query)."""
    names = (
        Indicator.objects.filter(observations__area=area)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    return ", ".join(names)


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
    SearchSource(
        key="areas",
        model=Area,
        label=_("Areas"),
        title="name",
        summary=_area_summary,
        body=_area_indicators,
        # every area is public: its page exists whether or not it has figures
        municipalities=["municipality", "parent__municipality"],
        queryset=lambda: Area.objects.light(),
        # the name of a programme municipality's area is the municipality's; the body lists
        # the names of the area's indicators
        follows={
            Municipality: "municipality",
            Indicator: "observations__indicator",
            Observation: "observations",
        },
        order=75,
    ),
]
