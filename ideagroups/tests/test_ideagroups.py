"""Idea groups: public pages, the testbed section, member pages, attachments, invitations,
log-in and password e-mails, the admin review, and the demo data."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from collaboration.tests.factories import ActorFactory
from ideagroups import forms as ideagroup_forms
from ideagroups.demo import tiny_pdf
from ideagroups.models import IdeaGroup, Membership, Transition, WorkEntry
from ideagroups.roles import CURATOR, MEMBER
from ideagroups.tests.factories import (
    IdeaGroupFactory,
    MembershipFactory,
    WorkEntryFactory,
    bulk_work_entries,
)
from sodertorn.tests.factories import CuratorFactory, UserFactory
from sodertorn.tests.test_uploads import DOCX, zip_bytes
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory, bulk_testbeds
from tests.admin_forms import in_admin_names

pytestmark = pytest.mark.django_db
User = get_user_model()
PDF = tiny_pdf(["Rapport från idégruppen"])


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def logs_in(client, username, password) -> bool:
    """Log in through the form (django-axes needs the request that client.login() lacks)."""
    response = client.post("/konto/logga-in/", {"username": username, "password": password})
    return response.status_code == 302


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def group_world():
    testbed = TestbedFactory(title="Flemingsbergs stationsområde", slug="flemingsberg")
    group = IdeaGroupFactory(
        name="Idégrupp Flemingsberg", slug="flemingsberg-grupp", testbeds=[testbed]
    )
    kth = ActorFactory(name="KTH", slug="kth", sector="academia")
    huddinge = ActorFactory(name="Huddinge kommun", slug="huddinge", sector="public")
    author = MembershipFactory(group=group, actor=huddinge).user
    lead = MembershipFactory(group=group, actor=kth, role="lead").user
    MembershipFactory(group=group, actor=kth)  # a second KTH member: listed once
    left = MembershipFactory(
        group=group,
        actor=ActorFactory(name="Lämnat AB", slug="lamnat"),
        joined=datetime.date(2015, 1, 1),
    )
    Membership.objects.filter(pk=left.pk).update(left=datetime.date(2016, 1, 1))
    entries = {
        status: WorkEntryFactory(
            group=group, author=author, title=f"Arbete {status}", status=status
        )
        for status in WorkEntry.Status.values
    }
    return {
        "testbed": testbed,
        "group": group,
        "author": author,
        "lead": lead,
        "entries": entries,
        "kth": kth,
    }


# Public pages ------------------------------------------------------------------------------------


def test_group_list_shows_published_groups_only(client, group_world):
    IdeaGroupFactory(name="Dold grupp", published=False)
    response = client.get("/idegrupper/")
    assert [g.name for g in response.context["groups"]] == ["Idégrupp Flemingsberg"]
    assert client.get("/idegrupper/dold-grupp/").status_code == 404


def test_group_page_shows_organisations_testbeds_and_published_work_only(client, group_world):
    response = client.get("/idegrupper/flemingsberg-grupp/")
    text = response.text
    assert [a.name for a in response.context["organisations"]] == ["Huddinge kommun", "KTH"]
    assert "Lämnat AB" not in text
    assert "Flemingsbergs stationsområde" in text
    assert "Arbete published" in text
    for status in ("draft", "submitted", "returned"):
        assert f"Arbete {status}" not in text


def test_published_entry_page_and_hidden_ones(client, group_world):
    entries = group_world["entries"]
    published = entries["published"]
    assert published.get_absolute_url() == f"/idegrupper/flemingsberg-grupp/arbete/{published.pk}/"
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200 and "Vad gruppen gjorde." in response.text
    for status in ("draft", "submitted", "returned"):
        assert client.get(entries[status].get_absolute_url()).status_code == 404
    assert client.get(f"/idegrupper/annan-grupp/arbete/{published.pk}/").status_code == 404
    group_world["group"].published = False
    group_world["group"].save()
    assert client.get(published.get_absolute_url()).status_code == 404


def test_text_is_escaped_not_trusted(client, group_world):
    entry = group_world["entries"]["published"]
    entry.text = "<script>alert(1)</script>\n\nAndra stycket"
    entry.save()
    text = client.get(entry.get_absolute_url()).text
    assert "<script>alert(1)</script>" not in text
    assert "<p>Andra stycket</p>" in text  # Markdown, sanitised: the script is dropped


MARKDOWN = (
    "Vi gick **runt stationen** och [läste planen](https://example.se/plan).\n\n"
    "- Entré norr\n- Entré söder\n\n<script>alert(1)</script>\n\n"
    '[klicka](javascript:alert(1)) <img src=x onerror="alert(1)">'
)


def test_work_text_is_sanitised_markdown_wherever_the_entry_is_shown(client, group_world):
    """The README says bodies are Markdown: **bold** is bold, not asterisks, on the public
    page and on the member's own page; scripts and javascript: links never get through."""
    entry = group_world["entries"]["published"]
    WorkEntry.objects.filter(pk=entry.pk).update(text=MARKDOWN)
    public = client.get(entry.get_absolute_url()).text
    client.force_login(group_world["author"])
    own = client.get(f"/mina-sidor/arbete/{entry.pk}/").text
    for text in (public, own):
        assert "<strong>runt stationen</strong>" in text and "**" not in text
        assert "<li>Entré norr</li>" in text
        assert 'href="https://example.se/plan"' in text
        assert "<script>alert" not in text and "javascript:" not in text
        assert "onerror" not in text
    description = re.search(r'<meta name="description" content="([^"]*)"', public).group(1)
    assert description.startswith("Vi gick runt stationen och läste planen.")


def test_work_form_says_the_text_is_markdown(client, group_world):
    with translation.override("en"):
        help_text = str(ideagroup_forms.WorkEntryForm().fields["text"].help_text)
    assert help_text.startswith("Markdown: **bold**") and "[text](https://…)" in help_text
    assert "Plain text" not in help_text
    client.force_login(group_world["author"])
    page = client.get("/en/mina-sidor/grupper/flemingsberg-grupp/nytt-arbete/").text
    assert "Markdown: **bold**" in page and 'aria-describedby="id_text_helptext"' in page


def test_testbed_page_lists_its_groups_and_their_published_work(client, group_world):
    IdeaGroupFactory(name="Dold grupp", published=False, testbeds=[group_world["testbed"]])
    response = client.get("/testbaddar/flemingsberg/")
    text = response.text
    assert "Idégrupp Flemingsberg" in text and "Arbete published" in text
    assert "Arbete draft" not in text and "Arbete submitted" not in text
    assert "Dold grupp" not in text


def test_group_list_query_count_is_constant(client):
    municipality = MunicipalityFactory()
    actor = ActorFactory()

    def add(n, start):
        testbeds = bulk_testbeds(2, municipality, start=start)
        for i in range(n):
            group = IdeaGroupFactory(testbeds=testbeds, slug=f"g{start + i}")
            MembershipFactory(group=group, actor=actor)

    add(10, 0)
    few = count_queries(client, "/idegrupper/")
    add(190, 10)
    assert count_queries(client, "/idegrupper/?page=2") == few


def test_group_page_query_count_is_constant(client, group_world):
    group = group_world["group"]
    bulk_work_entries(10, group, group_world["author"])
    few = count_queries(client, "/idegrupper/flemingsberg-grupp/")
    bulk_work_entries(190, group, group_world["author"], start=10)
    bulk_work_entries(50, group, group_world["author"], status="draft", start=500)
    assert count_queries(client, "/idegrupper/flemingsberg-grupp/?page=3") == few


def test_testbed_page_query_count_is_constant_with_groups_and_work(client, group_world):
    testbed = group_world["testbed"]

    def add(n, start):
        for i in range(n // 10):
            group = IdeaGroupFactory(testbeds=[testbed], slug=f"t{start + i}")
            bulk_work_entries(10, group, group_world["author"], start=start + i * 10)

    add(10, 0)
    few = count_queries(client, "/testbaddar/flemingsberg/")
    add(190, 100)
    assert count_queries(client, "/testbaddar/flemingsberg/?x=1") == few


# Attachments -------------------------------------------------------------------------------------


def attach(entry, name="Rapport.pdf", content=PDF):
    from ideagroups import services
    from sodertorn.uploads import validate_document

    upload = SimpleUploadedFile(name, content, content_type="text/html")
    services.store_attachment(entry, upload, validate_document(upload))
    entry.save()
    return entry


def test_published_attachment_is_served_safely(client, group_world):
    entry = attach(group_world["entries"]["published"], name="Rapport om <dagvatten>.pdf")
    assert re.fullmatch(r"private/ideagroups/[0-9a-f]{32}\.pdf", entry.attachment.name)
    response = client.get(entry.get_attachment_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"  # from the check, not the upload
    assert response["Content-Disposition"] == 'attachment; filename="rapport-om-dagvatten.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_swedish_file_names_have_an_ascii_fallback(client, group_world):
    entry = attach(group_world["entries"]["published"], name="Förstudie åäö.pdf")
    response = client.get(entry.get_attachment_url())
    assert response["Content-Disposition"] == (
        'attachment; filename="forstudie-aao.pdf"; '
        "filename*=utf-8''f%C3%B6rstudie-%C3%A5%C3%A4%C3%B6.pdf"
    )


def test_office_attachment_gets_its_checked_type(client, group_world):
    entry = attach(group_world["entries"]["published"], name="Protokoll.docx", content=DOCX)
    response = client.get(entry.get_attachment_url())
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == 'attachment; filename="protokoll.docx"'


def test_missing_attachment_or_file_is_404(client, group_world):
    entry = group_world["entries"]["published"]
    assert client.get(f"/bilagor/{entry.pk}/").status_code == 404  # no attachment
    attach(entry)
    entry.attachment.storage.delete(entry.attachment.name)
    assert client.get(entry.get_attachment_url()).status_code == 404
    assert client.get("/bilagor/999999/").status_code == 404


# Member pages ------------------------------------------------------------------------------------


def entry_data(**extra):
    return {"kind": "study", "title": "Förstudie", "date": "2016-03-15", "text": "Text.", **extra}


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get("/mina-sidor/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/logga-in/?next=/mina-sidor/"


def test_member_creates_an_entry_with_an_attachment_and_submits(client, settings, group_world):
    client.force_login(group_world["author"])
    upload = SimpleUploadedFile("Förstudie 2016.pdf", PDF, content_type="application/x-evil")
    response = client.post(
        "/mina-sidor/grupper/flemingsberg-grupp/nytt-arbete/",
        entry_data(attachment=upload, submit="1"),
    )
    entry = WorkEntry.objects.get(title="Förstudie")
    assert response.status_code == 302 and response["Location"] == entry.get_member_url()
    assert entry.status == WorkEntry.Status.SUBMITTED
    assert entry.attachment_type == "application/pdf"
    assert entry.attachment_name == "förstudie-2016.pdf"
    assert entry.attachment_size == len(PDF)
    assert entry.attachment.read() == PDF
    assert len(media_files(settings)) == 1
    page = client.get(entry.get_member_url())
    assert "Förstudie" in page.text


def test_saving_a_draft_keeps_it_a_draft(client, group_world):
    client.force_login(group_world["author"])
    client.post("/mina-sidor/grupper/flemingsberg-grupp/nytt-arbete/", entry_data(save="1"))
    assert WorkEntry.objects.get(title="Förstudie").status == WorkEntry.Status.DRAFT


BAD_ATTACHMENTS = [
    ("rapport.pdf", b"<html><body>not a pdf</body></html>", "not a PDF or an office document"),
    ("rapport.docx", PDF, "is named .docx but contains a PDF"),
    ("rapport.pdf", PDF[:-40], "damaged or incomplete"),
    ("rapport.exe", PDF, "Choose a PDF or an office document"),
    (
        "makro.docx",
        zip_bytes(
            [
                ("[Content_Types].xml", b"<x/>"),
                ("word/document.xml", b"<x/>"),
                ("word/vbaProject.bin", b"x"),
            ]
        ),
        "macros",
    ),
    ("stor.pdf", PDF + b"%" * 2000, "the limit is"),
]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    BAD_ATTACHMENTS,
    ids=["html-as-pdf", "pdf-as-docx", "truncated", "exe", "macros", "large"],
)
def test_bad_attachment_is_refused_with_a_clear_error_and_nothing_stored(
    client, settings, monkeypatch, group_world, name, content, message
):
    monkeypatch.setattr(ideagroup_forms, "ATTACHMENT_MAX_BYTES", len(PDF) + 1000)
    client.force_login(group_world["author"])
    before = WorkEntry.objects.count()
    with translation.override("en"):
        response = client.post(
            "/en/mina-sidor/grupper/flemingsberg-grupp/nytt-arbete/",
            entry_data(attachment=SimpleUploadedFile(name, content), submit="1"),
        )
        assert response.status_code == 200
        errors = [str(error) for error in response.context["form"].errors["attachment"]]
    assert any(message in error for error in errors), errors
    assert 'role="alert"' in response.text and message in response.text
    assert 'value="Förstudie"' in response.text  # the rest of the input is kept
    assert WorkEntry.objects.count() == before
    assert media_files(settings) == []


def test_member_edits_a_draft_and_replaces_the_attachment(
    client, settings, group_world, django_capture_on_commit_callbacks
):
    entry = attach(group_world["entries"]["draft"])
    old_name = entry.attachment.name
    client.force_login(group_world["author"])
    new = SimpleUploadedFile("Protokoll.docx", DOCX)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/mina-sidor/arbete/{entry.pk}/andra/",
            entry_data(title="Nytt namn", attachment=new, save="1"),
        )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Nytt namn" and entry.attachment_name == "protokoll.docx"
    assert not entry.attachment.storage.exists(old_name)
    assert [p.name for p in media_files(settings)] == [entry.attachment.name.rsplit("/", 1)[1]]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/mina-sidor/arbete/{entry.pk}/andra/", entry_data(remove_attachment="on", save="1")
        )
    entry.refresh_from_db()
    assert not entry.attachment and entry.attachment_type == ""
    assert media_files(settings) == []


def test_submitted_entry_cannot_be_edited(client, group_world):
    entry = group_world["entries"]["submitted"]
    client.force_login(group_world["author"])
    response = client.post(f"/mina-sidor/arbete/{entry.pk}/andra/", entry_data(title="Ändrat"))
    assert response.status_code == 302 and response["Location"] == entry.get_member_url()
    entry.refresh_from_db()
    assert entry.title == "Arbete submitted"


def test_my_pages_show_groups_and_what_was_sent_back_and_why(client, group_world):
    client.force_login(group_world["author"])
    response = client.get("/en/mina-sidor/")
    text = response.text
    assert "Idégrupp Flemingsberg" in text
    assert [e.title for e in response.context["returned"]] == ["Arbete returned"]
    assert "Ändra detta." in text  # the curator's comment
    assert [e.title for e in response.context["drafts"]] == ["Arbete draft"]
    assert [e.title for e in response.context["submitted"]] == ["Arbete submitted"]


def test_lead_sees_every_entry_of_the_group(client, group_world):
    client.force_login(group_world["lead"])
    response = client.get("/mina-sidor/")
    titles = {
        e.title
        for key in ("returned", "drafts", "submitted", "published")
        for e in response.context[key]
    }
    assert titles == {f"Arbete {s}" for s in WorkEntry.Status.values}


def test_my_pages_query_count_is_constant(client, group_world):
    client.force_login(group_world["lead"])
    group = group_world["group"]
    for status in ("draft", "submitted", "returned", "published"):
        bulk_work_entries(3, group, group_world["author"], status=status, start=len(status) * 100)
    few = count_queries(client, "/mina-sidor/")
    for status in ("draft", "submitted", "returned", "published"):
        bulk_work_entries(50, group, group_world["author"], status=status, start=len(status) * 1000)
    assert count_queries(client, "/mina-sidor/") == few


# Log-in, log-out and passwords -------------------------------------------------------------------


def test_login_page_in_swedish_and_english(client):
    swedish = client.get("/konto/logga-in/").text
    english = client.get("/en/konto/logga-in/").text
    assert "<h1>Logga in</h1>" in swedish
    assert "<h1>Log in</h1>" in english
    assert 'lang="sv"' in swedish and 'lang="en"' in english


def test_member_logs_in_and_out(client, group_world):
    author = group_world["author"]
    response = client.post(
        "/konto/logga-in/?next=/mina-sidor/",
        {"username": author.username, "password": "secret-password-123", "next": "/mina-sidor/"},
    )
    assert response.status_code == 302 and response["Location"] == "/mina-sidor/"
    assert "Idégrupp Flemingsberg" in client.get("/mina-sidor/").text
    assert client.get("/konto/logga-ut/").status_code == 405  # log-out only by POST
    response = client.post("/konto/logga-ut/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/mina-sidor/").status_code == 302


def test_wrong_password_gives_a_form_error(client, group_world):
    with translation.override("en"):
        response = client.post(
            "/en/konto/logga-in/", {"username": group_world["author"].username, "password": "fel"}
        )
    assert response.status_code == 200
    assert "correct username and password" in response.text


def test_password_reset_mail_has_a_working_link(
    client, group_world, django_capture_on_commit_callbacks
):
    author = group_world["author"]
    with django_capture_on_commit_callbacks(execute=True):  # mail is queued after the commit
        response = client.post("/konto/losenord/aterstall/", {"email": author.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [author.email]
    link = re.search(r"http://testserver(/konto/losenord/aterstall/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200 and response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Ett-nytt-losen-2019", "new_password2": "Ett-nytt-losen-2019"}
    )
    assert response.status_code == 302
    assert logs_in(client, author.username, "Ett-nytt-losen-2019")


def test_password_reset_for_unknown_address_sends_nothing(client):
    response = client.post("/konto/losenord/aterstall/", {"email": "ingen@example.com"})
    assert response.status_code == 302 and mail.outbox == []


def test_password_change(client, group_world):
    author = group_world["author"]
    client.force_login(author)
    response = client.post(
        "/konto/losenord/",
        {
            "old_password": "secret-password-123",
            "new_password1": "Annat-losen-2020",
            "new_password2": "Annat-losen-2020",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/konto/losenord/klart/"
    author.refresh_from_db()
    assert author.check_password("Annat-losen-2020")


def test_there_is_no_sign_up(client):
    from django.urls import NoReverseMatch, reverse

    for name in ("accounts:signup", "accounts:register"):
        with pytest.raises(NoReverseMatch):
            reverse(name)


# Invitations -------------------------------------------------------------------------------------

INVITE_URL = "/admin/ideagroups/membership/invite/"


def invite(client, group, actor, email="ny.person@example.com", role="member"):
    return client.post(
        INVITE_URL,
        {
            "email": email,
            "first_name": "Ny",
            "last_name": "Person",
            "group": group.pk,
            "actor": actor.pk,
            "role": role,
        },
    )


def test_invitation_creates_an_account_without_password_and_mails_a_link(
    client, group_world, django_capture_on_commit_callbacks
):
    client.force_login(CuratorFactory())
    changelist = client.get("/admin/ideagroups/membership/").text
    assert INVITE_URL in changelist and "Bjud in en medlem" in changelist
    with django_capture_on_commit_callbacks(execute=True):  # mail is queued after the commit
        response = invite(
            client, group_world["group"], group_world["kth"], email="Ny.Person@Example.com"
        )
    assert response.status_code == 302
    user = User.objects.get(email="ny.person@example.com")
    assert not user.has_usable_password() and user.is_active and not user.is_staff
    assert user.groups.filter(name=MEMBER).exists()
    membership = Membership.objects.get(user=user)
    assert (membership.group, membership.actor, membership.role) == (
        group_world["group"],
        group_world["kth"],
        "member",
    )
    (message,) = mail.outbox
    assert message.to == ["ny.person@example.com"]
    link = re.search(r"http://testserver(/konto/losenord/aterstall/\S+/)", message.body).group(1)

    client.logout()
    response = client.get(link, follow=True)
    assert response.context["validlink"]
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Mitt-forsta-losen-1", "new_password2": "Mitt-forsta-losen-1"},
    )
    assert response.status_code == 302
    assert logs_in(client, "ny.person@example.com", "Mitt-forsta-losen-1")
    assert "Idégrupp Flemingsberg" in client.get("/mina-sidor/").text
    # The link works once.
    assert not client.get(link, follow=True).context["validlink"]


def test_inviting_an_active_member_again_is_refused(client, group_world):
    client.force_login(CuratorFactory())
    author = group_world["author"]
    response = invite(client, group_world["group"], group_world["kth"], email=author.email)
    assert response.status_code == 200
    assert "redan aktiv medlem" in response.text  # the admin speaks Swedish
    assert mail.outbox == []
    assert Membership.objects.filter(user=author).count() == 1


def test_inviting_an_existing_user_to_another_group_adds_the_membership(
    client, group_world, django_capture_on_commit_callbacks
):
    client.force_login(CuratorFactory())
    other = IdeaGroupFactory(name="Ekosystemtjänster", slug="eko")
    author = group_world["author"]
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, other, group_world["kth"], email=author.email, role="lead")
    assert response.status_code == 302
    assert Membership.objects.get(user=author, group=other).role == "lead"
    (message,) = mail.outbox
    assert "/konto/logga-in/" in message.body and "aterstall" not in message.body
    assert User.objects.filter(email=author.email).count() == 1


def test_invite_form_needs_valid_input(client, group_world):
    client.force_login(CuratorFactory())
    response = client.post(
        INVITE_URL, {"email": "inte-en-adress", "first_name": "", "group": group_world["group"].pk}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"email", "first_name", "last_name", "actor"}
    assert mail.outbox == []


# The curators' review in the admin ---------------------------------------------------------------


def test_review_queue_lists_submitted_entries_only(client, group_world):
    client.force_login(CuratorFactory())
    response = client.get("/admin/ideagroups/submittedworkentry/")
    assert response.status_code == 200
    assert [e.title for e in response.context["cl"].result_list] == ["Arbete submitted"]


def test_send_back_without_comment_asks_for_one_and_changes_nothing(client, group_world):
    client.force_login(CuratorFactory())
    entry = group_world["entries"]["submitted"]
    response = client.post(
        "/admin/ideagroups/submittedworkentry/",
        {
            "action": "send_back",
            "_selected_action": [entry.pk],
            "apply": "1",
            "comment": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    entry.refresh_from_db()
    assert entry.status == "submitted" and not Transition.objects.filter(entry=entry).exists()
    # First step of the action: the comment page, listing the entries.
    response = client.post(
        "/admin/ideagroups/submittedworkentry/",
        {
            "action": "send_back",
            "_selected_action": [entry.pk],
        },
    )
    assert response.status_code == 200 and "Arbete submitted" in response.text


def test_publishing_a_draft_from_the_admin_is_refused(client, group_world):
    client.force_login(CuratorFactory())
    draft = group_world["entries"]["draft"]
    response = client.post(
        "/admin/ideagroups/workentry/",
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_admin_entry_page_shows_history_and_validates_uploads(client, settings, group_world):
    client.force_login(CuratorFactory())
    entry = group_world["entries"]["published"]
    Transition.objects.create(entry=entry, from_status="submitted", to_status="published")
    response = client.get(f"/admin/ideagroups/workentry/{entry.pk}/change/")
    assert response.status_code == 200
    data = {
        "group": entry.group.pk,
        "author": entry.author.pk,
        "kind": "report",
        "title": entry.title,
        "date": "2016-05-01",
        "text": "Ny text",
        "attachment": SimpleUploadedFile("x.pdf", b"<html>"),
        "transitions-TOTAL_FORMS": 1,
        "transitions-INITIAL_FORMS": 1,
        "transitions-MIN_NUM_FORMS": 0,
        "transitions-MAX_NUM_FORMS": 1000,
        "transitions-0-id": entry.transitions.get().pk,
        "transitions-0-entry": entry.pk,
    }
    response = client.post(f"/admin/ideagroups/workentry/{entry.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["attachment"]
    assert media_files(settings) == []


def test_admin_changelists_query_count_is_constant(client, group_world):
    client.force_login(CuratorFactory())
    group = group_world["group"]
    urls = [
        "/admin/ideagroups/workentry/",
        "/admin/ideagroups/submittedworkentry/",
        "/admin/ideagroups/membership/",
        "/admin/ideagroups/ideagroup/",
    ]
    bulk_work_entries(5, group, group_world["author"], status="submitted")
    few = [count_queries(client, url) for url in urls]
    bulk_work_entries(150, group, group_world["author"], status="submitted", start=100)
    for _ in range(30):
        MembershipFactory(group=IdeaGroupFactory(), actor=group_world["kth"])
    assert [count_queries(client, url) for url in urls] == few


# Demo data ---------------------------------------------------------------------------------------

LOGINS = ("kurator", "ledare", "medlem")
THEMED = {
    "Ekosystemtjänster",
    "Markåtkomst",
    "Social hållbarhet, medborgardialog och social konsekvensbedömning",
    "Södertörnsanalysen",
}


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_without_debug_creates_no_logins(settings):
    settings.DEBUG = False
    output = load_demo()
    assert "Demo logins were not created: DEBUG is off" in output
    assert not User.objects.filter(username__in=LOGINS).exists()
    assert not any(u.has_usable_password() for u in User.objects.all())
    names = set(IdeaGroup.objects.values_list("name", flat=True))
    assert names >= THEMED
    flemingsberg = IdeaGroup.objects.get(slug="flemingsbergs-stationsomrade")
    assert [t.title for t in flemingsberg.testbeds.all()] == ["Flemingsbergs stationsområde"]
    assert IdeaGroup.objects.get(slug="tyreso-centrum").focus == "testbed"
    assert {g.focus for g in IdeaGroup.objects.filter(name__in=THEMED)} == {"theme"}
    published = WorkEntry.objects.published()
    assert published.count() >= 8 and not published.filter(is_demo=False).exists()
    assert published.exclude(attachment="").exists()
    for entry in published:
        assert list(entry.transitions.values_list("to_status", flat=True)) == [
            "submitted",
            "published",
        ]
    assert Membership.objects.active().count() >= 10
    for model in (IdeaGroup, Membership, WorkEntry):
        for obj in model.objects.all():
            obj.full_clean()


def test_demo_with_debug_creates_the_documented_logins(settings):
    settings.DEBUG = True
    output = load_demo()
    assert "kurator / kurator-demo-2019" in output
    curator = User.objects.get(username="kurator")
    assert curator.is_staff and not curator.is_superuser
    assert curator.check_password("kurator-demo-2019")
    assert curator.groups.filter(name=CURATOR).exists()
    member = User.objects.get(username="medlem")
    assert member.check_password("medlem-demo-2019") and not member.is_staff
    assert Membership.objects.active().filter(user=member).count() == 2
    lead = User.objects.get(username="ledare")
    assert Membership.objects.active().filter(user=lead, role="lead").exists()
    assert WorkEntry.objects.filter(author=member, status="returned").exists()
    assert WorkEntry.objects.filter(status="submitted").exists()  # something to review


def test_demo_is_idempotent_and_disables_logins_when_debug_goes_off(settings):
    settings.DEBUG = True
    load_demo()
    counts = [m.objects.count() for m in (IdeaGroup, Membership, WorkEntry, Transition, User)]
    load_demo()
    assert [
        m.objects.count() for m in (IdeaGroup, Membership, WorkEntry, Transition, User)
    ] == counts
    settings.DEBUG = False
    output = load_demo()
    assert "3 existing demo login(s) were disabled" in output
    assert not any(u.has_usable_password() for u in User.objects.filter(username__in=LOGINS))


def test_demo_pages_render(client, settings):
    settings.DEBUG = False
    load_demo()
    for url in (
        "/idegrupper/",
        "/idegrupper/sodertornsanalysen/",
        "/aktorer/",
        "/aktorer/kth/",
        "/samverkan/",
        "/testbaddar/flemingsbergs-stationsomrade/",
        "/en/idegrupper/markatkomst/",
    ):
        assert client.get(url).status_code == 200, url
    entry = WorkEntry.objects.published().exclude(attachment="").first()
    response = client.get(entry.get_attachment_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_user_factory_password_works():
    user = UserFactory()
    assert user.check_password("secret-password-123")


def test_admin_checks_that_a_testbed_group_names_one_testbed(client):
    client.force_login(CuratorFactory())
    first, second = TestbedFactory(), TestbedFactory()
    data = {
        "name": "Ny grupp",
        "slug": "ny-grupp",
        "description": "Om gruppen.",
        "focus": "testbed",
        "testbeds": [first.pk, second.pk],
        "start_date": "2015-01-01",
        "published": "on",
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    data = in_admin_names(IdeaGroup, data)
    response = client.post("/admin/ideagroups/ideagroup/add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["testbeds"]
    assert not IdeaGroup.objects.filter(slug="ny-grupp").exists()
    data.update(focus="theme")
    assert client.post("/admin/ideagroups/ideagroup/add/", data).status_code == 302
    assert IdeaGroup.objects.get(slug="ny-grupp").testbeds.count() == 2


def test_cached_public_pages_show_a_newly_published_entry(client, group_world):
    from ideagroups import services

    entry = group_world["entries"]["submitted"]
    urls = ["/idegrupper/flemingsberg-grupp/", "/testbaddar/flemingsberg/"]
    for url in urls:  # rendered and stored for anonymous visitors
        assert entry.title not in client.get(url).text
        assert client.get(url)["X-Page-Cache"] == "hit"
    services.publish_entry(entry=entry, by=CuratorFactory())
    for url in urls:
        assert entry.title in client.get(url).text
    services.send_back_entry(entry=entry, by=CuratorFactory(), comment="Fel.")
    for url in urls:
        assert entry.title not in client.get(url).text


def test_the_review_action_menu_says_choose_an_action(client, group_world):
    client.force_login(CuratorFactory())
    response = client.get("/admin/ideagroups/submittedworkentry/")  # the admin is in Swedish
    choices = response.context["action_form"].fields["action"].choices
    assert [str(label) for value, label in choices if not value] == ["Välj en åtgärd"]
    assert "Select an option" not in response.text and "Välj ett alternativ" not in response.text
