"""Demo small areas inside Södertörn (called by indicators/demo.py's ``load``).

* Areas: fixtures/areas_small.geojson (built by fixtures/build_small_areas.py): Flemingsberg,
  Fittja, Alby, Hallunda-Norsborg, Tyresö centrum and the other localities the seeds and the
  testbeds name, each a small area (``AreaKind.SMALL_AREA``) whose parent is its municipality's
  area. Their boundaries are drawn by hand around the locality's centre, so every one is
  flagged ``approximate_boundary`` and the public pages say "approximate boundary".
* Observations: invented, for a few indicators only (``INDICATORS``), with the same generator
  as the municipalities' demo values (``demo.series``) and flagged ``is_example``; public pages
  say "Exempeldata". No real small-area figure is in the sources. One series has an invented
  change after a demo testbed's start (``EFFECTS``), for the testbed's effect page.

Idempotent like demo.py: areas are found by code, observations upserted.
"""

from __future__ import annotations

import json
from decimal import Decimal

from .models import Area, AreaKind, Indicator
from .services import CleanRow, upsert

SMALL_AREAS_FILE = "areas_small.geojson"
# The indicators the demo gives small-area values: the analysis page's default axes and size,
# and school eligibility.
INDICATORS = ("forvarvsfrekvens", "ekonomiskt-bistand", "folkmangd", "gymnasiebehorighet")
# code -> (social strain 0–1, urbanity 0–1, population 2009, population at the last year):
# invented, in the spirit of demo.PROFILES.
PROFILES = {
    "flemingsberg": (0.70, 0.60, 12_000, 14_500),
    "trangsund": (0.15, 0.35, 8_500, 9_300),
    "fittja": (0.92, 0.65, 7_400, 8_000),
    "alby": (0.88, 0.65, 11_500, 12_600),
    "hallunda-norsborg": (0.82, 0.60, 15_500, 17_000),
    "tumba": (0.35, 0.55, 11_000, 12_800),
    "ronninge": (0.12, 0.40, 7_800, 9_000),
    "jordbro": (0.74, 0.50, 10_000, 10_800),
    "handen": (0.45, 0.65, 12_000, 15_500),
    "tyreso-centrum": (0.30, 0.55, 5_800, 7_200),
    "nykvarn-centrum": (0.15, 0.35, 4_800, 5_900),
    "sodertalje-centrum": (0.55, 0.75, 8_000, 9_600),
    "hovsjo": (0.93, 0.55, 5_400, 5_800),
    "nynashamn-centrum": (0.35, 0.45, 6_000, 6_700),
}

# An invented change after a demo testbed's start, so that its effect page (indicators/effect.py,
# /testbaddar/lokala-jobb-i-fittja-centrum/effekt/) has something to show: (indicator, area) ->
# (first year, added per year from it on). Example data like every small-area value here.
EFFECT_TESTBED = "lokala-jobb-i-fittja-centrum"  # starts 2017, lies in Fittja
EFFECTS = {("forvarvsfrekvens", "fittja"): (2017, 0.9)}


def _with_effect(code: str, area_code: str, year: int, value: float) -> float:
    first, per_year = EFFECTS.get((code, area_code), (None, 0.0))
    if first is None or year < first:
        return value
    return value + per_year * (year - first + 1)


def _quantize(value: float, decimals: int) -> Decimal:
    return Decimal(str(round(value, decimals))).quantize(Decimal(1).scaleb(-decimals))


def load_small_areas(database: str, areas: dict[str, Area]) -> dict[str, Area]:
    """The small areas of the fixture, each under its municipality's area (in ``areas``)."""
    from .demo import FIXTURE_DIR

    collection = json.loads((FIXTURE_DIR / SMALL_AREAS_FILE).read_text(encoding="utf-8"))
    found = {}
    for feature in collection["features"]:
        properties = feature["properties"]
        parent = areas.get(properties["parent"])
        if parent is None:  # its municipality is not in the demo
            continue
        area, _created = Area.objects.using(database).update_or_create(
            own_code=properties["code"],
            defaults={
                "kind": AreaKind.SMALL_AREA,
                "own_name": properties["name"],
                "own_boundary": feature["geometry"],
                "approximate_boundary": bool(properties.get("approximate", True)),
                "parent": parent,
                "municipality": None,
            },
        )
        found[properties["code"]] = area
    return found


def observation_rows(indicators: dict[str, Indicator], areas: dict[str, Area]) -> list[CleanRow]:
    from . import demo

    rows = []
    for code in INDICATORS:
        indicator = indicators.get(code)
        if indicator is None:
            continue
        for area_code, (strain, urban, first, last) in PROFILES.items():
            area = areas.get(area_code)
            if area is None:
                continue
            profile = demo.Profile(strain, urban, first, last)
            for (year, gender), value in sorted(demo.series(code, area_code, profile).items()):
                rows.append(
                    CleanRow(
                        line=0,
                        indicator_id=indicator.pk,
                        area_id=area.pk,
                        year=year,
                        gender=gender,
                        value=_quantize(
                            _with_effect(code, area_code, year, value), indicator.decimals
                        ),
                        note="",
                        is_example=True,
                    )
                )
    return rows


def load(database: str, areas: dict[str, Area], indicators: dict[str, Indicator]):
    """Create the small areas and their example values; gives {code: area} of the small areas
    (demo.py adds them to its count)."""
    small = load_small_areas(database, areas)
    upsert(observation_rows(indicators, small), update_note=True)
    return small
