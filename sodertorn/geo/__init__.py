"""Geometry shared by the apps, in plain Python (no GDAL/GEOS needed).

- ``geojson``: checks and helpers for GeoJSON (``validate_area``, ``bounds``, features);
- ``fields``: ``GeoJSONAreaField``, the admin form field for an area;
- ``widgets``: ``MapWidget``, the Leaflet map that draws the area and places the point
  (template ``sodertorn/widgets/map_widget.html``, static ``testbeds/admin-map.*``).
"""

from .fields import GeoJSONAreaField
from .geojson import (
    AREA_TYPES,
    area_feature,
    bounds,
    contains_point,
    feature_collection,
    point_feature,
    representative_points,
    validate_area,
)
from .widgets import MapWidget, draw_strings

__all__ = [
    "AREA_TYPES",
    "GeoJSONAreaField",
    "MapWidget",
    "area_feature",
    "bounds",
    "contains_point",
    "draw_strings",
    "feature_collection",
    "point_feature",
    "representative_points",
    "validate_area",
]
