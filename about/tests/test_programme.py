"""About the programme (/om/): the story with its sources, the organisation's live numbers, the
project records, the addresses that lead there, the links to it and the search."""

import importlib
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from about.models import Page
from collaboration.models import CollaborationGroup, Meeting, Seat
from collaboration.tests.factories import ActorFactory, GrantFactory
from ideagroups.tests.factories import IdeaGroupFactory
from indicators.tests.factories import AreaFactory
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory, bulk_testbeds

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "heading", "sections"),
    [
        (
            "/om/",
            "Om Södertörnsmodellen",
            ["Vision och modellen i korthet", "Programmets tre mål", "Habitat III", "Tobins q"],
        ),
        (
            "/en/om/",
            "About the Södertörn Model",
            ["The vision and the model in brief", "three goals", "Habitat III", "Tobin's q"],
        ),
    ],
)
def test_the_page_tells_the_story_and_names_its_sources(client, path, heading, sections):
    text = client.get(path).text
    assert f"<h1>{heading}</h1>" in text
    for section in sections:
        assert section in text
    assert "50" in text and "2009" in text and "2014" in text  # Habitat III, Boverket's maps
    assert "Boverket" in text
    for source in (
        "https://www.vinnova.se/p/sodertornsmodellen/",
        "https://www.vinnova.se/p/sodertornsmodellen2/",
        "https://www.vinnova.se/p/pa-gransen---innovativa-samarbeten-inom-offentlig-sektor/",
        "Forstudie-stadsutveckling-norra-Botkyrka",
    ):
        assert source in text
    assert 'id="kallor"' in text


@pytest.mark.parametrize(("old", "new"), [("/about/", "/om/"), ("/en/about/", "/en/om/")])
def test_the_english_guess_redirects_permanently(client, old, new):
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == new


def test_the_organisation_shows_live_counts_with_links(client):
    TestbedFactory.create_batch(3)
    TestbedFactory(published=False)
    IdeaGroupFactory.create_batch(2)
    group = CollaborationGroup.objects.create(name="Samverkansgruppen", purpose="Syfte")
    for actor in ActorFactory.create_batch(4):
        Seat.objects.create(group=group, actor=actor)
    Meeting.objects.create(group=group, date="2015-02-10", title="Möte")
    text = client.get("/en/om/").text
    block = text[text.index('id="organisation-i-dag"') :]
    block = block[: block.index("</ul>")]
    assert re.search(r'href="/en/testbaddar/">3 testbeds</a>', block)
    assert re.search(r'href="/en/idegrupper/">2 idea groups</a>', block)
    assert 'href="/en/samverkan/"' in block and "4 seats" in block and "1 meeting" in block


def test_every_project_record_is_listed_with_its_facts(client):
    vinnova = ActorFactory(name="Vinnova", slug="vinnova", sector="funder")
    testbed = TestbedFactory(title="Flemingsbergs stationsområde")
    own = GrantFactory(
        funder=vinnova,
        title="Södertörnsmodellen, steg 2",
        reference="2014-00918",
        amount_sek=8_000_000,
        source_name="Vinnovas projektdatabas",
        source_url="https://www.vinnova.se/p/sodertornsmodellen/",
    )
    own.testbeds.add(testbed)
    GrantFactory(funder=vinnova, title="På gränsen", reference="2013-01747", kind="sister")
    text = client.get("/en/om/").text
    projects = text[text.index('id="projekt"') :]
    assert projects.index("Södertörnsmodellen, steg 2") < projects.index("Sister projects")
    assert projects.index("Sister projects") < projects.index("På gränsen")
    assert 'id="projekt-2014-00918"' in projects and 'id="projekt-2013-01747"' in projects
    assert "SEK 8,000,000" in projects
    assert "Flemingsbergs stationsområde" in projects
    assert 'href="https://www.vinnova.se/p/sodertornsmodellen/"' in projects


def test_the_page_keeps_its_query_count_with_many_records(client):
    funder = ActorFactory(sector="funder")
    municipality = MunicipalityFactory()
    testbeds = bulk_testbeds(5, municipality)

    def add(n):
        for _ in range(n):
            grant = GrantFactory(funder=funder, coordinator=ActorFactory())
            grant.testbeds.add(*testbeds)
            grant.municipalities.add(municipality)
            grant.areas.add(AreaFactory())

    add(3)
    with CaptureQueriesContext(connection) as few:
        client.get("/om/")
    add(60)
    with CaptureQueriesContext(connection) as many:
        client.get("/om/?x=1")
    assert len(many) == len(few)


@pytest.mark.parametrize("path", ["/", "/en/", "/testbaddar/", "/tillganglighet/"])
def test_the_page_is_linked_from_the_menu_and_the_footer(client, path):
    text = client.get(path).text
    prefix = "/en" if path.startswith("/en/") else ""
    menu = text[
        text.index('class="main-nav"') : text.index("</nav>", text.index('class="main-nav"'))
    ]
    footer = text[text.index('<footer class="site-footer">') :]
    assert f'href="{prefix}/om/"' in menu
    assert f'href="{prefix}/om/"' in footer


def test_the_menu_marks_the_page_current(client):
    text = client.get("/om/").text
    assert re.search(r'href="/om/" aria-current="page"', text)


def test_the_page_is_in_the_sitemap(sitemap_text):
    text = sitemap_text()
    assert "/om/</loc>" in text and "/en/om/</loc>" in text


def test_the_migration_makes_the_page_row():
    """Run here on an emptied table: a flushing test earlier on the same worker may have
    removed the row the migration made, so its presence alone proves nothing either way."""
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("about.migrations.0002_text_pages")
    Page.objects.all().delete()
    migration.create_pages(apps, SimpleNamespace(connection=connection))
    migration.create_pages(apps, SimpleNamespace(connection=connection))  # and only once
    assert list(Page.objects.values_list("key", flat=True)) == ["programme"]
    assert Page.objects.get(key="programme").get_absolute_url() == "/om/"


@pytest.mark.search_index
@pytest.mark.parametrize("query", ["vision", "Habitat", "Tobins", "idégrupperna"])
def test_the_search_finds_the_page(client, query):
    Page.objects.get_or_create(key="programme")
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    text = client.get("/sok/", {"q": query}).text
    assert re.search(r'search-hit-title"><a href="/om/"', text), query


@pytest.mark.search_index
def test_the_search_finds_the_esf_pre_study(client):
    esf = ActorFactory(name="Europeiska socialfonden", slug="esf", sector="funder")
    GrantFactory(
        funder=esf,
        title="Förstudie stadsutveckling norra Botkyrka",
        slug="forstudie-stadsutveckling-norra-botkyrka",
        reference="",
        call="ESF, programområde 2: Ökat arbetskraftsutbud",
        kind="sister",
    )
    text = client.get("/sok/", {"q": "ESF"}).text
    assert 'href="/om/#projekt-forstudie-stadsutveckling-norra-botkyrka"' in text
