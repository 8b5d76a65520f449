"""A closed round's summary (a samrådsredogörelse) and a testbed's plan steps in headless
Chromium: no WCAG violations; printed, the document alone (no site menus, its web address
shown); on a 320 px screen no sideways scrolling."""

import pytest
from playwright.sync_api import expect

from dialogue.models import PlanningStage
from dialogue.tests.factories import ContributionFactory, ResponseFactory, RoundFactory
from testbeds.tests.factories import TestbedFactory
from tests.browser.checks import violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def round_():
    testbed = TestbedFactory(
        slug="hallunda", title="Dagvatten i Hallunda", plan_stage=PlanningStage.ADOPTION
    )
    round_ = RoundFactory(
        testbed=testbed, slug="samrad", title="Samråd om parken", stage="consultation", closed=True
    )
    answered = ContributionFactory(round=round_, text="En spång över diket.", support_count=3)
    ResponseFactory(contribution=answered, text="Spången ritas in.")
    ContributionFactory(round=round_, kind="comment", text="Tänk på barnen. " * 30)
    return round_


def test_the_summary_on_screen_printed_and_on_a_phone(live_server, page, round_):
    url = f"{live_server.url}/en{round_.get_summary_url()}"
    page.goto(url)
    expect(page.locator("h1")).to_have_text("Consultation report: Samråd om parken")
    assert violations(page) == []
    expect(page.locator(".site-header")).to_be_visible()
    expect(page.locator("dd.print-only")).to_be_hidden()

    page.emulate_media(media="print")
    for chrome in (".site-header", ".site-footer", ".breadcrumbs", ".report-downloads"):
        expect(page.locator(chrome)).to_be_hidden()
    expect(page.locator("dd.print-only")).to_have_text(url)
    expect(page.locator(".report-item")).to_have_count(2)
    page.emulate_media(media="screen")

    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_the_plan_steps_pass_axe_and_mark_the_current_stage(live_server, page, round_):
    page.goto(f"{live_server.url}/en{round_.testbed.get_absolute_url()}")
    current = page.locator('.plan-steps li[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_have_text("Adoption (current stage)")
    assert violations(page) == []
