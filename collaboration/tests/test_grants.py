"""Grant and project records: the record's rules, where grants show (testbed, municipality and
area pages, /kompetens/), the API, the admin and the demo records."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from collaboration.demo import link_grant_areas
from collaboration.models import Grant
from collaboration.tests.factories import ActorFactory, GrantFactory
from indicators.tests.factories import AreaFactory, municipality_area
from sodertorn.roles import MODERATOR
from sodertorn.tests.factories import CuratorFactory, UserFactory, role_group
from testbeds.models import Municipality
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory
from tests.admin_forms import in_admin_names

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def botkyrka():
    return MunicipalityFactory(name="Botkyrka", slug="botkyrka", code="0127")


@pytest.fixture
def esf():
    return ActorFactory(name="Europeiska socialfonden", slug="esf", sector="funder")


def fittja_in(municipality):
    return AreaFactory(
        own_code="0127-fittja", own_name="Fittja", parent=municipality_area(municipality)
    )


# The record ------------------------------------------------------------------------------------


def test_the_source_record_must_be_https(esf):
    grant = GrantFactory.build(funder=esf, source_url="http://www.esf.se/projekt/")
    with pytest.raises(ValidationError) as error:
        grant.full_clean()
    assert "source_url" in error.value.message_dict
    grant.source_url = "https://www.esf.se/projekt/"
    grant.full_clean()


@pytest.mark.each_database  # database constraints
def test_the_database_refuses_an_http_source_and_a_repeated_reference(esf):
    GrantFactory(funder=esf, reference="2013-01747")
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantFactory(funder=esf, reference="2013-01747")
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantFactory(funder=esf, source_url="http://example.com/")
    # records without a reference number (the ESF project bank gives none) are many
    GrantFactory(funder=esf, reference="", title="Förstudie A")
    GrantFactory(funder=esf, reference="", title="Förstudie B")
    assert Grant.objects.filter(reference="").count() == 2


def test_a_grant_gets_a_unique_slug_and_its_address_on_the_programme_page(esf):
    first = GrantFactory(funder=esf, reference="", title="Förstudie norra Botkyrka")
    second = GrantFactory(funder=esf, reference="", title="Förstudie norra Botkyrka")
    assert first.slug == "forstudie-norra-botkyrka"
    assert second.slug == "forstudie-norra-botkyrka-2"
    assert first.get_absolute_url() == "/om/#projekt-forstudie-norra-botkyrka"
    assert str(first) == "Förstudie norra Botkyrka"


def test_the_period_is_shown_as_exactly_as_the_record_gives_it(client, esf):
    testbed = TestbedFactory(slug="fittja")
    day = GrantFactory(
        funder=esf,
        title="Dagar",
        start_date=datetime.date(2014, 1, 20),
        end_date=datetime.date(2014, 11, 14),
        date_precision="day",
    )
    month = GrantFactory(
        funder=esf,
        title="Månader",
        start_date=datetime.date(2013, 9, 1),
        end_date=datetime.date(2014, 5, 31),
        date_precision="month",
    )
    year = GrantFactory(
        funder=esf,
        title="År",
        start_date=datetime.date(2017, 6, 1),
        end_date=datetime.date(2019, 12, 31),
        date_precision="year",
    )
    for grant in (day, month, year):
        grant.testbeds.add(testbed)
    text = client.get("/testbaddar/fittja/").text
    assert "20 januari 2014–14 november 2014" in text
    assert "september 2013–maj 2014" in text
    assert "2017–2019" in text and "juni 2017" not in text


# Where grants show ---------------------------------------------------------------------------


def test_a_testbed_shows_the_grants_that_paid_for_it(client, esf):
    testbed = TestbedFactory(slug="flemingsberg")
    other = TestbedFactory(slug="annan")
    paid = GrantFactory(funder=esf, title="Betalade bädden", reference="2014-00918")
    paid.testbeds.add(testbed)
    GrantFactory(funder=esf, title="Betalade en annan").testbeds.add(other)
    text = client.get("/testbaddar/flemingsberg/").text
    assert 'id="finansiering"' in text
    assert "Betalade bädden" in text and "2014-00918" in text
    assert "Betalade en annan" not in text
    assert 'href="/om/#projekt-2014-00918"' in text


def test_a_municipality_page_shows_the_grants_that_concern_it_or_its_areas(client, esf, botkyrka):
    fittja = AreaFactory(
        own_code="0127-fittja", own_name="Fittja", parent=municipality_area(botkyrka)
    )
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    direct = GrantFactory(funder=esf, title="Förstudie norra Botkyrka", reference="")
    direct.municipalities.add(botkyrka)
    through_area = GrantFactory(funder=esf, title="Fittjaprojektet")
    through_area.areas.add(fittja)
    GrantFactory(funder=esf, title="Huddingeprojektet").municipalities.add(huddinge)
    text = client.get("/kommuner/botkyrka/").text
    assert "Projekt och anslag" in text or "Projects and grants" in text
    assert "Förstudie norra Botkyrka" in text and "Fittjaprojektet" in text
    assert text.count("Fittjaprojektet") == 1  # once, though it concerns the area and its parent
    assert "Huddingeprojektet" not in text
    assert "Huddingeprojektet" in client.get("/kommuner/huddinge/").text


def test_an_area_page_shows_the_grants_that_concern_it_or_its_municipality(client, esf, botkyrka):
    parent = municipality_area(botkyrka)
    fittja = AreaFactory(own_code="0127-fittja", own_name="Fittja", parent=parent)
    AreaFactory(own_code="0127-alby", own_name="Alby", parent=parent)
    pre_study = GrantFactory(funder=esf, title="Förstudie norra Botkyrka", reference="")
    pre_study.municipalities.add(botkyrka)
    pre_study.areas.add(fittja)
    GrantFactory(funder=esf, title="Bara Fittja").areas.add(fittja)
    assert "Förstudie norra Botkyrka" in client.get("/omraden/0127/").text
    fittja_page = client.get("/omraden/0127-fittja/").text
    assert "Förstudie norra Botkyrka" in fittja_page and "Bara Fittja" in fittja_page
    alby_page = client.get("/omraden/0127-alby/").text
    assert "Förstudie norra Botkyrka" in alby_page  # its municipality's grant
    assert "Bara Fittja" not in alby_page


def test_municipality_and_area_pages_keep_their_query_count_with_many_grants(client, esf, botkyrka):
    fittja = AreaFactory(
        own_code="0127-fittja", own_name="Fittja", parent=municipality_area(botkyrka)
    )

    def add(n):
        for _ in range(n):
            grant = GrantFactory(funder=esf, coordinator=ActorFactory())
            grant.municipalities.add(botkyrka)
            grant.areas.add(fittja)

    add(3)
    municipality, area = (
        count_queries(client, "/kommuner/botkyrka/"),
        count_queries(client, "/omraden/0127-fittja/"),
    )
    add(60)
    assert count_queries(client, "/kommuner/botkyrka/?x=1") == municipality
    assert count_queries(client, "/omraden/0127-fittja/?x=1") == area


def test_competences_credit_the_project_the_idea_came_from(client):
    vinnova = ActorFactory(name="Vinnova", slug="vinnova", sector="funder")
    assert "Where the idea comes from" not in client.get("/en/kompetens/").text
    GrantFactory(
        funder=vinnova,
        reference="2013-01747",
        title="På gränsen – innovativa samarbeten inom offentlig sektor",
        slug="pa-gransen",
        kind="sister",
    )
    text = client.get("/en/kompetens/?x=1").text
    assert "Where the idea comes from" in text
    assert 'href="/en/om/#projekt-pa-gransen"' in text and "2013-01747" in text
    assert "dating site for competences" in text


# The API -----------------------------------------------------------------------------------------


def test_the_api_lists_grants_with_what_they_paid_for_and_concern(client, esf, botkyrka):
    fittja = AreaFactory(
        own_code="0127-fittja", own_name="Fittja", parent=municipality_area(botkyrka)
    )
    shown = TestbedFactory(slug="synlig", title="Synlig bädd")
    hidden = TestbedFactory(slug="dold", title="Dold bädd", published=False)
    grant = GrantFactory(
        funder=esf,
        title="Förstudie",
        reference="",
        coordinator_name="Botkyrka kommunledning",
        source_url="https://www.esf.se/projekt/",
        summary="Lokala **jobb**.",
        kind="sister",
    )
    grant.testbeds.add(shown, hidden)
    grant.municipalities.add(botkyrka)
    grant.areas.add(fittja)
    data = client.get("/api/v1/grants/").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["title"] == "Förstudie" and row["kind"] == "sister"
    assert row["reference"] is None and row["coordinator"] is None
    assert row["coordinator_name"] == "Botkyrka kommunledning"
    assert row["funder"]["slug"] == "esf"
    assert [t["slug"] for t in row["testbeds"]] == ["synlig"]
    assert row["municipalities"] == [{"slug": "botkyrka", "name": "Botkyrka"}]
    assert row["areas"] == [{"code": "0127-fittja", "name": "Fittja"}]
    assert row["source_url"] == "https://www.esf.se/projekt/"
    assert row["html_url"].endswith(f"/om/#projekt-{grant.slug}")
    assert "summary" not in row
    detail = client.get(f"/api/v1/grants/{grant.slug}/").json()
    assert detail["summary"] == "Lokala **jobb**."
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/grants/" in schema["paths"] and "Grant" in schema["components"]["schemas"]


def test_the_api_list_of_grants_keeps_its_query_count(client, esf, botkyrka):
    testbed = TestbedFactory()
    area = AreaFactory()

    def add(n):
        for _ in range(n):
            grant = GrantFactory(funder=esf, coordinator=ActorFactory())
            grant.testbeds.add(testbed)
            grant.municipalities.add(botkyrka)
            grant.areas.add(area)

    add(5)
    few = count_queries(client, "/api/v1/grants/?limit=100")
    add(80)
    assert count_queries(client, "/api/v1/grants/?limit=100&x=1") == few


# The admin: curators keep the records (roles: sodertorn/roles.py, README) ------------------------


def test_a_curator_adds_a_grant_with_its_new_fields_and_an_https_source(client, esf, botkyrka):
    testbed = TestbedFactory()
    area = AreaFactory(own_code="0127-alby", own_name="Alby")
    client.force_login(CuratorFactory())
    form = {
        "kind": "sister",
        "title": "Förstudie stadsutveckling norra Botkyrka",
        "slug": "forstudie",
        "reference": "",
        "funder": esf.pk,
        "call": "",
        "amount_sek": "450000",
        "coordinator_name": "Botkyrka kommunledning",
        "start_date": "2014-01-20",
        "end_date": "2014-11-14",
        "date_precision": "day",
        "summary": "En förstudie.",
        "source_name": "Svenska ESF-rådets projektbank",
        "source_url": "http://www.esf.se/",
        "testbeds": [testbed.pk],
        "municipalities": [botkyrka.pk],
        "areas": [area.pk],
    }
    form = in_admin_names(Grant, form)
    response = client.post("/admin/collaboration/grant/add/", form)
    assert response.status_code == 200 and not Grant.objects.exists()
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["source_url"], errors
    form["source_url"] = "https://www.esf.se/"
    response = client.post("/admin/collaboration/grant/add/", form)
    assert response.status_code == 302, response.text[:2000]
    grant = Grant.objects.get()
    assert list(grant.testbeds.all()) == [testbed]
    assert list(grant.municipalities.all()) == [botkyrka]
    assert list(grant.areas.all()) == [area]
    assert grant.date_precision == "day" and grant.coordinator_label == "Botkyrka kommunledning"


def test_a_moderator_and_a_visitor_cannot_write_grants(client, esf):
    grant = GrantFactory(funder=esf)
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(role_group(MODERATOR))
    client.force_login(moderator)
    assert client.get("/admin/collaboration/grant/add/").status_code == 403
    assert client.get(f"/admin/collaboration/grant/{grant.pk}/change/").status_code == 403
    client.logout()
    response = client.get("/admin/collaboration/grant/add/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# Demo records ----------------------------------------------------------------------------------


def test_the_demo_has_the_four_real_records_and_links_the_pre_study_to_its_areas(settings):
    settings.DEBUG = False
    call_command("load_demo", stdout=StringIO())
    grants = {g.slug: g for g in Grant.objects.select_related("funder", "coordinator")}
    assert set(grants) == {
        "sodertornsmodellen-steg-2",
        "sodertornsmodellen-steg-3",
        "forstudie-stadsutveckling-norra-botkyrka",
        "pa-gransen",
    }
    assert not any(g.is_demo for g in grants.values())  # facts from the records
    pre_study = grants["forstudie-stadsutveckling-norra-botkyrka"]
    assert pre_study.funder.name == "Europeiska socialfonden" and pre_study.kind == "sister"
    assert (
        pre_study.amount_sek == 450_000 and pre_study.coordinator_label == "Botkyrka kommunledning"
    )
    assert (pre_study.start_date, pre_study.end_date) == (
        datetime.date(2014, 1, 20),
        datetime.date(2014, 11, 14),
    )
    assert [m.slug for m in pre_study.municipalities.all()] == ["botkyrka"]
    border = grants["pa-gransen"]
    assert border.reference == "2013-01747" and border.amount_sek == 322_380
    assert border.coordinator is None and "stadsmuseum" in border.coordinator_label
    assert (border.start_date, border.end_date) == (
        datetime.date(2013, 9, 1),
        datetime.date(2014, 5, 31),
    )
    for grant in grants.values():
        assert grant.source_url.startswith("https://")
        grant.full_clean()
    stage_2 = grants["sodertornsmodellen-steg-2"]
    assert Municipality.objects.count() == stage_2.municipalities.count()
    kept = {
        "flemingsbergs-stationsomrade",
        "tyreso-centrum",
        "lokala-jobb-i-fittja-centrum",
        "dagvatten-och-gronska-i-hallunda",
        "stationsnara-boende-i-ronninge",
        "markanvisning-for-blandad-stad-i-handen",
        "trygga-strak-i-sodertalje-centrum",
        "klimatanpassad-bebyggelse-vid-nynashamns-hamn",
        "energismart-fortatning-i-nykvarn-centrum",
        "stationsnara-lagen-langs-nynasbanan",
    }
    for grant in grants.values():
        assert {t.slug for t in grant.testbeds.all()} <= kept

    # The small areas come from the indicators demo, after this app's: load_demo's
    # demo_finished hook links them; areas that exist under these names are linked.
    botkyrka = Municipality.objects.get(slug="botkyrka")
    parent = municipality_area(botkyrka)
    for code, name in (
        ("0127-hallunda-norsborg", "Hallunda-Norsborg"),
        ("0127-fittja", "Fittja"),
        ("0127-alby", "Alby"),
    ):
        AreaFactory(own_code=code, own_name=name, parent=parent)
    call_command("load_demo", stdout=StringIO())
    pre_study.refresh_from_db()
    assert sorted(a.own_name for a in pre_study.areas.all()) == [
        "Alby",
        "Fittja",
        "Hallunda-Norsborg",
    ]
    assert link_grant_areas() >= 3  # idempotent: the same links again
