"""The one-page fact sheets of a testbed and of a municipality (issue 18): what the views
gather that is not another app's (those parts come from the ``testbed_factsheet`` and
``municipality_factsheet`` hooks, sodertorn/hooks.py).

The sheets are built for paper: the area is a static SVG drawing (sodertorn/geo/svg.py), not
a script-driven map, and a QR code leads from the paper back to the page on the web.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sodertorn.geo.svg import Drawing, drawing

# The fact sheets' bounded lists: enough for one A4 page, the rest counted.
MUNICIPALITY_TESTBEDS = 12


def canonical_url(request, path: str) -> str:
    """The absolute address of ``path``: on DJANGO_SITE_URL when set (printed sheets should
    lead to the public site, not to the host they were printed from), else this request's."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


def qr_code(url: str) -> segno.QRCode:
    """The QR code of ``url`` (error correction M: survives a crease or a smudge)."""
    return segno.make(url, error="m")


def qr_svg(url: str, label: str) -> SafeString:
    """``url`` as an inline SVG QR code with ``label`` as its accessible name; its modules
    are one path (segno), coloured by the stylesheet's ``.qr-code``."""
    svg = qr_code(url).svg_inline(
        scale=4, border=2, svgclass="qr-code", lineclass="qr-modules", omitsize=True
    )
    # segno writes <svg viewBox=… class=…>: the role and name come first.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))


def testbed_drawing(testbed, municipalities) -> Drawing:
    """The testbed's area and point over its municipalities' boundaries: framed on its area
    when it has one, else on its municipalities (where in them it lies)."""
    boundaries = [m.boundary for m in municipalities if m.boundary]
    areas = [("context", boundary) for boundary in boundaries]
    if testbed.area:
        areas.append(("area", testbed.area))
    points = []
    if testbed.has_point:
        points.append(("point", testbed.latitude, testbed.longitude))
    frame = [testbed.area] if testbed.area else boundaries or None
    return drawing(areas, points, frame=frame)


def municipality_drawing(municipality, testbeds) -> Drawing:
    """The municipality's boundary with the points of the testbeds listed on its sheet."""
    areas = [("context", municipality.boundary)] if municipality.boundary else []
    points = [("point", t.latitude, t.longitude) for t in testbeds if t.latitude is not None]
    frame = [municipality.boundary] if municipality.boundary else None
    return drawing(areas, points, frame=frame)
