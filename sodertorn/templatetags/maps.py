from django import template
from django.urls import reverse
from leaflet.templatetags.leaflet_tags import leaflet_map

register = template.Library()


@register.simple_tag
def map_options() -> str:
    """``data-map-options="{% map_options %}"``: django-leaflet's map options (tiles,
    attribution, centre, zoom from ``settings.LEAFLET_CONFIG``) as JSON, read by
    static/js/maps.js, which starts the map. django-leaflet's own ``{% leaflet_map %}`` writes an
    inline start-up script instead, which would need a CSP nonce. The value is the same on every
    page and for every visitor; the template escapes it for the attribute."""
    return leaflet_map("map", creatediv=False)["djoptions"]


@register.simple_tag
def base_map_url() -> str:
    """``data-base-map-url="{% base_map_url %}"``: the boundaries static/js/basemap.js draws
    under the map's tiles (sodertorn/geo/basemap.py), the same URL on every page."""
    return reverse("base_map")
