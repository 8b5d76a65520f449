"""The one-page fact sheets of a testbed and a municipality (issue 18, part 3).

What a sheet shows (title, question, status, period, key indicators against their targets,
contacts, grants with their reference numbers, idea groups, the area as a static SVG and a
QR code of the page's address), who may see it, and that it reads a fixed number of queries
however many rows the other apps hold. Printing it on one A4 page is checked in Chromium
(test_factsheet_browser.py).
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from collaboration.models import ContactPerson
from collaboration.tests.factories import ActorFactory, GrantFactory, bulk_grants
from ideagroups.tests.factories import IdeaGroupFactory
from indicators.tests.factories import IndicatorFactory, ObservationFactory, municipality_area
from sodertorn.cache import content_changed, forget_local_copies
from sodertorn.geo.svg import drawing
from testbeds.factsheet import qr_code
from testbeds.models import Testbed
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory, bulk_testbeds

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[17.9, 59.2], [18.0, 59.2], [18.0, 59.25], [17.9, 59.25], [17.9, 59.2]]],
}
AREA = {
    "type": "Polygon",
    "coordinates": [
        [[17.93, 59.21], [17.95, 59.21], [17.95, 59.23], [17.93, 59.23], [17.93, 59.21]]
    ],
}


@pytest.fixture
def huddinge():
    return MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126", boundary=SQUARE)


@pytest.fixture
def testbed(huddinge):
    testbed = TestbedFactory(
        title="Flemingsbergs stationsområde",
        slug="flemingsberg",
        question="Hur blir stationen en mötesplats?",
        status=Testbed.Status.ONGOING,
        start_date=datetime.date(2015, 3, 1),
        end_date=datetime.date(2018, 6, 30),
        area=AREA,
        municipalities=[huddinge],
    )
    testbed.title_en = "Flemingsberg station area"
    testbed.save()
    GrantFactory(title="Stationsnära stad", reference="2015-01234").testbeds.add(testbed)
    IdeaGroupFactory(name="Idégrupp Stationen", testbeds=[testbed])
    ContactPerson.objects.create(
        testbed=testbed, name="Eva Planerare", role="Projektledare", email="eva@example.org"
    )
    indicator = IndicatorFactory(
        name="Förvärvsfrekvens",
        target_value=Decimal("75"),
        target_year=2020,
        testbeds=[testbed],
    )
    ObservationFactory(
        indicator=indicator, area=municipality_area(huddinge), year=2016, value=Decimal("71.5")
    )
    return testbed


def sheet_url(slug="flemingsberg", language="sv"):
    with translation.override(language):
        return reverse("testbeds:factsheet", kwargs={"slug": slug})


def qr_modules(url: str) -> str:
    """The path data of segno's SVG of ``url``: the modules themselves."""
    svg = qr_code(url).svg_inline(scale=4, border=2)
    return re.search(r' d="([^"]+)"', svg).group(1)


def test_the_sheet_shows_the_testbed(client, testbed):
    response = client.get(sheet_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Flemingsbergs stationsområde" in html
    assert "Hur blir stationen en mötesplats?" in html
    assert testbed.get_status_display() in html
    assert "1 mars 2015" in html and "30 juni 2018" in html
    assert "2015-01234" in html and "Stationsnära stad" in html
    assert "Idégrupp Stationen" in html
    assert "Eva Planerare" in html and "Projektledare" in html
    assert "eva@example.org" not in html  # the harvest-resistant form, as on the testbed page
    # the indicator with its latest value and its target
    assert "Förvärvsfrekvens" in html
    assert "71,5" in html and "75,0" in html and "(2020)" in html
    assert 'href="/static/testbeds/factsheet.css"' in html


def test_the_sheet_draws_the_area_and_the_point(client, testbed):
    html = client.get(sheet_url()).content.decode()
    assert 'class="factsheet-map"' in html
    expected = drawing(
        [("context", SQUARE), ("area", AREA)],
        [("point", testbed.latitude, testbed.longitude)],
        frame=[AREA],
    )
    for shape in expected.shapes:
        assert f'<path class="shape-{shape.kind}" d="{shape.d}">' in html
    (dot,) = expected.dots
    assert f'cx="{dot.cx}" cy="{dot.cy}"' in html


def test_the_qr_code_holds_the_testbeds_absolute_address(client, testbed):
    html = client.get(sheet_url()).content.decode()
    url = "http://testserver/testbaddar/flemingsberg/"
    assert url in html  # printed beside the code
    assert '<svg role="img" aria-label=' in html
    assert qr_modules(url) in html


def test_the_qr_code_uses_the_sites_address_when_set(client, testbed, settings):
    settings.SITE_URL = "https://sodertornsmodellen.se/"
    html = client.get(sheet_url()).content.decode()
    assert qr_modules("https://sodertornsmodellen.se/testbaddar/flemingsberg/") in html


def test_the_testbed_page_links_to_its_sheet(client, testbed):
    html = client.get(testbed.get_absolute_url()).content.decode()
    assert f'<p class="factsheet-link"><a href="{sheet_url()}">' in html


def test_the_english_sheet(client, testbed):
    url = sheet_url(language="en")
    assert url == "/en/testbaddar/flemingsberg/faktablad/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Flemingsberg station area" in html
    assert "Key indicators" in html and "Funding" in html
    assert "2015-01234" in html
    assert qr_modules("http://testserver/en/testbaddar/flemingsberg/") in html


def test_unpublished_and_unknown_testbeds_have_no_sheet(client, testbed):
    assert client.get(sheet_url("finns-inte")).status_code == 404
    Testbed.objects.filter(pk=testbed.pk).update(published=False)
    assert client.get(sheet_url()).status_code == 404


def sheet_queries(client, url) -> tuple[int, str]:
    """The queries of one uncached request for ``url`` (the page cache emptied first), and
    the page."""
    cache.clear()
    forget_local_copies()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def add_rows(testbed, municipality, count: int, start: int):
    """``count`` more grants, idea groups, contacts and indicators (with values) for it."""
    funder = ActorFactory(name="Vinnova", slug="vinnova", sector="funder")
    grants = bulk_grants(count, funder, start=start)
    testbed.grants.add(*grants)
    ContactPerson.objects.bulk_create(
        ContactPerson(testbed=testbed, name=f"Kontakt {start + i}", role="Roll")
        for i in range(count)
    )
    area = municipality_area(municipality)
    for _i in range(min(count, 20)):
        indicator = IndicatorFactory(testbeds=[testbed])
        ObservationFactory(indicator=indicator, area=area, year=2017)
        IdeaGroupFactory(testbeds=[testbed])
    content_changed()


def test_the_testbed_sheet_reads_a_fixed_number_of_queries(client, testbed, huddinge):
    sheet_queries(client, sheet_url())  # warm the content-type and translation caches
    add_rows(testbed, huddinge, 10, 0)
    few, _html = sheet_queries(client, sheet_url())
    add_rows(testbed, huddinge, 490, 10)
    many, html = sheet_queries(client, sheet_url())
    assert few == many
    # bounded lists, the rest counted: 501 grants, 501 contacts, 31 idea groups
    assert html.count('class="grant-reference"') == 6
    assert "Och 495 anslag till på webbsidan." in html
    assert "Projekt 499" not in html
    assert "Och 498 kontaktpersoner till på webbsidan." in html
    assert "Och 25 idégrupper till på webbsidan." in html


def test_the_municipality_sheet(client, testbed, huddinge):
    url = reverse("testbeds:municipality_factsheet", kwargs={"slug": "huddinge"})
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Huddinge" in html
    assert "Flemingsbergs stationsområde" in html
    assert "Förvärvsfrekvens" in html and "75,0" in html
    assert 'class="factsheet-map"' in html
    assert qr_modules("http://testserver/kommuner/huddinge/") in html
    assert url in client.get(huddinge.get_absolute_url()).content.decode()
    assert client.get("/kommuner/finns-inte/faktablad/").status_code == 404


def test_the_municipality_sheet_is_bounded(client, testbed, huddinge):
    url = reverse("testbeds:municipality_factsheet", kwargs={"slug": "huddinge"})
    sheet_queries(client, url)
    bulk_testbeds(9, huddinge)  # 10 testbeds: not yet a full list
    few, _html = sheet_queries(client, url)
    bulk_testbeds(490, huddinge, start=9)
    many, html = sheet_queries(client, url)
    assert few == many
    assert html.count('<circle class="dot-point"') == 12
    assert "Och 488 testbäddar till i katalogen." in html


def test_a_testbed_without_area_or_boundary_draws_its_point(client):
    TestbedFactory(slug="punkt", municipalities=[MunicipalityFactory()])
    html = client.get(sheet_url("punkt")).content.decode()
    assert '<circle class="dot-point" cx="200" cy="150"' in html
