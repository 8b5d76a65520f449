"""Following in headless Chromium: from a testbed page, by keyboard only, a visitor reaches the
form, gives an address and sees "check your e-mail"; the form (also with errors) and the
confirmation pages have no WCAG violations."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from follow.models import Subscription
from follow.tests.factories import SubscriptionFactory
from testbeds.tests.factories import TestbedFactory
from tests.browser.checks import violations

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, selector, limit=200):
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_visitor_follows_a_testbed_by_keyboard(live_server, page, settings):
    settings.DIALOGUE_MIN_SECONDS = 0.5
    testbed = TestbedFactory(slug="flemingsberg", title="Flemingsberg")
    page.goto(f"{live_server.url}/en{testbed.get_absolute_url()}")
    tab_to(page, "a[href='/en/folj/testbad/flemingsberg/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Follow Flemingsberg")
    assert violations(page) == []

    # Sent empty: the errors, linked to their fields, pass axe.
    page.locator("form.follow-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#form-errors")).to_be_visible()
    assert violations(page) == []

    page.wait_for_timeout(600)  # the minimum time to fill the form (lowered for the test)
    tab_to(page, "#id_email")
    page.keyboard.type("ada@example.com")
    tab_to(page, "input[name=frequency]")
    page.keyboard.press("ArrowUp")  # from "Weekly" to "Daily"
    expect(page.locator("#id_frequency_0")).to_be_checked()
    tab_to(page, "form.follow-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#check-mail")).to_be_visible()
    assert violations(page) == []
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.frequency, subscription.is_confirmed) == (
        "ada@example.com",
        "daily",
        False,
    )
    assert len(mail.outbox) == 1


def test_the_token_pages_pass_axe(live_server, page):
    subscription = SubscriptionFactory()
    page.goto(f"{live_server.url}/en/folj/bekrafta/{subscription.token}/")
    assert violations(page) == []
    page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("You follow it now")
    assert violations(page) == []
    SubscriptionFactory(email=subscription.email, confirmed=True)
    page.goto(f"{live_server.url}/en{subscription.get_absolute_url()}")
    assert violations(page) == []
    page.locator("button[value=one]").click()
    expect(page.locator("h1")).to_contain_text("You no longer follow it")
    assert violations(page) == []
