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
from django.db.models import Q
from django.utils import timezone

from collaboration.models import Grant, Meeting, SystemSolution
from dialogue.demo import OPEN_ROUND
from dialogue.models import Contribution, DialogueRound, Response
from ideagroups.models import IdeaGroup, Membership, Transition, WorkEntry
from results.models import Film, Result
from sodertorn.geo import bounds, validate_area
from testbeds.management.commands.load_demo import RETIRED_TESTBEDS
from testbeds.models import Municipality, PlanningStage, Testbed, Theme
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
REAL = {"flemingsbergs-stationsomrade", "tyreso-centrum"}
EXAMPLES = {
    "lokala-jobb-i-fittja-centrum",
    "dagvatten-och-gronska-i-hallunda",
    "stationsnara-boende-i-ronninge",
    "markanvisning-for-blandad-stad-i-handen",
    "trygga-strak-i-sodertalje-centrum",
    "klimatanpassad-bebyggelse-vid-nynashamns-hamn",
    "energismart-fortatning-i-nykvarn-centrum",
    "stationsnara-lagen-langs-nynasbanan",
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
    assert Testbed.objects.count() == 10
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
def test_ten_public_testbeds_the_two_real_ones_and_eight_marked_examples(demo):
    """Issue 17: the programme had ten testbeds; two are named in the sources."""
    assert Testbed.objects.count() == Testbed.objects.published().count() == 10
    assert set(Testbed.objects.filter(is_demo=False).values_list("slug", flat=True)) == REAL
    assert set(Testbed.objects.filter(is_demo=True).values_list("slug", flat=True)) == EXAMPLES


@pytest.mark.django_db
def test_the_real_testbeds_come_first_and_the_examples_say_so(demo, client):
    page = client.get("/testbaddar/")
    cards = page.context["object_list"]
    assert [t.is_demo for t in cards] == [False, False] + [True] * 8
    assert "10 testbäddar" in page.text
    home = client.get("/").context["featured"]
    assert {t.slug for t in home[:2]} == REAL
    api = client.get("/api/v1/testbeds/").json()["results"]
    assert {row["slug"] for row in api[:2]} == REAL
    for testbed in Testbed.objects.all():
        text = client.get(testbed.get_absolute_url()).text
        start = text.index('<article class="testbed">')
        header = text[start : text.index("</header>", start)]
        assert ('class="tag tag-demo"' in header) == testbed.is_demo, testbed.slug
        assert ">Exempel<" in header or not testbed.is_demo, testbed.slug


@pytest.mark.django_db
def test_the_real_testbeds_pages_are_full_and_name_their_sources(demo):
    for slug in REAL:
        testbed = Testbed.objects.get(slug=slug)
        assert testbed.area and testbed.place_name and testbed.themes.exists(), slug
        assert testbed.body.count("\n\n") >= 3, slug
        assert "Källor:" in testbed.body and "2014-00918" in testbed.body, slug
        assert testbed.idea_groups.exists(), slug
        real_results = testbed.results.filter(is_demo=False, published=True)
        assert real_results.exists(), slug
        assert all("Käll" in result.body for result in real_results), slug


@pytest.mark.django_db
def test_each_plan_stage_fits_its_testbeds_status_and_its_rounds(demo):
    """No samråd on a completed testbed: a completed testbed's plan is in force or followed
    up (or it has none), a planned one's has not reached samråd; a round's stage is never
    after its testbed's, and a completed testbed has no samråd or granskning round."""
    stages = PlanningStage.values
    for testbed in Testbed.objects.all():
        if testbed.status == "completed":
            assert testbed.plan_stage in ("", "legal_force", "follow_up"), testbed.slug
        if testbed.status == "planned":
            assert testbed.plan_stage in ("", "early", "plan_start", "programme"), testbed.slug
    for round_ in DialogueRound.objects.select_related("testbed"):
        testbed = round_.testbed
        assert testbed.plan_stage, round_.slug
        assert stages.index(round_.stage) <= stages.index(testbed.plan_stage), round_.slug
        if testbed.status == "completed":
            assert round_.stage not in ("consultation", "review"), round_.slug


def demo_dates():
    """Every date of the demo a visitor or an API client can see, with where it comes from,
    except the open example round's (``OPEN_ROUND``) and its contributions', and the real
    grant records' (dated as their sources give them; each names its source)."""
    open_round = Q(round__slug=OPEN_ROUND)

    def rows(queryset, *fields):
        for row in queryset.values("pk", *fields):
            for field in fields:
                if row[field] is not None:
                    yield f"{queryset.model.__name__}.{field} #{row['pk']}", row[field]

    yield from rows(Testbed.objects, "start_date", "end_date", "created_at", "updated_at")
    yield from rows(
        DialogueRound.objects.exclude(slug=OPEN_ROUND),
        "opens_on",
        "closes_on",
        "created_at",
        "updated_at",
    )
    yield from rows(Contribution.objects.exclude(open_round), "created_at", "moderated_at")
    yield from rows(
        Response.objects.exclude(contribution__round__slug=OPEN_ROUND), "created_at", "updated_at"
    )
    yield from rows(Result.objects, "date", "created_at", "updated_at")
    yield from rows(Film.objects, "created_at", "updated_at")
    yield from rows(Meeting.objects, "date")
    yield from rows(SystemSolution.objects, "adopted_on")
    # A real project record keeps the dates of its source: the precursor project På gränsen
    # (Vinnova 2013-01747) began in 2013. Only invented grants are held to the years.
    yield from rows(Grant.objects.filter(is_demo=True), "start_date", "end_date")
    yield from rows(IdeaGroup.objects, "start_date", "end_date")
    yield from rows(Membership.objects, "joined", "left")
    yield from rows(WorkEntry.objects, "date", "published_at", "created_at", "updated_at")
    yield from rows(Transition.objects, "at")


@pytest.mark.django_db
def test_every_demo_date_lies_in_the_programmes_years_but_the_open_example_round(demo):
    first, last = datetime.date(2014, 1, 1), datetime.date(2019, 12, 31)
    outside = []
    for where, value in demo_dates():
        day = timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value
        if not first <= day <= last:
            outside.append(f"{where}: {day}")
    assert not outside
    real = Grant.objects.filter(is_demo=False)
    assert real.exists() and not real.filter(source_url="").exists()


@pytest.mark.django_db
def test_one_labelled_example_round_is_open_on_the_day_of_loading(demo, client):
    today = timezone.localdate()
    (open_round,) = DialogueRound.objects.open(today)
    assert open_round.slug == OPEN_ROUND and open_round.is_demo
    assert "Exempelrunda" in open_round.title and "exempelrunda" in open_round.question
    assert not DialogueRound.objects.upcoming(today).exists()
    page = client.get(open_round.get_absolute_url())
    assert page.status_code == 200 and "<form" in page.text


@pytest.mark.django_db
def test_results_lie_within_their_testbeds_periods(demo):
    for result in Result.objects.select_related("testbed"):
        testbed = result.testbed
        end = testbed.end_date or datetime.date(2019, 12, 31)
        assert testbed.start_date <= result.date <= end, result.slug


@pytest.mark.django_db
def test_load_demo_removes_what_an_earlier_demo_had(demo):
    """An old database (make run before issue 17) had five more demo testbeds, a round and a
    result on them: the next load removes them, and keeps a retired testbed that a curator's
    own round still refers to, unpublished."""
    fittja = Testbed.objects.get(slug="lokala-jobb-i-fittja-centrum")
    retired = {}
    for slug in RETIRED_TESTBEDS:
        retired[slug] = Testbed.objects.create(
            title=slug,
            slug=slug,
            question="?",
            summary=".",
            start_date=fittja.start_date,
            is_demo=True,
            published=True,
        )
    old_round = DialogueRound.objects.create(
        testbed=retired["skolgarden-som-motesplats-i-tumba"],
        slug="skolgarden-efter-skoltid",
        title="Gammal",
        stage=PlanningStage.EARLY,
        question="?",
        opens_on=fittja.start_date,
        closes_on=fittja.start_date,
        is_demo=True,
    )
    Contribution.objects.create(round=old_round, text="Gammalt bidrag", consent=True)
    Result.objects.create(
        testbed=retired["grona-samband-kring-tyresta"],
        slug="gronkarta-tyresta",
        title="Gammal",
        kind="report",
        summary=".",
        date=fittja.start_date,
        is_demo=True,
    )
    DialogueRound.objects.create(
        testbed=retired["unga-formar-hovsjo"],
        slug="kuratorns-egen-runda",
        title="En kurators",
        stage=PlanningStage.EARLY,
        question="?",
        opens_on=fittja.start_date,
        closes_on=fittja.start_date,
    )
    assert Testbed.objects.published().count() == 15
    output = load_demo()
    assert Testbed.objects.published().count() == 10
    assert "Demo data: 8 municipalities, 9 themes, 10 testbeds." in output
    assert "unga-formar-hovsjo" in output
    assert list(
        Testbed.objects.filter(slug__in=RETIRED_TESTBEDS).values_list("slug", "published")
    ) == [("unga-formar-hovsjo", False)]
    assert not DialogueRound.objects.filter(slug="skolgarden-efter-skoltid").exists()
    assert not Result.objects.filter(slug="gronkarta-tyresta").exists()


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
