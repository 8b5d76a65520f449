"""Maps that read without tiles (static/js/basemap.js, sodertorn/geo/basemap.py).

With every request to the tile host blocked (a closed network, a tile server down), each kind of
page with a map draws the municipalities' boundaries (SVG paths in the map's base pane) and
their names, and logs no console error of its own (the blocked tiles' failed loads are the
network's, and are the only errors allowed). When tiles load, they cover the boundaries: the
base pane lies under the tile pane, and the names give way to the tiles'.
"""

import struct
import zlib
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from .. import public_pages
from .checks import violations

pytestmark = pytest.mark.django_db

PROGRAMME = {
    "Botkyrka",
    "Haninge",
    "Huddinge",
    "Nykvarn",
    "Nynäshamn",
    "Salem",
    "Södertälje",
    "Tyresö",
}
# Every kind of page with a map: (url name, kwargs or None for the demo's first, map id,
# Stockholm drawn too). tests/test_base_map.py checks that every map starts from a partial that
# names the base layer.
MAP_PAGES = [
    ("testbeds:home", None, "home-map", False),
    ("testbeds:list", None, "catalogue-map", False),
    ("testbeds:detail", None, "testbed-map", False),
    ("testbeds:municipality", None, "municipality-map", False),
    ("indicators:indicator_detail", None, "indicator-map", True),
    ("indicators:area_detail", {"code": "0126"}, "area-map", False),
    ("indicators:area_detail", {"code": "0180-tensta"}, "area-map", True),
]

BASE_PATHS_JS = """(id) => {
  const map = document.getElementById(id);
  return {
    state: map.dataset.baseMap,
    paths: map.querySelectorAll('.leaflet-basemap-pane svg path').length,
    labels: Array.from(map.querySelectorAll('.base-map-label')).map((l) => l.textContent),
    shown: Array.from(map.querySelectorAll('.base-map-label'))
      .filter((l) => l.checkVisibility({visibilityProperty: true})).length,
  };
}"""


@pytest.fixture(autouse=True)
def _media_root(settings, demo_media):
    settings.MEDIA_ROOT = demo_media


def tile_url(url: str) -> bool:
    return urlsplit(url).hostname == settings.TILE_HOST


def block_tiles(page) -> list[str]:
    """Abort every tile request; returns the list the tile requests' own console errors go
    to (taken out of the page's console errors by ``page_errors``)."""
    page.route(f"https://{settings.TILE_HOST}/**", lambda route: route.abort())
    failed_loads = []
    page.on(
        "console",
        lambda msg: (
            failed_loads.append(msg.text)
            if msg.type == "error" and tile_url(msg.location.get("url", ""))
            else None
        ),
    )
    return failed_loads


def page_errors(page, failed_loads) -> list[str]:
    """The page's console errors besides the blocked tiles' failed loads."""
    errors = page.console_errors
    for text in failed_loads:
        assert text.startswith("Failed to load resource"), text
        errors.remove(text)
    failed_loads.clear()
    return list(errors)


def solid_png(size: int = 256, rgb: tuple[int, int, int] = (170, 211, 223)) -> bytes:
    """An opaque one-colour PNG tile."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * size
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(("name", "kwargs", "map_id", "with_stockholm"), MAP_PAGES)
def test_every_map_draws_the_boundaries_without_tiles(
    site, paths, page, name, kwargs, map_id, with_stockholm
):
    failed_loads = block_tiles(page)
    page.goto(site.url + (reverse(name, kwargs=kwargs) if kwargs else paths[(name, "sv")]))
    public_pages.wait_until_ready(page)
    found = page.evaluate(BASE_PATHS_JS, map_id)
    assert found["state"] == "drawn"
    expected = PROGRAMME | ({"Stockholm"} if with_stockholm else set())
    assert found["paths"] == len(expected)
    assert set(found["labels"]) == expected
    assert found["shown"] >= 1  # the tiles did not load: the names are the map's own
    assert failed_loads, "no tile was requested: the test would not see a blocked tile"
    assert page_errors(page, failed_loads) == []


def test_the_names_read_without_tiles(site, paths, page):
    """Without tiles, the names drawn on the map pass axe (contrast included), in English too."""
    failed_loads = block_tiles(page)
    for path in (paths[("testbeds:home", "en")], paths[("indicators:indicator_detail", "sv")]):
        page.goto(site.url + path)
        public_pages.wait_until_ready(page)
        assert page.locator(".base-map-label:visible").count() >= 3
        assert violations(page) == []
    assert page_errors(page, failed_loads) == []


def test_tiles_cover_the_boundaries_when_they_load(site, paths, page):
    tile = solid_png()
    page.route(
        f"https://{settings.TILE_HOST}/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=tile),
    )
    page.goto(site.url + paths[("testbeds:home", "sv")])
    public_pages.wait_until_ready(page)
    page.wait_for_selector("#home-map.map-has-tiles")
    result = page.evaluate(
        """() => {
          const map = document.getElementById('home-map');
          map.scrollIntoView({block: 'center'});
          const ABOVE = '.leaflet-marker-pane, .leaflet-shadow-pane, .leaflet-control-container';
          // Tiles and boundaries ignore the pointer; let them take it, so that hit testing
          // (which follows the painting order) finds whichever is drawn on top.
          const probe = '.leaflet-tile-container, .leaflet-tile, .leaflet-basemap-pane svg path';
          map.querySelectorAll(probe).forEach((el) => { el.style.pointerEvents = 'auto'; });
          const z = (selector) => Number(getComputedStyle(map.querySelector(selector)).zIndex);
          const labels = map.querySelector('.base-map-labels');
          return {
            base: z('.leaflet-basemap-pane'),
            tiles: z('.leaflet-tile-pane'),
            labelsShown: labels.checkVisibility(),
            loadedTiles: map.querySelectorAll('img.leaflet-tile-loaded').length,
            // What is drawn on top at the middle of each boundary's box (inside the map)?
            hits: Array.from(map.querySelectorAll('.leaflet-basemap-pane svg path')).map((p) => {
              const r = p.getBoundingClientRect();
              const m = map.getBoundingClientRect();
              const x = r.left + r.width / 2;
              const y = r.top + r.height / 2;
              if (x < m.left || x > m.right || y < m.top || y > m.bottom) return 'outside';
              const hit = document.elementFromPoint(x, y);
              if (!hit) return 'outside';
              if (hit.classList.contains('leaflet-tile')) return 'tile';
              if (hit.closest(ABOVE)) return 'above';
              return hit.tagName + '.' + hit.className.baseVal + hit.className;
            }),
          };
        }"""
    )
    assert result["base"] < result["tiles"]
    assert result["loadedTiles"] > 0
    assert not result["labelsShown"], "the tiles carry the names once they load"
    # Wherever a boundary is, the tiles are drawn over it (or a marker or control, above both).
    assert result["hits"].count("tile") >= 3, result["hits"]
    assert set(result["hits"]) <= {"tile", "above", "outside"}, result["hits"]
