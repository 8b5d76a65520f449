"""The public catalogue in headless Chromium: map markers, popups and keyboard use."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from testbeds.models import Testbed
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def testbeds():
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    tyreso = MunicipalityFactory(name="Tyresö", slug="tyreso", code="0138")
    made = []
    for i, (title, municipality, status) in enumerate(
        [
            ("Flemingsbergs stationsområde", huddinge, Testbed.Status.ONGOING),
            ("Stuvsta gröna stråk", huddinge, Testbed.Status.COMPLETED),
            ("Tyresö centrum", tyreso, Testbed.Status.ONGOING),
            ("Trollbäckens torg", tyreso, Testbed.Status.PLANNED),
        ]
    ):
        made.append(
            TestbedFactory(
                title=title,
                slug=f"badd-{i}",
                status=status,
                start_date=datetime.date(2015, 1, 1),
                latitude=Decimal("59.20") + Decimal(i) / 50,
                longitude=Decimal("17.90") + Decimal(i) / 25,
                municipalities=[municipality],
            )
        )
    TestbedFactory(title="Opublicerad", slug="dold", published=False, municipalities=[huddinge])
    return made


def marker_titles(page, map_id):
    page.wait_for_selector(f"#{map_id}[data-loaded='true']")
    return sorted(
        page.locator(f"#{map_id} .leaflet-marker-icon").evaluate_all(
            "els => els.map(e => e.getAttribute('title'))"
        )
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                "Flemingsbergs stationsområde",
                "Stuvsta gröna stråk",
                "Trollbäckens torg",
                "Tyresö centrum",
            ],
        ),
        ("?municipality=huddinge", ["Flemingsbergs stationsområde", "Stuvsta gröna stråk"]),
        ("?municipality=tyreso&status=ongoing", ["Tyresö centrum"]),
        ("?status=xyz&municipality=tyreso", ["Trollbäckens torg", "Tyresö centrum"]),
    ],
)
def test_catalogue_map_shows_one_marker_per_filtered_testbed(
    live_server, page, testbeds, query, expected
):
    page.goto(f"{live_server.url}/testbaddar/{query}")
    assert marker_titles(page, "catalogue-map") == expected
    listed = sorted(page.locator(".results .card-title").all_inner_texts())
    assert listed == expected


def test_marker_popup_links_to_the_testbed_page(live_server, page, testbeds):
    page.goto(f"{live_server.url}/testbaddar/?municipality=tyreso&status=ongoing")
    marker_titles(page, "catalogue-map")
    page.locator("#catalogue-map .leaflet-marker-icon[title='Tyresö centrum']").click()
    link = page.locator("#catalogue-map .leaflet-popup-content a")
    expect(link).to_have_text("Tyresö centrum")
    link.click()
    expect(page).to_have_url(re.compile(r"/testbaddar/badd-2/$"))
    expect(page.locator("h1")).to_have_text("Tyresö centrum")


def test_marker_opens_by_keyboard(live_server, page, testbeds):
    page.goto(f"{live_server.url}/testbaddar/?municipality=tyreso&status=ongoing")
    marker_titles(page, "catalogue-map")
    marker = page.locator("#catalogue-map .leaflet-marker-icon")
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator("#catalogue-map .leaflet-popup-content a")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Tyresö centrum")


def test_filter_form_can_be_filled_and_sent_by_keyboard_alone(live_server, page, testbeds):
    page.goto(f"{live_server.url}/testbaddar/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    # Tab forward until the search field has focus (header links and site search come first).
    for _ in range(25):
        if page.evaluate("document.activeElement.id") == "id_q":
            break
        page.keyboard.press("Tab")
    expect(page.locator("#id_q")).to_be_focused()
    page.keyboard.type("torg")
    page.keyboard.press("Tab")
    expect(page.locator("#id_municipality_0")).to_be_focused()  # Huddinge
    page.keyboard.press("Tab")
    expect(page.locator("#id_municipality_1")).to_be_focused()  # Tyresö
    page.keyboard.press("Space")
    expect(page.locator("#id_municipality_1")).to_be_checked()
    page.keyboard.press("Tab")  # no themes here: on to the status
    expect(page.locator("#id_status")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(".filter-form button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=torg&municipality=tyreso"))
    expect(page.locator("#result-count")).to_contain_text("1")
    assert marker_titles(page, "catalogue-map") == ["Trollbäckens torg"]


def test_two_municipalities_ticked_by_keyboard_list_and_map_both(live_server, page, testbeds):
    """Issue 15: several municipalities at once, chosen with the keyboard alone (Tab to each
    checkbox, Space to tick it), without the page's own script doing anything for it."""
    haninge = MunicipalityFactory(name="Haninge", slug="haninge", code="0136")
    TestbedFactory(
        title="Handens centrum",
        slug="handen",
        start_date=datetime.date(2015, 1, 1),
        latitude=Decimal("59.17"),
        longitude=Decimal("18.14"),
        municipalities=[haninge],
    )
    page.goto(f"{live_server.url}/en/testbaddar/")
    fieldset = page.get_by_role("group", name="Municipality")
    expect(fieldset.get_by_role("checkbox")).to_have_count(3)
    page.locator("#id_q").focus()
    page.keyboard.press("Tab")
    haninge_box = fieldset.get_by_role("checkbox", name="Haninge")
    expect(haninge_box).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    huddinge_box = fieldset.get_by_role("checkbox", name="Huddinge")
    expect(huddinge_box).to_be_focused()
    page.keyboard.press("Space")
    expect(haninge_box).to_be_checked()
    expect(huddinge_box).to_be_checked()
    expect(fieldset.get_by_role("checkbox", name="Tyresö")).not_to_be_checked()
    submit = page.locator(".filter-form button[type=submit]")
    for _ in range(10):
        if submit.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(submit).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"municipality=haninge&municipality=huddinge"))
    expected = ["Flemingsbergs stationsområde", "Handens centrum", "Stuvsta gröna stråk"]
    expect(page.locator("#result-count")).to_contain_text("3")
    assert sorted(page.locator(".results .card-title").all_inner_texts()) == expected
    assert marker_titles(page, "catalogue-map") == expected
    # the choice is kept on the page it leads to
    fieldset = page.get_by_role("group", name="Municipality")
    expect(fieldset.get_by_role("checkbox", name="Haninge")).to_be_checked()
    expect(fieldset.get_by_role("checkbox", name="Huddinge")).to_be_checked()
    expect(fieldset.get_by_role("checkbox", name="Tyresö")).not_to_be_checked()


def test_detail_and_municipality_maps_show_their_shapes(live_server, page, testbeds):
    square = [[[17.9, 59.2], [17.95, 59.2], [17.95, 59.25], [17.9, 59.25], [17.9, 59.2]]]
    testbed = testbeds[0]
    testbed.area = {"type": "Polygon", "coordinates": square}
    testbed.save()
    municipality = testbed.municipalities.get()
    municipality.boundary = {"type": "Polygon", "coordinates": square}
    municipality.save()

    page.goto(f"{live_server.url}{testbed.get_absolute_url()}")
    assert marker_titles(page, "testbed-map") == ["Flemingsbergs stationsområde"]
    assert page.locator("#testbed-map path.leaflet-interactive").count() == 1

    page.goto(f"{live_server.url}{municipality.get_absolute_url()}")
    assert marker_titles(page, "municipality-map") == [
        "Flemingsbergs stationsområde",
        "Stuvsta gröna stråk",
    ]
    assert page.locator("#municipality-map path.leaflet-interactive").count() == 1


def test_home_map_shows_all_published_testbeds(live_server, page, testbeds):
    page.goto(f"{live_server.url}/")
    assert len(marker_titles(page, "home-map")) == 4
    expect(page.locator("#home-map")).to_have_attribute("aria-label", re.compile(".+"))
