"""The eight municipalities in every map's base layer (sodertorn/geo/basemap.py)."""

from sodertorn.geo.basemap import BaseArea

from .models import Municipality


def base_map_areas() -> list[BaseArea]:
    """Each municipality's boundary, named at its centre: one query."""
    rows = (
        Municipality.objects.filter(boundary__isnull=False)
        .order_by("code")
        .values_list("code", "name", "boundary", "center_longitude", "center_latitude")
    )
    return [
        BaseArea(code=code, name=name, geometry=boundary, label=(lon, lat))
        for code, name, boundary, lon, lat in rows
    ]
