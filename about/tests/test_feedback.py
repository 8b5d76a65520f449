"""The accessibility statement's feedback function: stored, mailed to the curators through the
mail queue, with the dialogue form's spam defences; read and handled by curators in the admin."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from about.models import Feedback
from about.tests.factories import FeedbackFactory, form_data, old_token
from audit.models import AuditEntry
from dialogue.tests.factories import ModeratorFactory
from sodertorn.tests.factories import CuratorFactory, MemberUserFactory

pytestmark = pytest.mark.django_db

URL = "/tillganglighet/synpunkter/"
ADMIN = "/admin/about/feedback/"


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def post(data=None, path=URL, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data or form_data(), **extra)

    return post


def test_feedback_is_stored_and_mailed_to_the_curators(send, client):
    curator = CuratorFactory(email="kurator@example.com")
    CuratorFactory(email="", username="utan-adress")
    ModeratorFactory(email="moderator@example.com")
    response = send()
    assert response.status_code == 302 and response["Location"] == f"{URL}#tack"
    feedback = Feedback.objects.get()
    assert feedback.message.startswith("Tabellen på indikatorsidan")
    assert (feedback.page, feedback.name, feedback.email) == (
        "/indikatorer/",
        "Olle",
        "olle@example.com",
    )
    (message,) = mail.outbox
    assert message.to == [curator.email]
    assert "Tabellen på indikatorsidan" in message.body
    assert f"/admin/about/feedback/{feedback.pk}/change/" in message.body
    assert message.extra_headers["Reply-To"] == "olle@example.com"
    assert "tack" in client.get(URL).content.decode()  # the page with the receipt


def test_name_and_email_are_optional(send):
    CuratorFactory()
    assert send(form_data(name="", email="", page="")).status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.name == feedback.email == ""
    assert "Reply-To" not in mail.outbox[0].extra_headers


def test_a_message_is_required_and_the_address_checked(send):
    response = send(form_data(message="", email="inte en adress"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="#id_message"' in body and 'href="#id_email"' in body
    assert not Feedback.objects.exists() and mail.outbox == []


def test_the_honeypot_refuses_robots(send):
    response = send(form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert not Feedback.objects.exists()


def test_a_form_sent_at_once_is_refused(send):
    response = send(form_data(started=old_token(seconds=0)))
    assert response.status_code == 200
    assert "started" in response.context["form"].errors
    assert not Feedback.objects.exists()


# ids given: a stamp made at import differs between xdist workers, which must collect the same ids
@pytest.mark.parametrize(
    "stamp",
    ["", "forged", old_token().replace(":", ";")],
    ids=["missing", "forged", "tampered"],
)
def test_a_forged_or_missing_stamp_is_refused(send, stamp):
    assert send(form_data(started=stamp)).status_code == 200
    assert not Feedback.objects.exists()


def test_the_dialogue_stamp_does_not_open_this_form(send):
    from dialogue.tests.factories import old_token as dialogue_token

    assert send(form_data(started=dialogue_token())).status_code == 200
    assert not Feedback.objects.exists()


def test_a_stamp_sends_one_message(send):
    data = form_data(started=old_token(nonce="en-gang"))
    assert send(data).status_code == 302
    again = send(data)
    assert again.status_code == 200
    assert Feedback.objects.count() == 1
    fresh = again.context["form"].data["started"]
    assert fresh != data["started"]  # the form shown again carries a new stamp
    assert send({**data, "started": old_token()}).status_code == 302


def test_the_rate_limit_holds_per_address(send, settings):
    settings.DIALOGUE_RATE_LIMIT = 2
    assert send().status_code == 302
    assert send().status_code == 302
    limited = send(form_data(message="Tredje"))
    assert limited.status_code == 429 and limited["Retry-After"]
    assert "Tredje" in limited.content.decode()  # the text is kept
    assert Feedback.objects.count() == 2
    other = send(REMOTE_ADDR="192.0.2.99")
    assert other.status_code == 302


def test_the_form_may_name_the_page_it_is_about(client):
    page = client.get(URL, {"sida": "/analys/"}).content.decode()
    assert 'value="/analys/"' in page


def test_the_form_page_is_not_cached(client):
    first = client.get(URL).context["form"].initial["started"]
    second = client.get(URL).context["form"].initial["started"]
    assert first != second


# The admin --------------------------------------------------------------------------------------


def test_curators_read_feedback_and_mark_it_handled(client):
    curator = CuratorFactory()
    feedback = FeedbackFactory(message="Kontrasten är för låg")
    client.force_login(curator)
    assert "Kontrasten är för låg" in client.get(ADMIN).content.decode()
    url = f"{ADMIN}{feedback.pk}/change/"
    response = client.post(url, {"handled": "on", "note": "Åtgärdat", "message": "ändrad"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.handled and feedback.handled_by == curator and feedback.note == "Åtgärdat"
    assert feedback.message == "Kontrasten är för låg"  # the visitor's words are read-only
    assert client.get(f"{ADMIN}add/").status_code == 403
    assert client.get(f"{url.replace('change/', 'delete/')}").status_code == 403


@pytest.mark.parametrize("factory", [ModeratorFactory, MemberUserFactory])
def test_others_do_not_see_feedback(client, factory):
    FeedbackFactory()
    client.force_login(factory(is_staff=True))
    assert client.get(ADMIN).status_code == 403


# Personal data of the senders ------------------------------------------------------------------


def test_names_and_addresses_go_after_the_set_time(settings):
    settings.FEEDBACK_PERSONAL_DATA_DAYS = 30
    now = timezone.now()
    old = FeedbackFactory(created_at=now - datetime.timedelta(days=31), message="Gammal")
    recent = FeedbackFactory(created_at=now - datetime.timedelta(days=29))
    out = io.StringIO()
    call_command("erase_personal_data", stdout=out)
    assert "feedback: 1" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, old.email, old.message) == ("", "", "Gammal")
    assert recent.name == "Amina" and recent.email == "amina@example.com"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASE)
    assert entry.details["ids"] == [old.pk] and "amina" not in str(entry.details)
