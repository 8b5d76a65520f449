"""The demo data: fixtures/*.json loaded by the load_demo management command."""

import datetime
import importlib.util
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from sodertorn.geo import bounds, validate_area
from testbeds.models import Municipality, Testbed, Theme
from tests.public_pages import demo_fixtures

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
PROGRAMME_START = datetime.date(2014, 6, 1)
PROGRAMME_END = datetime.date(2019, 5, 27)

SODERTORN = {
    "0126": ("Huddinge", "huddinge"),
    "0127": ("Botkyrka", "botkyrka"),
    "0128": ("Salem", "salem"),
    "0136": ("Haninge", "haninge"),
    "0138": ("Tyresö", "tyreso"),
    "0140": ("Nykvarn", "nykvarn"),
    "0181": ("Södertälje", "sodertalje"),
    "0192": ("Nynäshamn", "nynashamn"),
}
PROGRAMME_THEMES = {
    "Stadsmiljö och boende",
    "Jobb och företagande",
    "Skola och utbildning",
    "Lokal social hållbarhet",
    "Ekosystemtjänster",
    "Markåtkomst",
    "Mobilitet",
    "Medborgardialog",
}
ASCII_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every demo row and M2M link, as plain values, to compare two loads."""
    return {
        "municipalities": sorted(
            Municipality.objects.values_list(
                "pk", "name", "slug", "code", "center_latitude", "center_longitude", "boundary"
            )
        ),
        "themes": sorted(Theme.objects.values_list("pk", "name", "slug", "description")),
        "testbeds": sorted(
            Testbed.objects.values_list(
                "pk",
                "title",
                "slug",
                "status",
                "start_date",
                "end_date",
                "published",
                "is_demo",
                "latitude",
                "longitude",
                "created_at",
                "updated_at",
            )
        ),
        "testbed_municipalities": sorted(
            Testbed.municipalities.through.objects.values_list("testbed_id", "municipality_id")
        ),
        "testbed_themes": sorted(
            Testbed.themes.through.objects.values_list("testbed_id", "theme_id")
        ),
    }


def point_in_bounds(latitude, longitude, box) -> bool:
    south, west, north, east = box
    return south <= float(latitude) <= north and west <= float(longitude) <= east


# The demo data, loaded once for the module (rolled back at its end); `demo` is what load_demo
# printed, and each test's own changes are rolled back.
demo_media, _media_root, demo_db, demo = demo_fixtures()


@pytest.mark.django_db
def test_load_demo_reports_what_it_loaded(demo):
    testbeds = Testbed.objects.count()
    themes = Theme.objects.count()
    assert f"Demo data: 8 municipalities, {themes} themes, {testbeds} testbeds." in demo


@pytest.mark.django_db
def test_the_eight_sodertorn_municipalities_with_official_codes(demo):
    rows = {m.code: (m.name, m.slug) for m in Municipality.objects.all()}
    assert rows == SODERTORN


@pytest.mark.django_db
def test_municipality_centres_lie_within_their_boundaries_box(demo):
    for municipality in Municipality.objects.all():
        assert municipality.boundary, municipality.name
        box = bounds(municipality.boundary)
        assert point_in_bounds(municipality.center_latitude, municipality.center_longitude, box), (
            municipality.name
        )


@pytest.mark.django_db
def test_testbeds_cover_all_municipalities_and_statuses(demo):
    assert Testbed.objects.count() >= 12
    for municipality in Municipality.objects.all():
        assert municipality.testbeds.exists(), f"{municipality.name} has no testbed"
    statuses = set(Testbed.objects.values_list("status", flat=True))
    assert statuses == {"planned", "ongoing", "completed"}
    shared = [t for t in Testbed.objects.all() if t.municipalities.count() == 2]
    assert shared, "expected a testbed shared by two municipalities"
    assert all(t.municipalities.count() in (1, 2) for t in Testbed.objects.all())


@pytest.mark.django_db
def test_programme_themes_exist_and_every_theme_is_used(demo):
    names = set(Theme.objects.values_list("name", flat=True))
    assert PROGRAMME_THEMES.issubset(names)
    for theme in Theme.objects.all():
        assert ASCII_SLUG.match(theme.slug), theme.slug
        assert theme.description.strip(), theme.name
        assert theme.testbeds.exists(), f"theme {theme.name} is not used"


@pytest.mark.django_db
def test_named_real_testbeds_exist_and_are_not_demo(demo):
    flemingsberg = Testbed.objects.get(title="Flemingsbergs stationsområde")
    tyreso = Testbed.objects.get(title="Tyresö centrum")
    assert not flemingsberg.is_demo
    assert not tyreso.is_demo
    assert flemingsberg.published and tyreso.published
    assert list(flemingsberg.municipalities.values_list("code", flat=True)) == ["0126"]
    assert list(tyreso.municipalities.values_list("code", flat=True)) == ["0138"]
    # Everything else is invented and must say so.
    others = Testbed.objects.exclude(pk__in=[flemingsberg.pk, tyreso.pk])
    assert others.exists()
    assert not others.filter(is_demo=False).exists()


@pytest.mark.django_db
def test_exactly_one_demo_testbed_is_unpublished(demo):
    hidden = Testbed.objects.filter(published=False)
    assert hidden.count() == 1
    assert hidden.get().is_demo
    assert Testbed.objects.published().count() == Testbed.objects.count() - 1


@pytest.mark.django_db
def test_load_demo_twice_gives_the_same_rows_and_links(demo):
    first = snapshot()
    assert first["testbed_municipalities"] and first["testbed_themes"]
    load_demo()
    assert snapshot() == first


@pytest.mark.django_db
def test_load_demo_restores_edited_rows_and_links(demo):
    before = snapshot()
    testbed = Testbed.objects.get(slug="tyreso-centrum")
    testbed.title = "Changed"
    testbed.save()
    testbed.themes.clear()
    testbed.municipalities.add(Municipality.objects.get(code="0140"))
    assert snapshot() != before
    load_demo()
    assert snapshot() == before


@pytest.mark.django_db
def test_boundaries_and_areas_are_valid_geojson(demo):
    for municipality in Municipality.objects.all():
        validate_area(municipality.boundary)
        assert municipality.boundary["type"] in ("Polygon", "MultiPolygon")
    areas = [t.area for t in Testbed.objects.all() if t.area]
    assert len(areas) >= 5, "about half of the testbeds should have an area"
    for area in areas:
        validate_area(area)
        south, west, north, east = bounds(area)
        # A few hundred metres across, not a whole municipality.
        assert 0.001 < north - south < 0.02
        assert 0.001 < east - west < 0.04


@pytest.mark.django_db
def test_every_row_passes_full_clean(demo):
    for municipality in Municipality.objects.all():
        municipality.full_clean()
    for theme in Theme.objects.all():
        theme.full_clean()
    for testbed in Testbed.objects.all():
        testbed.full_clean()


@pytest.mark.django_db
def test_testbed_fields_follow_the_conventions(demo):
    for testbed in Testbed.objects.all():
        name = testbed.title
        assert ASCII_SLUG.match(testbed.slug), name
        assert testbed.question.strip().endswith("?"), name
        assert testbed.summary.strip() and testbed.body.strip(), name
        assert "\n\n" in testbed.body, f"{name}: body should have paragraphs"
        assert testbed.place_name, name
        assert testbed.cover_image == "" and testbed.cover_alt == "", name
        assert PROGRAMME_START <= testbed.start_date <= PROGRAMME_END, name
        if testbed.status == "completed":
            assert testbed.end_date is not None and testbed.end_date >= testbed.start_date, name
        elif testbed.status == "ongoing":
            assert testbed.end_date is None, name
        assert testbed.updated_at >= testbed.created_at, name


@pytest.mark.django_db
def test_creation_times_are_distinct_so_newest_first_is_stable(demo):
    created = list(Testbed.objects.values_list("created_at", flat=True))
    assert len(set(created)) == len(created)
    assert created == sorted(created, reverse=True)  # the model's default ordering


@pytest.mark.django_db
def test_flemingsberg_lies_inside_huddinge(demo):
    flemingsberg = Testbed.objects.get(slug="flemingsbergs-stationsomrade")
    huddinge = Municipality.objects.get(code="0126")
    assert flemingsberg.has_point
    assert point_in_bounds(flemingsberg.latitude, flemingsberg.longitude, bounds(huddinge.boundary))


@pytest.mark.django_db
def test_every_testbed_point_lies_in_one_of_its_municipalities(demo):
    for testbed in Testbed.objects.prefetch_related("municipalities"):
        assert testbed.has_point, testbed.title
        boxes = [bounds(m.boundary) for m in testbed.municipalities.all()]
        assert any(point_in_bounds(testbed.latitude, testbed.longitude, box) for box in boxes), (
            testbed.title
        )


def test_fixtures_use_fixed_primary_keys():
    for name in ("municipalities.json", "themes.json", "testbeds.json"):
        objects = json.loads((FIXTURE_DIR / name).read_text(encoding="utf-8"))
        pks = [obj["pk"] for obj in objects]
        assert all(isinstance(pk, int) for pk in pks), name
        assert len(set(pks)) == len(pks), name


def test_municipality_fixture_matches_its_build_script():
    """fixtures/build_municipalities.py regenerates exactly the committed fixture."""
    script = FIXTURE_DIR / "build_municipalities.py"
    spec = importlib.util.spec_from_file_location("build_municipalities", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not module.DEFAULT_SOURCE.is_file():
        pytest.skip(f"source data not available at {module.DEFAULT_SOURCE}")
    committed = (FIXTURE_DIR / "municipalities.json").read_text(encoding="utf-8")
    assert module.to_json(module.build(module.DEFAULT_SOURCE)) == committed
    assert len(committed.encode("utf-8")) < 300_000
