"""Competence matching in headless Chromium: a visitor picks competences by keyboard and finds
both sides; a member ticks their own competences. axe-core checks the states the bare URLs
do not show (results, an invalid pick, the member form)."""

import re

import pytest
from playwright.sync_api import expect

from collaboration.tests.factories import ActorFactory
from competences.tests.factories import CompetenceFactory, has, needs
from ideagroups.tests.factories import IdeaGroupFactory, MembershipFactory
from testbeds.tests.factories import TestbedFactory
from tests.browser.checks import violations

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "secret-password-123"


@pytest.fixture
def world():
    gis = CompetenceFactory(name="GIS", slug="gis", description="Kartor och rumslig analys.")
    law = CompetenceFactory(name="Planjuridik", slug="planjuridik", is_demo=True)
    testbed = TestbedFactory(title="Stationsområdet", slug="station")
    needs(testbed, gis, law)
    wsp = ActorFactory(name="WSP", slug="wsp")
    has(wsp, gis)
    group = IdeaGroupFactory(name="Idégruppen", slug="idegruppen", testbeds=[testbed])
    member = MembershipFactory(group=group).user
    member.username = "mira"
    member.save()
    has(member, law)
    return {"gis": gis, "law": law, "member": member}


def test_visitor_picks_competences_by_keyboard(live_server, page, world):
    page.goto(f"{live_server.url}/kompetens/")
    checkbox = page.locator("input[value='gis']")
    for _ in range(60):  # Tab from the top of the page to the GIS checkbox
        page.keyboard.press("Tab")
        if checkbox.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the GIS checkbox cannot be reached with Tab")
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    page.keyboard.press("Enter")  # submits the GET form
    expect(page).to_have_url(re.compile(r"/kompetens/\?competence=gis$"))
    expect(page.locator("#testbeds-heading + p + ol")).to_contain_text("Stationsområdet")
    expect(page.locator("#actors-heading + ol")).to_contain_text("WSP")
    assert not violations(page)


def test_result_and_error_states_have_no_wcag_violations(live_server, page, world):
    for path in [
        "/kompetens/?competence=gis&competence=planjuridik",
        "/en/kompetens/?competence=gis&competence=finns-inte",
        "/testbaddar/station/",
        "/aktorer/wsp/",
    ]:
        page.goto(live_server.url + path)
        assert not violations(page), path


def test_member_ticks_their_competences(live_server, page, world):
    page.goto(f"{live_server.url}/konto/logga-in/?next=/kompetens/mina/")
    page.fill("#id_username", "mira")
    page.fill("#id_password", PASSWORD)
    page.locator("form.account-form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/kompetens/mina/")
    assert not violations(page)
    expect(page.locator("input[value='planjuridik']")).to_be_checked()
    page.locator("label[for]", has_text="GIS").click()
    page.locator("form.competence-form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    assert set(world["member"].competences.values_list("slug", flat=True)) == {
        "gis",
        "planjuridik",
    }
