"""The testbed fact sheet printed by Chromium: one A4 page, even when every bounded list on it
is full (test_factsheet.py checks its content and queries without a browser).

The `page` fixture (conftest.py) fails a test on any console error, CSP violations included.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from collaboration.models import ContactPerson
from collaboration.tests.factories import ActorFactory, GrantFactory
from ideagroups.tests.factories import IdeaGroupFactory
from indicators.tests.factories import IndicatorFactory, ObservationFactory, municipality_area
from testbeds.models import Testbed
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Flemingsbergs stationsområde: en levande stadsdel kring resecentrum och sjukhuset"
REFERENCE = "2015-01234"
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[17.9, 59.2], [18.0, 59.2], [18.0, 59.25], [17.9, 59.25], [17.9, 59.2]]],
}


def full_testbed() -> Testbed:
    """A testbed with more of everything than the sheet shows: long texts, and more grants,
    contacts, idea groups and indicators than its bounded lists hold."""
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126", boundary=SQUARE)
    testbed = TestbedFactory(
        title=TITLE,
        slug="flemingsberg",
        question="Hur blir stationsområdet en levande stadsdel där fler vill bo, arbeta och "
        "vistas, och hur knyts sjukhuset, högskolan och bostadsområdena samman? " * 2,
        summary="Resenod, bostäder och arbetsplatser kring Flemingsbergs station. " * 12,
        start_date=datetime.date(2015, 3, 1),
        end_date=datetime.date(2019, 12, 31),
        place_name="Flemingsbergs resecentrum",
        municipalities=[huddinge],
    )
    funder = ActorFactory(name="Vinnova", slug="vinnova", sector="funder")
    for i in range(9):
        GrantFactory(
            funder=funder,
            title=f"Stationsnära stadsutveckling och hållbart resande, etapp {i + 1}",
            reference=REFERENCE if i == 0 else f"2016-{i:05d}",
        ).testbeds.add(testbed)
    actor = ActorFactory(name="Huddinge kommun, samhällsbyggnadsavdelningen", slug="huddinge-sb")
    for i in range(6):
        ContactPerson.objects.create(
            testbed=testbed,
            name=f"Kontaktperson Nummer {i + 1}",
            role="Projektledare för stadsutveckling",
            actor=actor,
            email=f"kontakt{i}@huddinge.example.org",
            phone="08-535 000 00",
            order=i,
        )
    for i in range(8):
        IdeaGroupFactory(name=f"Idégrupp för stationsområdet, grupp {i + 1}", testbeds=[testbed])
    area = municipality_area(huddinge)
    for i in range(10):
        indicator = IndicatorFactory(
            name=f"Andel invånare i förvärvsarbete, indikator nummer {i + 1}",
            target_value=Decimal("75") if i % 2 == 0 else None,
            target_year=2020 if i % 2 == 0 else None,
            testbeds=[testbed],
        )
        for year in (2015, 2016):
            ObservationFactory(indicator=indicator, area=area, year=year, value=Decimal("71.5"))
    return testbed


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF: its /Type /Page objects (not the /Pages tree nodes)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_the_fact_sheet_prints_on_one_a4_page(page, live_server):
    full_testbed()
    page.goto(live_server.url + reverse("testbeds:factsheet", kwargs={"slug": "flemingsberg"}))
    main = page.inner_text("main")
    assert TITLE in main
    assert REFERENCE in main
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) == 1
    main = page.inner_text("main")
    assert TITLE in main
    assert REFERENCE in main
    assert page.locator("main svg.qr-code").is_visible()
    assert page.locator("main svg.factsheet-map").is_visible()


def test_the_municipality_sheet_prints_on_one_a4_page(page, live_server):
    testbed = full_testbed()
    for i in range(15):
        TestbedFactory(
            title=f"{TITLE}, del {i + 1}", municipalities=list(testbed.municipalities.all())
        )
    page.goto(
        live_server.url + reverse("testbeds:municipality_factsheet", kwargs={"slug": "huddinge"})
    )
    page.emulate_media(media="print")
    assert pdf_pages(page.pdf(format="A4", print_background=True)) == 1
    assert "Huddinge" in page.inner_text("main")
