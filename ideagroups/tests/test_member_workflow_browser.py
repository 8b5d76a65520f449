"""The whole idea-group workflow in headless Chromium: a member logs in, registers a work entry
with an attachment and submits it; a curator publishes it in the admin; it appears on the idea
group's and the testbed's public pages, with the attachment to download."""

import re

import pytest
from playwright.sync_api import expect

from collaboration.tests.factories import ActorFactory
from ideagroups.demo import tiny_pdf
from ideagroups.models import WorkEntry
from ideagroups.tests.factories import IdeaGroupFactory, MembershipFactory
from sodertorn.tests.factories import CuratorFactory, MemberUserFactory
from testbeds.tests.factories import TestbedFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "secret-password-123"
TITLE = "Workshop om stationens entréer"


@pytest.fixture
def world():
    testbed = TestbedFactory(title="Flemingsbergs stationsområde", slug="flemingsberg")
    group = IdeaGroupFactory(
        name="Idégruppen för Flemingsberg", slug="flemingsberg-grupp", testbeds=[testbed]
    )
    member = MemberUserFactory(username="mira", first_name="Mira", last_name="Sandberg")
    MembershipFactory(user=member, group=group, actor=ActorFactory(name="Huddinge kommun"))
    CuratorFactory(username="karin", first_name="Karin", last_name="Holm")
    return {"testbed": testbed, "group": group}


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.account-form button[type=submit]").click()


def test_member_registers_curator_publishes_public_pages_show_it(live_server, page, world):
    # The member logs in from the header link and lands on My pages.
    page.goto(f"{live_server.url}/")
    page.locator(".account-nav a").click()
    expect(page).to_have_url(re.compile(r"/konto/logga-in/$"))
    page.fill("#id_username", "mira")
    page.fill("#id_password", PASSWORD)
    page.locator("form.account-form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/mina-sidor/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Idégruppen för Flemingsberg")

    # Registers a work entry with a PDF attachment and submits it for review.
    page.locator("a[href$='/grupper/flemingsberg-grupp/nytt-arbete/']").click()
    page.select_option("#id_kind", "workshop")
    page.fill("#id_title", TITLE)
    page.fill("#id_date", "2015-04-21")
    page.fill("#id_text", "Tjugo deltagare gick runt stationen.\n\nTre platser valdes ut.")
    page.set_input_files(
        "#id_attachment",
        files=[
            {
                "name": "Workshop-anteckningar.pdf",
                "mimeType": "application/pdf",
                "buffer": tiny_pdf(["Anteckningar från workshopen"]),
            }
        ],
    )
    page.locator("button[name=submit]").click()
    expect(page).to_have_url(re.compile(r"/mina-sidor/arbete/\d+/$"))
    expect(page.locator("h1")).to_have_text(TITLE)
    entry = WorkEntry.objects.get(title=TITLE)
    assert entry.status == WorkEntry.Status.SUBMITTED
    assert entry.attachment_type == "application/pdf"
    expect(page.locator(".status")).to_have_class(re.compile("status-entry-submitted"))

    # Not public yet.
    page.goto(f"{live_server.url}/idegrupper/flemingsberg-grupp/")
    expect(page.locator("main")).not_to_contain_text(TITLE)

    # The member logs out; the curator logs in to the admin and publishes from the queue.
    page.locator(".account-nav button[type=submit]").click()
    expect(page.locator(".account-nav a")).to_have_attribute("href", "/konto/logga-in/")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "karin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/ideagroups/submittedworkentry/")
    row = page.locator("#result_list tbody tr", has_text=TITLE)
    row.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", "publish")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    expect(page.locator("#result_list")).to_have_count(0)  # the queue is empty now
    entry.refresh_from_db()
    assert entry.status == WorkEntry.Status.PUBLISHED
    assert [t.to_status for t in entry.transitions.all()] == ["submitted", "published"]

    # Anonymous visitors see it on the idea group's page and on the testbed's page.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/idegrupper/flemingsberg-grupp/")
    expect(page.locator(".timeline")).to_contain_text(TITLE)
    page.goto(f"{live_server.url}/testbaddar/flemingsberg/")
    section = page.locator("#idegrupper")
    expect(section).to_contain_text("Idégruppen för Flemingsberg")
    expect(section).to_contain_text(TITLE)
    section.get_by_role("link", name=TITLE).click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".work-entry .body")).to_contain_text("Tre platser valdes ut.")
    with page.expect_download() as download:
        page.locator("a.button[download]").click()
    assert download.value.suggested_filename == "workshop-anteckningar.pdf"
    with open(download.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"


def test_curator_sends_back_and_member_sees_why(live_server, page, world):
    member = MembershipFactory(group=world["group"]).user
    entry = WorkEntry.objects.create(
        group=world["group"],
        author=member,
        kind="study",
        title="Enkät till resenärer",
        date="2016-10-03",
        text="Text.",
        status="submitted",
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "karin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/ideagroups/submittedworkentry/")
    page.locator("#result_list tbody tr", has_text=entry.title).locator(
        "input[name=_selected_action]"
    ).check()
    page.select_option("select[name=action]", "send_back")
    page.locator("button[name=index]").click()
    page.fill("textarea[name=comment]", "Skriv hur många som svarade.")
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, live_server, member.username)
    returned = page.locator("#returned-heading").locator("..")
    expect(returned).to_contain_text("Enkät till resenärer")
    expect(returned).to_contain_text("Skriv hur många som svarade.")
    returned.get_by_role("link", name="Enkät till resenärer").click()
    page.locator("a.button[href$='/andra/']").click()
    page.fill("#id_text", "Text. 212 resenärer svarade i oktober 2016.")
    page.locator("button[name=submit]").click()
    entry.refresh_from_db()
    assert entry.status == "submitted" and "212" in entry.text
