"""Placed comments in headless Chromium: a resident marks the place of a contribution by
keyboard through the named-place list, and separately by clicking the map; the round page's
map of placed contributions and the closed round's density view pass axe."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from dialogue.models import Contribution
from dialogue.tests.factories import ContributionFactory, RoundFactory
from testbeds.tests.factories import TestbedFactory
from tests.browser.checks import violations

pytestmark = pytest.mark.django_db(transaction=True)

AREA = {
    "type": "Polygon",
    "coordinates": [
        [[17.82, 59.19], [17.84, 59.19], [17.84, 59.20], [17.82, 59.20], [17.82, 59.19]]
    ],
}


def tab_to(page, selector, limit=150):
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.fixture
def testbed():
    return TestbedFactory(
        slug="tumba",
        title="Tumba centrum",
        place_name="Tumba centrum",
        latitude=Decimal("59.195"),
        longitude=Decimal("17.83"),
        area=AREA,
    )


@pytest.fixture
def placed_round(testbed):
    round_ = RoundFactory(
        testbed=testbed,
        slug="platser",
        title="Var är det mörkt?",
        allows_places=True,
        place_names="Stationen; 59.1970; 17.8350\nTorget; 59.1930; 17.8250",
    )
    ContributionFactory(
        round=round_,
        kind="comment",
        text="Mörkt vid stationen.",
        place_name="Stationen",
        latitude=Decimal("59.197"),
        longitude=Decimal("17.835"),
    )
    return round_


def test_a_resident_places_a_comment_by_keyboard_with_the_named_place_list(
    live_server, page, settings, placed_round
):
    settings.DIALOGUE_MIN_SECONDS = 0.5
    url = f"{live_server.url}/en{placed_round.get_absolute_url()}"
    page.goto(url)
    page.wait_for_selector("#place-map[data-loaded='true']")
    page.wait_for_selector("#round-places-map[data-loaded='true']")
    assert violations(page) == []

    # An error keeps what was typed, and the page still passes axe.
    page.fill("#id_text", "Mörkt på gångvägen.")
    page.fill("#id_latitude", "59.3")
    page.fill("#id_longitude", "18.1")
    page.check("#id_consent")
    page.wait_for_timeout(600)
    page.locator("form.contribution-form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_contain_text("outside the testbed")
    expect(page.locator("#id_text")).to_have_value("Mörkt på gångvägen.")
    assert violations(page) == []

    page.goto(url)
    page.wait_for_timeout(600)  # the minimum time to fill the form (lowered for the test)
    tab_to(page, "#id_text")
    page.keyboard.type("Gångvägen till stationen behöver belysning.")
    tab_to(page, "#id_named_place")
    page.keyboard.press("ArrowDown")  # "Tumba centrum"
    page.keyboard.press("ArrowDown")  # "Stationen"
    expect(page.locator("#id_named_place")).to_have_value("Stationen")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "form.contribution-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("moderator")
    item = Contribution.objects.get(text="Gångvägen till stationen behöver belysning.")
    assert (item.place_name, item.latitude, item.longitude, item.status) == (
        "Stationen",
        Decimal("59.197000"),
        Decimal("17.835000"),
        "pending",
    )


def test_a_resident_places_a_comment_by_clicking_the_map(live_server, page, settings, placed_round):
    settings.DIALOGUE_MIN_SECONDS = 0.5
    page.goto(f"{live_server.url}/en{placed_round.get_absolute_url()}")
    picker = page.locator("#place-map")
    page.wait_for_selector("#place-map[data-loaded='true']")
    page.fill("#id_text", "Här behövs en bänk.")
    picker.click()  # in the middle of the map: the middle of the testbed's area
    expect(page.locator("#place-picker-status")).to_contain_text("Point marked")
    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    assert 59.19 < latitude < 59.20 and 17.82 < longitude < 17.84
    expect(picker.locator(".leaflet-marker-icon")).to_have_count(1)
    page.check("#id_consent")
    page.wait_for_timeout(600)
    page.locator("form.contribution-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("moderator")
    item = Contribution.objects.get(text="Här behövs en bänk.")
    assert item.place_name == "" and 59.19 < float(item.latitude) < 59.20


def test_the_closed_rounds_density_view(live_server, page, testbed):
    round_ = RoundFactory(testbed=testbed, slug="stangd", allows_places=True, closed=True)
    for n in range(3):
        ContributionFactory(
            round=round_,
            text=f"Stationen {n}",
            place_name="Stationen",
            latitude=Decimal("59.197"),
            longitude=Decimal("17.835"),
        )
    ContributionFactory(round=round_, text="Storgatan", place_name="Storgatan 3")
    page.goto(f"{live_server.url}/en{round_.get_summary_url()}")
    page.wait_for_selector("#place-density-map[data-loaded='true']")
    expect(page.locator(".density-table tbody tr").first).to_contain_text("Stationen")
    expect(page.locator(".density-label")).to_have_text(["3"])
    assert violations(page) == []
