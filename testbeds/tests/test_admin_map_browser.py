"""The curator's map in the admin, driven in Chromium.

The `page` fixture (conftest.py) fails a test on any console error, CSP
violations included, and answers tile requests with a blank image.
"""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from sodertorn.geo import draw_strings
from testbeds.models import Municipality, Testbed

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-curator-password-1"  # noqa: S105
TITLE = "Flemingsbergs stationsområde"
COORDINATE = re.compile(r"^-?\d{1,3}\.\d{6}$")


@pytest.fixture
def huddinge():
    return Municipality.objects.create(
        name="Huddinge",
        slug="huddinge",
        code="0126",
        center_latitude="59.236900",
        center_longitude="17.981600",
    )


@pytest.fixture
def curator_page(page, live_server, django_user_model):
    """A page logged in to the admin through its login form, as a superuser."""
    django_user_model.objects.create_superuser("curator", "curator@example.org", PASSWORD)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(live_server.url + reverse("admin:index"))
    return page


def admin_url(live_server, name, *args):
    return live_server.url + reverse(f"admin:testbeds_{name}", args=args)


def marker(page):
    return page.locator("#id_area_map .leaflet-marker-icon")


def coordinates(page):
    return float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude"))


def fill_add_form(page, live_server, *, published=True):
    page.goto(admin_url(live_server, "testbed_add"))
    expect(page.locator("#id_area_map .leaflet-tile-pane")).to_be_attached()
    page.fill("#id_title_sv", TITLE)
    page.fill("#id_question_sv", "Hur blir stationsområdet en levande stadsdel?")
    page.fill("#id_summary_sv", "Exempel: stationsnära stadsutveckling i Flemingsberg.")
    page.select_option("#id_status", "ongoing")
    page.fill("#id_start_date", "2015-03-01")
    page.fill("#id_place_name_sv", "Flemingsberg")

    # municipalities: the admin's select2 autocomplete
    page.click(".field-municipalities .select2-selection")
    page.locator(".field-municipalities .select2-search__field").fill("Hudd")
    expect(page.locator(".select2-results__option", has_text="Huddinge")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator(".field-municipalities .select2-selection__choice")).to_contain_text(
        "Huddinge"
    )

    # the point: a click in the middle of the map (Södertörn, around 59.2 N 17.9 E)
    expect(marker(page)).to_have_count(0)
    page.locator("#id_area_map").click(position={"x": 200, "y": 200})
    expect(marker(page)).to_have_count(1)
    expect(page.locator("#id_latitude")).to_have_value(COORDINATE)
    expect(page.locator("#id_longitude")).to_have_value(COORDINATE)
    latitude, longitude = coordinates(page)
    assert 58.5 < latitude < 60 and 17 < longitude < 19, (latitude, longitude)

    if published:
        page.check("#id_published")
    return latitude, longitude


def save(page, live_server):
    page.click("input[name=_save]")
    expect(page).to_have_url(admin_url(live_server, "testbed_changelist"))


def test_curator_places_the_point_by_clicking_the_map(curator_page, live_server, huddinge):
    page = curator_page
    latitude, longitude = fill_add_form(page, live_server)
    save(page, live_server)

    testbed = Testbed.objects.get(title=TITLE)
    assert testbed.slug == "flemingsbergs-stationsomrade"  # prepopulated from the title
    assert float(testbed.latitude) == latitude
    assert float(testbed.longitude) == longitude
    assert testbed.area is None
    assert testbed.published is True
    assert list(testbed.municipalities.all()) == [huddinge]


def test_published_testbed_appears_on_the_public_map(curator_page, live_server, huddinge):
    """Depends on the public catalogue page (/testbaddar/) and its map markers."""
    page = curator_page
    fill_add_form(page, live_server, published=True)
    save(page, live_server)

    page.goto(live_server.url + reverse("testbeds:list"))
    expect(page.locator(f'.leaflet-marker-icon[title="{TITLE}"]')).to_have_count(1)


def test_dragging_the_marker_updates_the_coordinates(curator_page, live_server, huddinge):
    testbed = Testbed.objects.create(
        title="Tyresö centrum",
        slug="tyreso-centrum",
        question="Hur?",
        summary="Exempel.",
        start_date=datetime.date(2016, 1, 1),
        latitude="59.243000",
        longitude="18.228000",
    )
    testbed.municipalities.set([huddinge])
    page = curator_page
    page.goto(admin_url(live_server, "testbed_change", testbed.pk))

    pin = marker(page)
    expect(pin).to_have_count(1)
    before = coordinates(page)
    assert before == (59.243, 18.228)
    pin.scroll_into_view_if_needed()
    box = pin.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 30, steps=8)
    page.mouse.move(x + 80, y + 60, steps=8)
    page.mouse.up()

    expect(page.locator("#id_latitude")).not_to_have_value("59.243000")
    latitude, longitude = coordinates(page)
    assert latitude < before[0], "dragged down: south"
    assert longitude > before[1], "dragged right: east"
    assert COORDINATE.match(page.input_value("#id_latitude"))

    page.click("input[name=_save]")
    expect(page).to_have_url(admin_url(live_server, "testbed_changelist"))
    testbed.refresh_from_db()
    assert (float(testbed.latitude), float(testbed.longitude)) == (latitude, longitude)


def test_typing_coordinates_moves_the_marker(curator_page, live_server, huddinge):
    page = curator_page
    page.goto(admin_url(live_server, "testbed_add"))
    expect(marker(page)).to_have_count(0)

    page.fill("#id_latitude", "59.200000")
    page.fill("#id_longitude", "17.900000")
    expect(marker(page)).to_have_count(1)
    first = marker(page).bounding_box()

    page.fill("#id_longitude", "18.000000")  # east: the marker moves right
    page.wait_for_function(
        "x => document.querySelector('#id_area_map .leaflet-marker-icon')"
        ".getBoundingClientRect().x > x + 10",
        arg=first["x"],
    )


def test_existing_point_and_area_are_shown(curator_page, live_server, huddinge):
    area = {
        "type": "Polygon",
        "coordinates": [
            [[17.93, 59.21], [17.96, 59.21], [17.96, 59.23], [17.93, 59.23], [17.93, 59.21]]
        ],
    }
    testbed = Testbed.objects.create(
        title="Stationen",
        slug="stationen",
        question="Hur?",
        summary="Exempel.",
        start_date=datetime.date(2016, 1, 1),
        latitude="59.220000",
        longitude="17.945000",
        area=area,
    )
    testbed.municipalities.set([huddinge])
    page = curator_page
    page.goto(admin_url(live_server, "testbed_change", testbed.pk))

    expect(marker(page)).to_have_count(1)
    expect(page.locator("#id_area_map path.leaflet-interactive")).to_have_count(1)
    # the map fits the area: zoomed in well beyond the regional default (zoom 9)
    # (polled: fitBounds may still be animating)
    page.wait_for_function(
        "() => { const p = document.querySelector('#id_area_map path.leaflet-interactive');"
        " return p !== null && p.getBoundingClientRect().width > 100; }",
        timeout=10_000,
    )


def test_drawing_a_rectangle_writes_the_area(curator_page, live_server, huddinge):
    page = curator_page
    fill_add_form(page, live_server, published=False)
    latitude, longitude = coordinates(page)

    page.click("#id_area_map .leaflet-draw-draw-rectangle")
    box = page.locator("#id_area_map").bounding_box()
    x, y = box["x"] + 120, box["y"] + 120
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=5)
    page.mouse.move(x + 120, y + 80, steps=5)
    page.mouse.up()

    expect(page.locator("#id_area")).to_have_value(re.compile(r'"type":"Polygon"'))
    area = json.loads(page.input_value("#id_area"))
    ring = area["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    # drawing the area did not move the point
    assert coordinates(page) == (latitude, longitude)

    save(page, live_server)
    assert Testbed.objects.get(title=TITLE).area == area


def test_deleting_the_area_empties_the_text_box(curator_page, live_server, huddinge):
    testbed = Testbed.objects.create(
        title="Stationen",
        slug="stationen",
        question="Hur?",
        summary="Exempel.",
        start_date=datetime.date(2016, 1, 1),
        area={
            "type": "Polygon",
            "coordinates": [
                [[17.93, 59.21], [17.96, 59.21], [17.96, 59.23], [17.93, 59.23], [17.93, 59.21]]
            ],
        },
    )
    testbed.municipalities.set([huddinge])
    page = curator_page
    page.goto(admin_url(live_server, "testbed_change", testbed.pk))
    expect(page.locator("#id_area_map path.leaflet-interactive")).to_have_count(1)

    page.click("#id_area_map .leaflet-draw-edit-remove")
    with translation.override(settings.LANGUAGE_CODE):  # the admin speaks the site language
        delete_all = str(draw_strings()["edit"]["toolbar"]["actions"]["clearAll"]["text"])
    page.locator("#id_area_map .leaflet-draw-actions a", has_text=delete_all).click()
    expect(page.locator("#id_area")).to_have_value("")
    expect(page.locator("#id_area_map path.leaflet-interactive")).to_have_count(0)

    page.click("input[name=_save]")
    expect(page).to_have_url(admin_url(live_server, "testbed_changelist"))
    testbed.refresh_from_db()
    assert testbed.area is None


def test_typed_geojson_is_drawn(curator_page, live_server, huddinge):
    """The keyboard way: GeoJSON typed into the text box appears on the map."""
    page = curator_page
    page.goto(admin_url(live_server, "testbed_add"))
    area = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[17.93, 59.21], [17.96, 59.21], [17.96, 59.23], [17.93, 59.21]]],
            [[[18.0, 59.1], [18.1, 59.1], [18.1, 59.2], [18.0, 59.1]]],
        ],
    }
    page.fill("#id_area", json.dumps(area))
    page.locator("#id_area").blur()
    expect(page.locator("#id_area_map path.leaflet-interactive")).to_have_count(2)


def test_municipality_map_sets_the_centre(curator_page, live_server, huddinge):
    page = curator_page
    page.goto(admin_url(live_server, "municipality_change", huddinge.pk))
    pin = page.locator("#id_boundary_map .leaflet-marker-icon")
    expect(pin).to_have_count(1)  # the saved centre

    page.locator("#id_boundary_map").click(position={"x": 60, "y": 300})
    expect(page.locator("#id_center_longitude")).not_to_have_value("17.981600")
    longitude = float(page.input_value("#id_center_longitude"))
    assert longitude < 17.9816, "clicked left of the centre: west"
    expect(pin).to_have_count(1)  # moved, not duplicated

    page.click("input[name=_save]")
    expect(page).to_have_url(admin_url(live_server, "municipality_changelist"))
    huddinge.refresh_from_db()
    assert float(huddinge.center_longitude) == longitude
