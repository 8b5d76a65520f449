"""GeoJSON checks and helpers, in plain Python (no GDAL/GEOS needed)."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

AREA_TYPES = ("Polygon", "MultiPolygon")
MAX_POSITIONS = 20_000


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _check_position(position, counter: list[int]) -> None:
    if not isinstance(position, list | tuple) or len(position) not in (2, 3):
        raise ValidationError(_("Each position must be a list [longitude, latitude]."))
    if not all(_is_number(v) for v in position):
        raise ValidationError(_("Coordinates must be numbers."))
    lon, lat = position[0], position[1]
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        raise ValidationError(
            _("Coordinate (%(lon)s, %(lat)s) is outside WGS84 longitude/latitude ranges."),
            params={"lon": lon, "lat": lat},
        )
    counter[0] += 1
    if counter[0] > MAX_POSITIONS:
        raise ValidationError(
            _("The area has too many points (at most %(max)s)."), params={"max": MAX_POSITIONS}
        )


def _check_polygon(rings, counter: list[int]) -> None:
    if not isinstance(rings, list) or not rings:
        raise ValidationError(_("A polygon needs at least one ring."))
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise ValidationError(_("Each ring needs at least four positions."))
        for position in ring:
            _check_position(position, counter)
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise ValidationError(
                _("Each ring must be closed: its first and last positions must be equal.")
            )


def validate_area(value) -> None:
    """Validate a GeoJSON geometry: Polygon or MultiPolygon, WGS84, closed rings."""
    if value in (None, ""):
        return
    if not isinstance(value, dict):
        raise ValidationError(_("The area must be a GeoJSON geometry object."))
    geometry_type = value.get("type")
    if geometry_type not in AREA_TYPES:
        raise ValidationError(
            _("The area must be a Polygon or MultiPolygon, not %(type)s."),
            params={"type": geometry_type or "?"},
        )
    coordinates = value.get("coordinates")
    counter = [0]
    if geometry_type == "Polygon":
        _check_polygon(coordinates, counter)
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise ValidationError(_("A MultiPolygon needs at least one polygon."))
        for polygon in coordinates:
            _check_polygon(polygon, counter)


def _positions(geometry) -> Iterable[list]:
    coordinates = geometry["coordinates"]
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    for polygon in polygons:
        for ring in polygon:
            yield from ring


def bounds(geometry) -> tuple[float, float, float, float] | None:
    """(south, west, north, east) of a Polygon/MultiPolygon, or None."""
    if not geometry:
        return None
    lons, lats = [], []
    for lon, lat, *_rest in _positions(geometry):
        lons.append(lon)
        lats.append(lat)
    return min(lats), min(lons), max(lats), max(lons)


def point_feature(latitude, longitude, properties: dict) -> dict:
    geometry = None
    if latitude is not None and longitude is not None:
        geometry = {"type": "Point", "coordinates": [float(longitude), float(latitude)]}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def area_feature(geometry: dict, title: str) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": {"title": title, "kind": "area"}}


def feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _in_ring(lon: float, lat: float, ring) -> bool:
    """Ray casting: does a horizontal ray from the point cross the ring an odd number of times?"""
    inside = False
    previous = ring[-1]
    for position in ring:
        (x1, y1), (x2, y2) = previous[:2], position[:2]
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
        previous = position
    return inside


def contains_point(geometry, longitude, latitude) -> bool:
    """Is the point inside a Polygon/MultiPolygon (outside its holes)? Plain ray casting in
    longitude/latitude, no GDAL; a point exactly on an edge may fall either way."""
    if not geometry or geometry.get("type") not in AREA_TYPES:
        return False
    lon, lat = float(longitude), float(latitude)
    coordinates = geometry["coordinates"]
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    for rings in polygons:
        if (
            rings
            and _in_ring(lon, lat, rings[0])
            and not any(_in_ring(lon, lat, hole) for hole in rings[1:])
        ):
            return True
    return False


def representative_points(geometry) -> list[tuple[float, float]]:
    """(longitude, latitude) points that stand for an area when asking which areas it lies
    in: the centre (average of the vertices) of each polygon's outer ring."""
    if not geometry or geometry.get("type") not in AREA_TYPES:
        return []
    coordinates = geometry["coordinates"]
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    points = []
    for rings in polygons:
        if not rings:
            continue
        ring = [(float(p[0]), float(p[1])) for p in rings[0][:-1]]
        if ring:
            points.append(
                (sum(x for x, _y in ring) / len(ring), sum(y for _x, y in ring) / len(ring))
            )
    return points
