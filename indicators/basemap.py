"""Stockholm in the base layer of the maps that show its districts (sodertorn/geo/basemap.py)."""

from sodertorn.geo.basemap import BaseArea

from .models import Area, AreaKind


def base_map_areas() -> list[BaseArea]:
    """The comparison municipalities (areas of kind municipality outside the programme, i.e.
    Stockholm) with their own boundary: one query. Their districts are drawn by the maps that
    show them."""
    rows = (
        Area.objects.filter(
            kind=AreaKind.MUNICIPALITY, municipality=None, parent=None, own_boundary__isnull=False
        )
        .order_by("own_code")
        .values_list("own_code", "own_name", "own_boundary")
    )
    return [BaseArea(code=code, name=name, geometry=boundary) for code, name, boundary in rows]
