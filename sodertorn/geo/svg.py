"""A static drawing of areas and points, made on the server: SVG path data in plain Python.

For printed pages (the fact sheets), where a script-driven map has no place: ``drawing()``
projects GeoJSON Polygons/MultiPolygons and points (WGS84 longitude/latitude) into a fixed
viewBox with a plain equirectangular projection, the longitude scaled by the cosine of the
middle latitude (at Södertörn's scale indistinguishable from a proper map projection), and
gives the numbers a template writes as ``<path>`` and ``<circle>`` elements. The page's
stylesheet colours them by their ``kind``; nothing here writes a ``style`` attribute.

Vertices closer than ``MIN_STEP`` viewBox units to the previous one are left out, so a
municipality's detailed boundary (thousands of positions) stays a few hundred.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH = 400
HEIGHT = 300
PADDING = 12
MIN_STEP = 1.0
# Around a lone point (no area to frame): about 2 km either way.
POINT_MARGIN_DEGREES = 0.02


@dataclass(frozen=True)
class Shape:
    kind: str  # a CSS class suffix: "context", "area"…
    d: str


@dataclass(frozen=True)
class Dot:
    kind: str
    cx: str
    cy: str


@dataclass
class Drawing:
    width: int = WIDTH
    height: int = HEIGHT
    shapes: list[Shape] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    def __bool__(self) -> bool:
        return bool(self.shapes or self.dots)


def _polygons(geometry) -> list:
    if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return []
    coordinates = geometry.get("coordinates") or []
    return [coordinates] if geometry["type"] == "Polygon" else coordinates


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def drawing(
    areas: list[tuple[str, dict]],
    points: list[tuple[str, float, float]],
    *,
    frame: list[dict] | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Drawing:
    """Draw ``areas`` ((kind, GeoJSON geometry)) and ``points`` ((kind, latitude, longitude))
    into a width x height box. The view frames ``frame``'s geometries when given (e.g. the
    testbed's own area), otherwise everything drawn; a lone point gets a margin around it."""
    polygons = [(kind, polygon) for kind, geometry in areas for polygon in _polygons(geometry)]
    dots = [(kind, float(lat), float(lon)) for kind, lat, lon in points if lat is not None]
    framed = [p for geometry in frame for p in _polygons(geometry)] if frame else None
    lons, lats = [], []
    for polygon in framed if framed else [p for _k, p in polygons]:
        for ring in polygon[:1]:
            for position in ring:
                lons.append(float(position[0]))
                lats.append(float(position[1]))
    if not framed:
        for _kind, lat, lon in dots:
            lons.append(lon)
            lats.append(lat)
    if not lons:
        return Drawing(width, height)
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    if east - west < POINT_MARGIN_DEGREES / 10 and north - south < POINT_MARGIN_DEGREES / 10:
        west, east = west - POINT_MARGIN_DEGREES * 2, east + POINT_MARGIN_DEGREES * 2
        south, north = south - POINT_MARGIN_DEGREES, north + POINT_MARGIN_DEGREES
    x_scale = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * x_scale, 1e-9)
    span_y = max(north - south, 1e-9)
    scale = min((width - 2 * PADDING) / span_x, (height - 2 * PADDING) / span_y)
    offset_x = (width - span_x * scale) / 2
    offset_y = (height - span_y * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (
            offset_x + (lon - west) * x_scale * scale,
            offset_y + (north - lat) * scale,
        )

    result = Drawing(width, height)
    for kind, polygon in polygons:
        parts = []
        for ring in polygon:
            commands, last = [], None
            for position in ring:
                x, y = project(float(position[0]), float(position[1]))
                if last is not None and math.hypot(x - last[0], y - last[1]) < MIN_STEP:
                    continue
                commands.append(f"{_number(x)} {_number(y)}")
                last = (x, y)
            if len(commands) >= 3:
                parts.append("M" + "L".join(commands) + "Z")
        if parts:
            result.shapes.append(Shape(kind, "".join(parts)))
    for kind, lat, lon in dots:
        x, y = project(lon, lat)
        if -PADDING <= x <= width + PADDING and -PADDING <= y <= height + PADDING:
            result.dots.append(Dot(kind, _number(x), _number(y)))
    return result
