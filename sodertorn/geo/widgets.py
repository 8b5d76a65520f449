"""A map widget for GeoJSON areas and latitude/longitude points, without GDAL.

The widget renders a Leaflet map and, below it, the GeoJSON text area itself, which stays
visible and editable: it is the keyboard and no-JavaScript way to give the area. The point
is kept in the form's own latitude and longitude fields; the map only fills them in.

No inline script or style (the site enforces a Content-Security-Policy): the map reads its
configuration from data- attributes, and static/testbeds/admin-map.js does the rest.
"""

import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULT_CENTER = (59.2, 17.9)  # Södertörn
DEFAULT_ZOOM = 9


def draw_strings() -> dict:
    """Leaflet.draw's interface texts, translated; admin-map.js merges them into L.drawLocal."""
    return {
        "draw": {
            "toolbar": {
                "actions": {"title": _("Cancel drawing"), "text": _("Cancel")},
                "finish": {"title": _("Finish drawing"), "text": _("Finish")},
                "undo": {"title": _("Delete last point drawn"), "text": _("Delete last point")},
                "buttons": {
                    "polygon": _("Draw a polygon"),
                    "rectangle": _("Draw a rectangle"),
                },
            },
            "handlers": {
                "polygon": {
                    "tooltip": {
                        "start": _("Click to start drawing the area."),
                        "cont": _("Click to continue drawing the area."),
                        "end": _("Click the first point to close the area."),
                    }
                },
                "polyline": {"error": _("The edges of the area cannot cross.")},
                "rectangle": {"tooltip": {"start": _("Click and drag to draw a rectangle.")}},
                "simpleshape": {"tooltip": {"end": _("Release the mouse to finish drawing.")}},
            },
        },
        "edit": {
            "toolbar": {
                "actions": {
                    "save": {"title": _("Keep the changes"), "text": _("Done")},
                    "cancel": {
                        "title": _("Cancel editing and undo the changes"),
                        "text": _("Cancel"),
                    },
                    "clearAll": {"title": _("Delete the whole area"), "text": _("Delete all")},
                },
                "buttons": {
                    "edit": _("Edit the area"),
                    "editDisabled": _("No area to edit"),
                    "remove": _("Delete parts of the area"),
                    "removeDisabled": _("No area to delete"),
                },
            },
            "handlers": {
                "edit": {
                    "tooltip": {
                        "text": _("Drag the handles to change the area."),
                        "subtext": _("Click Cancel to undo the changes."),
                    }
                },
                "remove": {"tooltip": {"text": _("Click a shape to delete it.")}},
            },
        },
    }


class MapWidget(forms.Textarea):
    """GeoJSON text area with a Leaflet map that draws the area and places the point.

    latitude_field and longitude_field name the form's own coordinate fields (in the same
    form, so the same prefix); the map writes the clicked or dragged point into them and
    follows what is typed there. Leave them out for an area-only map.
    """

    template_name = "sodertorn/widgets/map_widget.html"

    class Media:
        css = {
            "all": (
                "leaflet/leaflet.css",
                "leaflet/draw/leaflet.draw.css",
                "testbeds/admin-map.css",
            )
        }
        js = ("leaflet/leaflet.js", "leaflet/draw/leaflet.draw.js", "testbeds/admin-map.js")

    def __init__(
        self,
        attrs=None,
        *,
        latitude_field: str | None = None,
        longitude_field: str | None = None,
        center: tuple[float, float] | None = None,
        zoom: int | None = None,
    ):
        default_attrs = {
            "class": "vLargeTextField testbed-map-geojson",
            "rows": 6,
            "cols": 60,
            "spellcheck": "false",
            "autocomplete": "off",
        }
        super().__init__({**default_attrs, **(attrs or {})})
        self.latitude_field = latitude_field
        self.longitude_field = longitude_field
        leaflet = getattr(settings, "LEAFLET_CONFIG", {})
        self.center = center or tuple(leaflet.get("DEFAULT_CENTER", DEFAULT_CENTER))
        self.zoom = zoom if zoom is not None else leaflet.get("DEFAULT_ZOOM", DEFAULT_ZOOM)

    def sibling_id(self, name: str, area_id: str, field: str | None) -> str:
        """The HTML id of another field of the same form, e.g. latitude beside the area."""
        if not field or not area_id or not area_id.endswith(name):
            return ""
        prefix, dash, _field = name.rpartition("-")
        return area_id[: -len(name)] + (f"{prefix}{dash}{field}")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        area_id = context["widget"]["attrs"].get("id", "")
        map_id = f"{area_id or name}_map"
        context["map"] = {
            "id": map_id,
            "help_id": f"{map_id}_help",
            "label": _("Map for the point and the area"),
            "help": _(
                "Click the map to place the point, or drag the marker to move it; the "
                "latitude and longitude fields follow. Draw the area with the polygon or "
                "rectangle tool, and change or delete it with the edit tools. Without a "
                "mouse, type the latitude and longitude, and the area as GeoJSON in the "
                "text box below the map."
            ),
            "latitude_id": self.sibling_id(name, area_id, self.latitude_field),
            "longitude_id": self.sibling_id(name, area_id, self.longitude_field),
            "center_latitude": self.center[0],
            "center_longitude": self.center[1],
            "zoom": self.zoom,
            "tile_url": settings.TILE_URL,
            "tile_attribution": settings.TILE_ATTRIBUTION,
            "marker_title": _("Point on the map"),
            "draw_strings": json.dumps(draw_strings(), default=str, ensure_ascii=False),
        }
        return context
