"""Citizen dialogue in headless Chromium: a resident posts a proposal with the keyboard only, a
curator approves it in the admin, it appears; supporting it twice in one session counts once.
The form page (also with errors) has no WCAG violations."""

import re

import pytest
from playwright.sync_api import expect

from dialogue.models import Contribution
from dialogue.tests.factories import ModeratorFactory, RoundFactory
from tests.browser.checks import violations

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "secret-password-123"
TEXT = "Sätt upp belysning vid basketplanen så att den går att använda på vinterkvällar."


def tab_to(page, selector, limit=120):
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_resident_posts_curator_approves_support_counts_once(live_server, page, settings):
    settings.DIALOGUE_MIN_SECONDS = 0.5
    round_ = RoundFactory(slug="skolgarden", title="Skolgården efter skoltid")
    ModeratorFactory(username="karin")
    url = f"{live_server.url}{round_.get_absolute_url()}"

    # The form page and its error state pass axe.
    page.goto(url)
    assert violations(page) == []
    page.locator("form.contribution-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#form-errors")).to_be_visible()
    assert violations(page) == []

    # A resident fills in the form with the keyboard only.
    page.goto(url)
    page.wait_for_timeout(600)  # the minimum time to fill the form (lowered for the test)
    tab_to(page, "input[name=kind]")
    page.keyboard.press("ArrowDown")  # from "Comment" to "Proposal"
    expect(page.locator("#id_kind_1")).to_be_checked()
    tab_to(page, "#id_text")
    page.keyboard.type(TEXT)
    tab_to(page, "#id_name")
    page.keyboard.type("Amina")
    tab_to(page, "#id_area")
    page.keyboard.type("Tumba")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "form.contribution-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("moderator")
    item = Contribution.objects.get(text=TEXT)
    assert (item.kind, item.status, item.name, item.area) == (
        "proposal",
        "pending",
        "Amina",
        "Tumba",
    )
    expect(page.locator("main")).not_to_contain_text(TEXT)

    # A curator approves it from the moderation queue in the admin.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "karin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/dialogue/pendingcontribution/")
    row = page.locator("#result_list tbody tr", has_text=TEXT[:40])
    row.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", "approve")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    item.refresh_from_db()
    assert item.status == "approved"

    # Anonymous visitors see it; supporting twice from one session counts once (a second
    # tab still shows the button, as after a double click or the back button).
    page.context.clear_cookies()
    page.goto(url)
    card = page.locator(f"#bidrag-{item.pk}")
    expect(card).to_contain_text(TEXT)
    expect(card).to_contain_text("Amina, Tumba")
    second = page.context.new_page()
    second.goto(url)
    button = card.get_by_role("button")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#stod-{item.pk}")).to_have_text(re.compile(r"^1\b"))
    expect(page.locator(f"#bidrag-{item.pk} .supported")).to_be_visible()
    second.locator(f"#bidrag-{item.pk}").get_by_role("button").click()
    expect(second.locator(".messages")).to_be_visible()
    expect(second.locator(f"#stod-{item.pk}")).to_have_text(re.compile(r"^1\b"))
    item.refresh_from_db()
    assert item.support_count == 1
    second.close()
