"""Demo indicator data (called by load_demo): areas, indicators, 2014–2019 observations and
Stockholm's programme for a cohesive city as a goal tracker.

* Areas: every programme municipality (testbeds.Municipality) gets its area; Stockholm (0180)
  and the 22 Stockholm districts that seed 004 names come from
  fixtures/areas_stockholm.geojson (see fixtures/build_areas.py).
* Indicators: fixtures/indicators.json (definitions in our own words; sources named).
* Observations: generated here for the programme's years 2014–2019, deterministically (each
  series has its own seeded random generator), and flagged ``is_example``; public pages say
  "Exempeldata". The social risk index is Stockholm's own (seed 004): only the city and its
  districts have values, from the baseline 2012; its two real figures are kept as they stand and
  not flagged: Tensta about 180 and the city average 100 in 2012.
* Stockholm's programme for a cohesive city 2015–2020 (seed 004): fixtures/cohesive_city.json,
  its goal areas, numbered goals, responsible bodies in the programme's order and the
  prioritised district councils and districts; all of it is the programme's, none invented.

Idempotent: areas and indicators are found by code, observations are upserted on their unique
constraint, so running it again changes nothing and restores edited demo values.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from sodertorn.cache import content_changed
from testbeds.models import Municipality, Testbed, Theme

from . import demo_small_areas
from .models import (
    Area,
    AreaKind,
    Body,
    Gender,
    Goal,
    GoalArea,
    Indicator,
    Observation,
    Programme,
    Responsibility,
)
from .services import CleanRow, upsert

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
AREAS_FILE = FIXTURE_DIR / "areas_stockholm.geojson"
INDICATORS_FILE = FIXTURE_DIR / "indicators.json"
PROGRAMME_FILE = FIXTURE_DIR / "cohesive_city.json"
# The invented series run through the programme's years; the profiles' populations are given
# for 2009 and 2024 and only shape them.
FIRST_YEAR, LAST_YEAR = 2009, 2024
YEARS = range(2014, 2020)
# The social risk index also has its baseline year, the one seed 004 gives figures for.
RISK_INDEX = "socialt-riskindex"
RISK_INDEX_YEARS = (2012, *YEARS)
SEED_004 = "Stockholms stad, Program för en sammanhållen stad 2015–2020, bilaga 3"
# (indicator, area code, year) -> value: real figures from seed 004, not flagged as examples.
REAL_VALUES = {
    ("socialt-riskindex", "0180-tensta", 2012): Decimal(180),
    ("socialt-riskindex", "0180", 2012): Decimal(100),
}


@dataclass(frozen=True)
class Profile:
    """What drives an area's invented values: social strain (0–1), urbanity (0–1) and the
    population in 2009 and 2024."""

    strain: float
    urban: float
    population_2009: int
    population_2024: int


PROFILES = {
    # The eight programme municipalities (real codes) and Stockholm.
    "0126": Profile(0.45, 0.60, 97_000, 115_000),  # Huddinge
    "0127": Profile(0.70, 0.55, 82_000, 96_000),  # Botkyrka
    "0128": Profile(0.28, 0.35, 15_500, 17_600),  # Salem
    "0136": Profile(0.45, 0.45, 76_000, 98_000),  # Haninge
    "0138": Profile(0.20, 0.45, 43_000, 49_500),  # Tyresö
    "0140": Profile(0.15, 0.15, 9_000, 12_000),  # Nykvarn
    "0181": Profile(0.68, 0.50, 85_000, 102_000),  # Södertälje
    "0192": Profile(0.33, 0.20, 26_000, 29_500),  # Nynäshamn
    "0180": Profile(0.40, 1.00, 830_000, 985_000),  # Stockholm
    # Stockholm districts with a social risk index above the city average (seed 004).
    "0180-rinkeby": Profile(0.94, 0.80, 15_000, 16_800),
    "0180-husby": Profile(0.88, 0.80, 11_500, 12_600),
    "0180-akalla": Profile(0.70, 0.75, 8_400, 9_100),
    "0180-kista": Profile(0.60, 0.85, 10_800, 12_900),
    "0180-tensta": Profile(0.95, 0.80, 18_000, 19_400),
    "0180-varberg": Profile(0.76, 0.75, 9_400, 10_200),
    "0180-bredang": Profile(0.77, 0.75, 9_800, 10_900),
    "0180-satra": Profile(0.66, 0.70, 7_000, 7_600),
    "0180-skarholmen": Profile(0.80, 0.80, 8_000, 9_300),
    "0180-hasselby-gard": Profile(0.62, 0.70, 9_000, 9_900),
    "0180-grimsta": Profile(0.55, 0.65, 5_400, 5_900),
    "0180-hasselby-strand": Profile(0.60, 0.70, 11_000, 11_800),
    "0180-vallingby": Profile(0.50, 0.80, 10_000, 11_300),
    "0180-ragsved": Profile(0.72, 0.75, 10_000, 10_900),
    "0180-hagsatra": Profile(0.78, 0.75, 9_000, 9_800),
    "0180-hogdalen": Profile(0.60, 0.75, 7_000, 7_800),
    "0180-bandhagen": Profile(0.45, 0.75, 10_000, 11_200),
    "0180-ostberga": Profile(0.62, 0.70, 5_000, 5_600),
    "0180-farsta-strand": Profile(0.50, 0.75, 8_000, 8_900),
    "0180-hokarangen": Profile(0.46, 0.75, 9_000, 9_700),
    "0180-farsta": Profile(0.52, 0.85, 11_000, 12_800),
    "0180-fagersjo": Profile(0.56, 0.65, 3_500, 3_800),
}


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _population(profile: Profile, year: int) -> float:
    share = (year - FIRST_YEAR) / (LAST_YEAR - FIRST_YEAR)
    return profile.population_2009 + share * (profile.population_2024 - profile.population_2009)


def series(indicator: str, code: str, profile: Profile) -> dict[tuple[int, str], float]:
    """{(year, gender): value} for one indicator and area: invented, but shaped like the real
    statistics (levels follow social strain and urbanity; trends are gentle)."""
    rng = random.Random(f"{indicator}:{code}")  # str seeds are stable across runs and machines
    small = profile.population_2009 < 40_000  # small areas have noisier figures
    noise = 1.8 if small else 1.0
    s, u = profile.strain, profile.urban
    out: dict[tuple[int, str], float] = {}
    if indicator == RISK_INDEX and code != "0180" and not code.startswith("0180-"):
        return out  # an index of Stockholm's districts: nothing for other municipalities
    for year in RISK_INDEX_YEARS if indicator == RISK_INDEX else YEARS:
        t = year - FIRST_YEAR
        if indicator == "socialt-riskindex":
            value = 100.0 if code == "0180" else 100 + (s - 0.4) / 0.55 * 80 - 0.4 * (t - 3)
            if code != "0180":
                value += rng.gauss(0, 2.5)
            out[(year, Gender.TOTAL)] = _clamp(value, 40, 220)
        elif indicator == "ekonomiskt-bistand":
            level = (1.5 + 14 * s**2) * (0.985**t)
            women = level * 1.04 + rng.gauss(0, 0.15 * noise)
            men = level * 0.96 + rng.gauss(0, 0.15 * noise)
            out[(year, Gender.WOMEN)] = _clamp(women, 0.3, 30)
            out[(year, Gender.MEN)] = _clamp(men, 0.3, 30)
            out[(year, Gender.TOTAL)] = (out[(year, Gender.WOMEN)] + out[(year, Gender.MEN)]) / 2
        elif indicator == "forvarvsfrekvens":
            level = 87 - 29 * s + 0.35 * t
            gap = 2.5 + 7 * s
            women = level - gap / 2 + rng.gauss(0, 0.5 * noise)
            men = level + gap / 2 + rng.gauss(0, 0.5 * noise)
            out[(year, Gender.WOMEN)] = _clamp(women, 35, 93)
            out[(year, Gender.MEN)] = _clamp(men, 35, 93)
            out[(year, Gender.TOTAL)] = (out[(year, Gender.WOMEN)] + out[(year, Gender.MEN)]) / 2
        elif indicator == "gymnasiebehorighet":
            level = 94 - 28 * s + 0.1 * t
            girls = level + 2.5 + rng.gauss(0, 1.6 * noise)
            boys = level - 2.5 + rng.gauss(0, 1.6 * noise)
            out[(year, Gender.WOMEN)] = _clamp(girls, 40, 100)
            out[(year, Gender.MEN)] = _clamp(boys, 40, 100)
            out[(year, Gender.TOTAL)] = (out[(year, Gender.WOMEN)] + out[(year, Gender.MEN)]) / 2
        elif indicator == "nya-bostader":
            boom = 2.5 if 2015 <= year <= 2019 else 0.0
            level = 2.0 + 5.0 * u * (1 - 0.3 * s) + boom + rng.gauss(0, 1.4 * noise)
            out[(year, Gender.TOTAL)] = _clamp(level, 0.0, 25)
        elif indicator == "tobins-q":
            cycle = 0.045 * t if year <= 2017 else 0.045 * 8 - 0.03 * (year - 2017)
            level = 0.55 + 1.0 * u - 0.35 * s + cycle + rng.gauss(0, 0.04)
            out[(year, Gender.TOTAL)] = _clamp(level, 0.3, 3.5)
        elif indicator == "gronyta":
            base = 120 + 650 * (1 - u) + (90 if code in ("0180-tensta", "0180-rinkeby") else 0)
            level = base * profile.population_2009 / _population(profile, year)
            out[(year, Gender.TOTAL)] = level * (1 + rng.gauss(0, 0.01))
        elif indicator == "vaxthusgaser":
            level = (2.2 + 2.6 * (1 - u)) * (0.968**t) * (1 + rng.gauss(0, 0.02))
            out[(year, Gender.TOTAL)] = _clamp(level, 0.3, 12)
        elif indicator == "folkmangd":
            total = _population(profile, year) * (1 + rng.gauss(0, 0.002))
            women = total * (0.5 + rng.gauss(0, 0.003))
            out[(year, Gender.TOTAL)] = round(total)
            out[(year, Gender.WOMEN)] = round(women)
            out[(year, Gender.MEN)] = round(total) - round(women)
    return out


def _quantize(value: float, decimals: int) -> Decimal:
    return Decimal(str(round(value, decimals))).quantize(Decimal(1).scaleb(-decimals))


@transaction.atomic
def load_areas(database: str) -> dict[str, Area]:
    areas: dict[str, Area] = {}
    for municipality in Municipality.objects.using(database).all():
        area, _created = Area.objects.using(database).get_or_create(
            municipality=municipality,
            defaults={"kind": AreaKind.MUNICIPALITY},
        )
        if area.kind != AreaKind.MUNICIPALITY or area.parent_id:
            area.kind, area.parent = AreaKind.MUNICIPALITY, None
            area.save(using=database)
        areas[municipality.code] = area
    collection = json.loads(AREAS_FILE.read_text(encoding="utf-8"))
    for feature in collection["features"]:
        properties = feature["properties"]
        parent = areas[properties["parent"]] if properties["parent"] else None
        area, _created = Area.objects.using(database).update_or_create(
            own_code=properties["code"],
            defaults={
                "kind": properties["kind"],
                "own_name": properties["name"],
                "own_boundary": feature["geometry"],
                "parent": parent,
                "municipality": None,
            },
        )
        areas[properties["code"]] = area
    return areas


@transaction.atomic
def load_indicators(database: str, areas: dict[str, Area]) -> dict[str, Indicator]:
    definitions = json.loads(INDICATORS_FILE.read_text(encoding="utf-8"))
    themes = {theme.slug: theme for theme in Theme.objects.using(database).all()}
    testbeds = {testbed.slug: testbed for testbed in Testbed.objects.using(database).all()}
    indicators = {}
    for definition in definitions:
        fields = {
            key: value for key, value in definition.items() if key not in ("themes", "testbeds")
        }
        code = fields.pop("code")
        scope = fields.pop("area_scope", "")
        fields["area_scope"] = areas[scope] if scope else None
        indicator, _created = Indicator.objects.using(database).update_or_create(
            code=code, defaults=fields
        )
        if indicator.area_scope_id:
            # Example values an earlier demo gave outside the scope (the social risk index of
            # the Södertörn municipalities) go before the scope is checked.
            Observation.objects.using(database).filter(
                indicator=indicator, is_example=True
            ).exclude(
                area__in=Area.objects.using(database).within(indicator.area_scope_id).values("pk")
            ).delete()
        indicator.full_clean()
        indicator.themes.set([themes[slug] for slug in definition["themes"] if slug in themes])
        indicator.testbeds.set(
            [testbeds[slug] for slug in definition["testbeds"] if slug in testbeds]
        )
        indicators[code] = indicator
    return indicators


def observation_rows(indicators: dict[str, Indicator], areas: dict[str, Area]) -> list[CleanRow]:
    rows = []
    for code, indicator in indicators.items():
        for area_code, profile in PROFILES.items():
            area = areas.get(area_code)
            if area is None:
                continue
            for (year, gender), value in sorted(series(code, area_code, profile).items()):
                real = REAL_VALUES.get((code, area_code, year)) if gender == Gender.TOTAL else None
                rows.append(
                    CleanRow(
                        line=0,
                        indicator_id=indicator.pk,
                        area_id=area.pk,
                        year=year,
                        gender=gender,
                        value=real if real is not None else _quantize(value, indicator.decimals),
                        note=SEED_004 if real is not None else "",
                        is_example=real is None,
                    )
                )
    return rows


@transaction.atomic
def load_programme(
    database: str, areas: dict[str, Area], indicators: dict[str, Indicator]
) -> Programme:
    """Stockholm's programme for a cohesive city (seed 004), found by slug, names and numbers:
    loading again restores edited rows. The districts of the prioritised district councils are
    the areas flagged ``prioritised``."""
    data = json.loads(PROGRAMME_FILE.read_text(encoding="utf-8"))
    db = database
    bodies = {}
    prioritised = set()
    for entry in data["bodies"]:
        body, _created = Body.objects.using(db).update_or_create(
            name=entry["name"],
            defaults={"kind": entry["kind"], "prioritised": entry.get("prioritised", False)},
        )
        body.areas.set([areas[code] for code in entry.get("areas", [])])
        prioritised.update(entry.get("areas", []) if body.prioritised else [])
        bodies[body.name] = body
    Area.objects.using(db).filter(own_code__in=prioritised).update(prioritised=True)
    Area.objects.using(db).exclude(own_code__in=prioritised).update(prioritised=False)
    fields = dict(data["programme"])
    slug = fields.pop("slug")
    fields["area"] = areas[fields["area"]]
    fields["follow_up"] = bodies[fields["follow_up"]]
    fields["source"] = data["source"]
    programme, _created = Programme.objects.using(db).update_or_create(slug=slug, defaults=fields)
    follow_up = programme.follow_up
    baseline = programme.period_start - 1  # the last year before the programme
    for area_position, area_data in enumerate(data["goal_areas"], start=1):
        goal_area, _created = GoalArea.objects.using(db).update_or_create(
            programme=programme,
            name=area_data["name"],
            defaults={"position": area_position, "description": area_data["description"]},
        )
        for position, goal_data in enumerate(area_data["goals"], start=1):
            goal, _created = Goal.objects.using(db).update_or_create(
                goal_area=goal_area,
                position=position,
                defaults={
                    "heading": goal_data["heading"],
                    "number": goal_data["number"],
                    "text": goal_data["text"],
                    "direction": goal_data["direction"],
                    "baseline_year": goal_data.get("baseline_year", baseline),
                    "follow_up": follow_up,
                    "target_value": None,
                    "target_year": None,
                    "is_example": False,
                },
            )
            goal.full_clean()
            goal.indicators.set([indicators[code] for code in goal_data.get("indicators", [])])
            Responsibility.objects.using(db).filter(goal=goal).delete()
            Responsibility.objects.using(db).bulk_create(
                Responsibility(goal=goal, body=bodies[name], position=index)
                for index, name in enumerate(goal_data["bodies"], start=1)
            )
    return programme


def load(*, database="default", stdout=None, style=None, debug=False) -> dict[str, int]:
    with transaction.atomic(using=database):
        areas = load_areas(database)
        indicators = load_indicators(database, areas)
        # An example year outside the demo's (an earlier demo ran 2009–2024) goes.
        Observation.objects.using(database).filter(
            indicator__in=indicators.values(), is_example=True
        ).exclude(year__in=YEARS).exclude(
            indicator__code=RISK_INDEX, year__in=RISK_INDEX_YEARS
        ).delete()
        rows = observation_rows(indicators, areas)
        upsert(rows, update_note=True)
        areas |= demo_small_areas.load(database, areas, indicators)
        load_programme(database, areas, indicators)
    content_changed(database)
    counts = {
        "areas": len(areas),
        "indicators": len(indicators),
        "observations": Observation.objects.using(database)
        .filter(indicator__in=indicators.values())
        .count(),
        "goals": Goal.objects.using(database).filter(goal_area__programme__isnull=False).count(),
    }
    if stdout is not None:
        message = (
            f"Indicator demo data: {counts['areas']} areas, {counts['indicators']} indicators, "
            f"{counts['observations']} observations, {counts['goals']} goals."
        )
        stdout.write(style.SUCCESS(message) if style else message)
    return counts
