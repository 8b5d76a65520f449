"""The maps' base layer: the municipalities' boundaries, drawn under every map's tiles.

Every public map (static/js/maps.js with static/js/basemap.js) draws these boundaries first,
from the portal's own data, so that a map still reads when no tile loads (a closed network, an
offline laptop, a tile server down). They are served once, as one small GeoJSON
FeatureCollection at ``/kommungranser.geojson`` (``sodertorn/urls.py``), not written into every
page.

Where the boundaries come from: each project app that holds some registers the hook
``base_map_areas`` (sodertorn/hooks.py), returning a list of :class:`Source`: the features'
``group`` (``"programme"``: the eight Södertörn municipalities, from ``testbeds``;
``"comparison"``: Stockholm, from ``indicators``), the page-cache ``areas`` (model labels) the
features are read from, and ``load() -> list[BaseArea]``, one query. A map names the groups it
draws (``data-base-map-groups``): every map the programme's, the maps that show Stockholm's
districts Stockholm's too.

Cost: ``base_map_json()`` builds the collection (one query per source, geometry simplified and
rounded here) once per content version of those areas and keeps the bytes in the cache; the
view adds nothing. The page cache (``cache_for_anonymous``) answers anonymous visitors with a
weak ETag made from the same versions, gzipped, and ``304 Not Modified`` without a query.
"""

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache

from .. import hooks

HOOK = "base_map_areas"
CACHE_KEY = "base-map:"
# Simplification: Douglas-Peucker with this tolerance in degrees (about 30 m north-south), then
# coordinates rounded to 4 decimals (about 10 m). A base layer, drawn at the zoom levels of
# the region and a town; the exact boundary is drawn on the municipality's own page.
TOLERANCE = 0.0003
PLACES = 4
CACHE_SECONDS = 24 * 60 * 60  # a build outlives its version by no more than a day


@dataclass(frozen=True)
class BaseArea:
    """One boundary of the base layer. ``label``: [longitude, latitude] of the name."""

    code: str
    name: str
    geometry: dict
    label: tuple[float, float] | None = None


@dataclass(frozen=True)
class Source:
    group: str
    areas: tuple[str, ...]
    load: Callable[[], list[BaseArea]]


def sources() -> list[Source]:
    return hooks.collect(HOOK)


def cache_areas() -> tuple[str, ...]:
    """The page-cache areas the base layer is built from (for ``cache_for_anonymous``)."""
    return tuple(sorted({area for source in sources() for area in source.areas}))


# Geometry -------------------------------------------------------------------------------------


def _distance(point, start, end) -> float:
    """Distance of ``point`` from the segment start–end, in degrees (longitude scaled by the
    cosine of the latitude, so that a degree east counts as far as it is)."""
    scale = math.cos(math.radians(start[1]))
    px, py = (point[0] - start[0]) * scale, point[1] - start[1]
    dx, dy = (end[0] - start[0]) * scale, end[1] - start[1]
    length = dx * dx + dy * dy
    if length == 0:
        return math.hypot(px, py)
    t = max(0.0, min(1.0, (px * dx + py * dy) / length))
    return math.hypot(px - t * dx, py - t * dy)


def _douglas_peucker(points: list, tolerance: float) -> list:
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > farthest:
                farthest, index = d, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: list, tolerance: float = TOLERANCE, places: int = PLACES) -> list | None:
    """A closed ring simplified and rounded; None when too little of it is left to draw."""
    points = []
    for position in ring:
        point = [round(float(position[0]), places), round(float(position[1]), places)]
        if not points or point != points[-1]:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return None
    # Split the ring at its first point and the point farthest from it, so that neither end of
    # an open line is lost.
    far = max(range(len(points)), key=lambda i: _distance(points[i], points[0], points[0]))
    half = _douglas_peucker(points[: far + 1], tolerance)
    other = _douglas_peucker([*points[far:], points[0]], tolerance)
    simplified = [*half, *other[1:-1]]
    if len(simplified) < 3:
        return None
    return [*simplified, list(simplified[0])]


def simplify_area(geometry: dict) -> dict | None:
    """A Polygon or MultiPolygon simplified for the base layer (rings too small dropped)."""
    coordinates = geometry["coordinates"]
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    kept = []
    for polygon in polygons:
        exterior = simplify_ring(polygon[0])
        if exterior is None:
            continue
        holes = [ring for ring in map(simplify_ring, polygon[1:]) if ring is not None]
        kept.append([exterior, *holes])
    if not kept:
        return None
    if len(kept) == 1:
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


def _label_point(area: BaseArea, geometry: dict) -> list[float]:
    if area.label is not None:
        return [round(float(area.label[0]), PLACES), round(float(area.label[1]), PLACES)]
    exterior = max(
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"],
        key=lambda polygon: len(polygon[0]),
    )[0]
    lons, lats = [p[0] for p in exterior], [p[1] for p in exterior]
    return [round((min(lons) + max(lons)) / 2, PLACES), round((min(lats) + max(lats)) / 2, PLACES)]


# The collection -----------------------------------------------------------------------------


def build() -> dict:
    """The base layer's FeatureCollection: one query per source."""
    features = []
    for source in sources():
        for area in source.load():
            if not area.geometry:
                continue
            geometry = simplify_area(area.geometry)
            if geometry is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": geometry,
                    "properties": {
                        "code": area.code,
                        "name": area.name,
                        "group": source.group,
                        "label": _label_point(area, geometry),
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


def base_map_json() -> bytes:
    """The collection as compact JSON, built once per content version of its areas."""
    from ..cache import content_version

    try:
        versions = content_version(cache_areas())
    except Exception:  # the cache does not answer: build it (the page cache fails open too)
        return json.dumps(build(), ensure_ascii=False, separators=(",", ":")).encode()
    version = hashlib.md5(repr(versions).encode(), usedforsecurity=False).hexdigest()
    key = CACHE_KEY + version
    content = cache.get(key)
    if content is None:
        content = json.dumps(build(), ensure_ascii=False, separators=(",", ":")).encode()
        cache.set(key, content, timeout=CACHE_SECONDS)
    return content
